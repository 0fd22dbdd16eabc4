/** A command's refusal with its exit code (2: usage or configuration); runCli prints it without a stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); }
}
