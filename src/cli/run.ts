import { checkCommand, checkHelp } from './cmd-check.ts';
import { jobsCommand, jobsHelp } from './cmd-jobs.ts';
import { portalCommand, portalHelp } from './cmd-portal.ts';
import { renderCommand, renderHelp } from './cmd-render.ts';
import { replayCommand, replayHelp } from './cmd-replay.ts';
import { retentionCommand, retentionHelp } from './cmd-retention.ts';
import { serveCommand, serveHelp } from './cmd-serve.ts';
import { translateCommand, translateHelp } from './cmd-translate.ts';
import { CliError, type Io } from './context.ts';

const commands: Record<string, { run(argv: string[], io: Io): Promise<number>; help: string; summary: string }> = {
  serve: { run: serveCommand, help: serveHelp, summary: 'start the gateway' },
  translate: { run: translateCommand, help: translateHelp, summary: 'translate a file to canonical JSON (stores nothing)' },
  check: { run: checkCommand, help: checkHelp, summary: 'validate partners and mappings, run every fixture' },
  render: { run: renderCommand, help: renderHelp, summary: "render a canonical purchase order as the partner's wire document (stores nothing)" },
  replay: { run: replayCommand, help: replayHelp, summary: 're-run stored messages (exception or message ids)' },
  jobs: { run: jobsCommand, help: jobsHelp, summary: 'list, retry or cancel durable jobs (functional ack sends, …)' },
  retention: { run: retentionCommand, help: retentionHelp, summary: 'archive and purge old raw messages now (retention run [--dry-run])' },
  portal: { run: portalCommand, help: portalHelp, summary: 'invite supplier portal users, list them' },
};

export const usage = `Usage: edigw <command> [options]

Commands:
${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`).join('\n')}

Run "edigw <command> --help" for a command's options.`;

/** The edigw command line; returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(usage); return name ? 0 : 2; }
  const cmd = commands[name];
  if (!cmd) { io.err(`edigw: unknown command "${name}"\n\n${usage}`); return 2; }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) { io.err(`edigw ${name}: ${e.message}`); return e.exitCode; }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`edigw ${name}: ${e.message}\n\n${cmd.help}`);
      return 2;
    }
    io.err(`edigw ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
