/** `edigw` entry point: runs a command with the process's arguments and environment. */
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
