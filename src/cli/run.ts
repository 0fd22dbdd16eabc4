import { CliError } from './cli-error.ts';
import type { Io } from './context.ts';

interface Command { run(argv: string[], io: Io): Promise<number>; help: string }

/**
 * The commands, each module imported only when its command runs: `edigw --help` loads none of
 * them, `edigw check` only what checking needs (not the gateway's server, database or transports).
 */
const commands: Record<string, { summary: string; load(): Promise<Command> }> = {
  serve: { summary: 'start the gateway', load: async () => { const m = await import('./cmd-serve.ts'); return { run: m.serveCommand, help: m.serveHelp }; } },
  translate: { summary: 'translate a file to canonical JSON (stores nothing)', load: async () => { const m = await import('./cmd-translate.ts'); return { run: m.translateCommand, help: m.translateHelp }; } },
  check: { summary: 'validate partners and mappings, run every fixture', load: async () => { const m = await import('./cmd-check.ts'); return { run: m.checkCommand, help: m.checkHelp }; } },
  render: { summary: "render a canonical purchase order as the partner's wire document (stores nothing)", load: async () => { const m = await import('./cmd-render.ts'); return { run: m.renderCommand, help: m.renderHelp }; } },
  replay: { summary: 're-run stored messages (exception or message ids)', load: async () => { const m = await import('./cmd-replay.ts'); return { run: m.replayCommand, help: m.replayHelp }; } },
  jobs: { summary: 'list, retry or cancel durable jobs (functional ack sends, …)', load: async () => { const m = await import('./cmd-jobs.ts'); return { run: m.jobsCommand, help: m.jobsHelp }; } },
  evidence: { summary: 'write the AS2 evidence of a message (signed message, MDN, MICs, certificates) for openssl', load: async () => { const m = await import('./cmd-evidence.ts'); return { run: m.evidenceCommand, help: m.evidenceHelp }; } },
  events: { summary: 'replay business events to a subscriber (events replay --subscriber x --since 2026-12-01), check subscribers', load: async () => { const m = await import('./cmd-events.ts'); return { run: m.eventsCommand, help: m.eventsHelp }; } },
  retention: { summary: 'archive and purge old raw messages now (retention run [--dry-run])', load: async () => { const m = await import('./cmd-retention.ts'); return { run: m.retentionCommand, help: m.retentionHelp }; } },
  portal: { summary: 'invite supplier portal users, list them', load: async () => { const m = await import('./cmd-portal.ts'); return { run: m.portalCommand, help: m.portalHelp }; } },
};

export const usage = `Usage: edigw <command> [options]

Commands:
${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`).join('\n')}

Run "edigw <command> --help" for a command's options.`;

/** The edigw command line; returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(usage); return name ? 0 : 2; }
  const entry = commands[name];
  if (!entry) { io.err(`edigw: unknown command "${name}"\n\n${usage}`); return 2; }
  let cmd: Command | undefined;
  try {
    cmd = await entry.load();
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) { io.err(`edigw ${name}: ${e.message}`); return e.exitCode; }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`edigw ${name}: ${e.message}${cmd ? `\n\n${cmd.help}` : ''}`);
      return 2;
    }
    io.err(`edigw ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
