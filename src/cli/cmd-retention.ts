import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { silentLogger } from '../core/logger.ts';
import { openStore } from '../db/open-store.ts';
import { retentionDefaultsFromEnv } from '../retention/policy.ts';
import { createRetentionPass, type RetentionReport } from '../retention/retention-pass.ts';
import { CliError, dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';

export const retentionHelp = `Usage: edigw retention run [--dry-run] [--partner <id>] [--json]

Runs one retention pass on the database in EDIGW_DATABASE_URL (the running gateway runs one every
EDIGW_RETENTION_INTERVAL_MINUTES, default 60, when a window is configured):
  purge    raw messages received more than purgeAfterDays ago: the bytes are deleted, the message's
           metadata, documents and exceptions stay; its raw download answers 410 message_purged.
           Recorded in the audit log (action retention_purge) with the count and the window.
  archive  raw messages received more than archiveAfterDays ago (and not waiting to be processed):
           the bytes move to the file store (EDIGW_BLOB_DIR, default blobs/ beside the SQLite file),
           still served by the API and replayed as before.
Windows come from each partner profile's retention: { archiveAfterDays, purgeAfterDays } (days, or
never), over the gateway defaults EDIGW_RETENTION_ARCHIVE_AFTER_DAYS / EDIGW_RETENTION_PURGE_AFTER_DAYS.
Progress (messages, MB) goes to stderr, the summary to stdout. SQLite does not shrink its file by
itself: the pages freed are reused by new messages (VACUUM returns them to the disk).

Options:
  --dry-run       count what a pass would archive and purge, change nothing
  --partner <id>  only this partner
  --json          print the report as JSON
  -h, --help      show this help`;

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export async function retentionCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { 'dry-run': { type: 'boolean' }, partner: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(retentionHelp); return 0; }
  if (positionals[0] !== 'run' || positionals.length > 1) throw new CliError(`retention needs the subcommand "run"${positionals.length ? `, got "${positionals.join(' ')}"` : ''}\n\n${retentionHelp}`, 2);
  const defaults = retentionDefaultsFromEnv(io.env);
  const { config } = loadConfigOrExplain(io.env);
  if (values.partner !== undefined && !config.partner(values.partner)) io.err(`note: no partner profile "${values.partner}" is loaded; the gateway defaults apply to its messages`);
  const store = await openStore(dirsFromEnv(io.env).databaseUrl, { blobDir: io.env.EDIGW_BLOB_DIR || undefined });
  let last = 0;
  try {
    const run = createRetentionPass({
      store, clock: systemClock, logger: silentLogger, holder: `cli:${hostname()}:${process.pid}`,
      config: () => ({ partners: config.partners, defaults }),
    });
    const t0 = performance.now();
    const report = await run({
      dryRun: values['dry-run'], partnerId: values.partner,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 1000) return;
        last = now;
        io.err(`${p.step} ${p.partnerId ?? '(no partner)'}: ${p.messages.toLocaleString('en-US')} messages, ${mb(p.bytes)} (${((now - t0) / 1000).toFixed(0)} s)`);
      },
    });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else io.out(summary(report, (performance.now() - t0) / 1000));
    return 0;
  } finally {
    await store.close();
  }
}

function summary(r: RetentionReport, seconds: number): string {
  const lines = [`retention ${r.dryRun ? 'dry run (nothing changed)' : 'pass'}: ${r.partners.length} partner(s) with a window, ${seconds.toFixed(1)} s`];
  for (const p of r.partners) {
    const when = (d: number | null) => (d === null ? 'never' : `after ${d} d`);
    const w = `archive ${when(p.policy.archiveAfterDays)}, purge ${when(p.policy.purgeAfterDays)}`;
    lines.push(`  ${(p.partnerId ?? '(no partner)').padEnd(20)} ${w}: ${r.dryRun ? 'would archive' : 'archived'} ${p.archived.messages.toLocaleString('en-US')} (${mb(p.archived.bytes)}), ${r.dryRun ? 'would purge' : 'purged'} ${p.purged.messages.toLocaleString('en-US')} (${mb(p.purged.bytes)})${p.purgeSkipped ? `; purge skipped: ${p.purgeSkipped}` : ''}`);
  }
  lines.push(`total: ${r.dryRun ? 'would archive' : 'archived'} ${r.archived.messages.toLocaleString('en-US')} messages (${mb(r.archived.bytes)}), ${r.dryRun ? 'would purge' : 'purged'} ${r.purged.messages.toLocaleString('en-US')} (${mb(r.purged.bytes)}${r.dryRun ? '' : `, ${r.purged.blobsDeleted} file(s) deleted`})`);
  if (r.partners.length === 0) lines.push('no retention window is configured (partner profiles retention:, EDIGW_RETENTION_ARCHIVE_AFTER_DAYS, EDIGW_RETENTION_PURGE_AFTER_DAYS)');
  return lines.join('\n');
}
