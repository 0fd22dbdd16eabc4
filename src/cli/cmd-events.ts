import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { silentLogger } from '../core/logger.ts';
import { openStore } from '../db/open-store.ts';
import { createPublisher } from '../events/publisher.ts';
import { loadSubscribers } from '../events/subscribers.ts';
import { RetryLater } from '../jobs/registry.ts';
import { parseSince } from '../server/routes-events.ts';
import { CliError, dirsFromEnv, type Io } from './context.ts';

export const eventsHelp = `Usage: edigw events replay --subscriber <name> --since <date> [--until <date>]
       edigw events check

Business events (docs/events.md) on the database in EDIGW_DATABASE_URL, subscribers in
EDIGW_SUBSCRIBERS_DIR (default: subscribers/ beside EDIGW_PARTNERS_DIR).
  replay   sends the subscriber the events of a window again (those its types and filters take),
           in order, from this process, with their own ids (consumers de-duplicate by id); progress
           on stderr. The running gateway keeps publishing new events meanwhile.
  check    loads every subscriber file and prints its problems (file:line:col), as the gateway would.

Options:
  --subscriber <name>  the subscriber (subscribers/<name>.yaml)
  --since <date>       the window's start: 2026-12-01 (midnight UTC) or an ISO-8601 date-time
  --until <date>       the window's end (default: now)
  -h, --help           show this help

Exit status: 0 when done; 1 when a delivery failed for now (the subscriber is down: printed, with
where the replay stopped); 2 on a usage or configuration error.`;

export function subscribersDirOf(env: Record<string, string | undefined>): string {
  return env.EDIGW_SUBSCRIBERS_DIR ?? path.join(path.dirname(path.resolve(dirsFromEnv(env).partnersDir)), 'subscribers');
}

export async function eventsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { subscriber: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(eventsHelp); return 0; }
  const [action, ...rest] = positionals;
  if (action !== 'replay' && action !== 'check') {
    throw new CliError(action ? `unknown events action "${action}" (expected replay or check)\n\n${eventsHelp}` : `events needs an action: replay or check\n\n${eventsHelp}`, 2);
  }
  if (rest.length > 0) throw new CliError(`events ${action} takes no arguments (found "${rest.join(' ')}")`, 2);
  const dir = subscribersDirOf(io.env);
  const loaded = loadSubscribers(dir, io.env);
  if (action === 'check') {
    for (const p of loaded.problems) io.out(p.text);
    if (!loaded.set) return 2;
    io.out(`${loaded.set.subscribers.length} subscriber(s) in ${dir}: ${loaded.set.subscribers.map((s) => `${s.name} (${s.sink.type}, ${s.events.join(' ')})`).join(', ') || 'none'}`);
    return 0;
  }
  if (!values.subscriber) throw new CliError(`events replay needs --subscriber <name>\n\n${eventsHelp}`, 2);
  if (!values.since) throw new CliError(`events replay needs --since <date> (2026-12-01 or an ISO-8601 date-time)\n\n${eventsHelp}`, 2);
  const since = parseSince(values.since);
  if (!since) throw new CliError(`--since must be a date (2026-12-01) or an ISO-8601 date-time with an offset, got "${values.since}"`, 2);
  const until = values.until === undefined ? undefined : parseSince(values.until);
  if (values.until !== undefined && !until) throw new CliError(`--until must be a date or an ISO-8601 date-time with an offset, got "${values.until}"`, 2);
  if (!loaded.set) throw new CliError(`subscribers in ${dir} have problems:\n${loaded.problems.map((p) => `  ${p.text}`).join('\n')}`, 2);
  const set = loaded.set;
  if (!set.byName(values.subscriber)) {
    throw new CliError(`no subscriber "${values.subscriber}" in ${dir} (found: ${set.subscribers.map((s) => s.name).join(', ') || 'none'})`, 2);
  }
  const store = await openStore(dirsFromEnv(io.env).databaseUrl);
  const publisher = createPublisher({ events: store.events, getDocument: (id) => store.getDocument(id), jobs: store.jobs, subscribers: () => set, clock: systemClock, logger: silentLogger });
  try {
    const after = await store.events.seqBefore(since);
    const upTo = until ? await store.events.seqBefore(until) : await store.events.lastSeq();
    io.err(`replaying to ${values.subscriber}: events ${after + 1}..${upTo} (since ${since}${until ? `, until ${until}` : ''})`);
    let last = 0;
    let said = '';
    /** at most twice a second, and the last state once */
    const progress = (r: { position: number; sent: number; deadLettered: number }, force = false) => {
      const now = Date.now();
      const text = `  at event ${r.position} of ${upTo}: ${r.sent} sent, ${r.deadLettered} dead-lettered`;
      if (text === said || (!force && now - last < 500)) return;
      last = now;
      said = text;
      io.err(text);
    };
    try {
      const done = await publisher.replay({ subscriber: values.subscriber, after, upTo }, { onProgress: (r) => progress(r) });
      progress(done, true);
      io.out(`replayed ${done.sent} event(s) to ${values.subscriber}${done.deadLettered ? `, ${done.deadLettered} refused (dead-lettered)` : ''}`);
      return 0;
    } catch (e) {
      if (!(e instanceof RetryLater)) throw e;
      io.err(`stopped: ${e.message}`);
      io.err('run the same command again when the subscriber is back (consumers de-duplicate by event id)');
      return 1;
    }
  } finally {
    await publisher.close();
    await store.close();
  }
}
