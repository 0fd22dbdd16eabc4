import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { systemClock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import { createIdGenerator } from '../core/ids.ts';
import { silentLogger } from '../core/logger.ts';
import { openStore } from '../db/open-store.ts';
import { createMessageProcessor } from '../pipeline/inbound/process-message.ts';
import { createReaders } from '../pipeline/inbound/readers.ts';
import { createExceptionQueue } from '../pipeline/inbound/replay.ts';
import { CliError, dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';

/** how long the command holds a message it replays (a replay takes well under this) */
const CLAIM_MS = 5 * 60_000;

export const replayHelp = `Usage: edigw replay <id>... [--json]

Re-runs what failed, by its kind. Each <id> is an exception id (exc_…) or a message id (msg_…).
- An inbound message runs through the pipeline again with the current partners and mappings
  (after a mapping fix, say). Replaying twice never yields two documents for the ERP.
- A failed job (a functional ack whose send failed: exception ack_send_failed) is run again as it
  was stored: the stored 997/999/TA1/CONTRL is resent, byte for byte; our own acks never enter the
  inbound pipeline. The running gateway's job runner sends it; this command waits for the outcome.
Prints what each produced before and what it produces now. Works on the database in
EDIGW_DATABASE_URL (the running gateway's).

Options:
  --json          print the full before/after as JSON
  --wait <secs>   how long to wait for a replayed job to be run (default 30)
  -h, --help      show this help

Exit status: 0 when every replayed message is now processed (a replayed job done), 1 otherwise.`;

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, wait: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.out(replayHelp); return 0; }
  if (positionals.length === 0) throw new CliError(`replay needs at least one exception or message id\n\n${replayHelp}`, 2);
  const waitSeconds = values.wait === undefined ? 30 : Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new CliError(`--wait must be a number of seconds (0 or more), found "${values.wait}"`, 2);
  const { config } = loadConfigOrExplain(io.env);
  const store = await openStore(dirsFromEnv(io.env).databaseUrl, { blobDir: io.env.EDIGW_BLOB_DIR || undefined });
  const clock = systemClock;
  const processor = createMessageProcessor({
    store, clock, ids: createIdGenerator(), logger: silentLogger, config: () => config,
    readers: createReaders(), validators: createCanonicalValidators(),
  });
  // several gateway nodes may share the database: replay a message only while holding its claim
  const holder = `cli:${hostname()}:${process.pid}`;
  const run = async (id: string, by: string) => {
    const now = clock.now();
    const claimed = await store.claimMessage(id, holder, new Date(now.getTime() + CLAIM_MS).toISOString(), now.toISOString());
    if (!claimed) throw new GatewayError('message_claimed_elsewhere', `message ${id} is being processed by a gateway node right now; try again in a moment`, { messageId: id });
    try {
      return await processor.processMessage(id, by);
    } finally {
      await store.releaseMessage(id, holder);
    }
  };
  const queue = createExceptionQueue({ store, clock, run, jobWaitMs: waitSeconds * 1000, jobPollMs: 100 });
  let ok = true;
  try {
    for (const [i, ref] of positionals.entries()) {
      io.err(`[${i + 1}/${positionals.length}] replaying ${ref}`);
      try {
        const r = await queue.replay(ref, `cli:${io.env.USER ?? 'unknown'}`);
        if (values.json) { io.out(JSON.stringify(r, null, 2)); }
        else {
          io.out(`${r.messageId}: before ${r.before.status} (${r.before.exceptions.length} open exception(s), ${r.before.documents.length} document(s)); now ${r.after.status}`);
          for (const u of r.after.units) {
            io.out(`  document ${u.position + 1}: ${u.status}${u.documentId ? ` ${u.documentId}` : ''}${u.upsert ? ` (${u.upsert})` : ''}${u.error ? ` ${u.error.stage} ${u.error.code}: ${u.error.message}` : ''}`);
          }
          if (r.job) io.out(`  job ${r.job.id} (${r.job.kind}): ${r.job.state} after ${r.job.attempts} attempt(s)${r.job.state === 'done' ? '' : r.job.lastError ? `; last error: ${r.job.lastError}` : ''}`);
          for (const e of r.after.errors) io.out(`  ${e.stage} ${e.code}: ${e.message}`);
        }
        if (r.after.status !== 'processed') ok = false;
      } catch (e) {
        ok = false;
        io.err(`${ref}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await store.close();
  }
  return ok ? 0 : 1;
}
