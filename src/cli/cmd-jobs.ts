import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { isGatewayError } from '../core/errors.ts';
import { openStore } from '../db/open-store.ts';
import type { Job } from '../jobs/job-store.ts';
import { JOB_STATES, jobFilterOf, listJobs, MAX_JOBS_PAGE, operateJob } from '../jobs/operator.ts';
import { CliError, dirsFromEnv, type Io } from './context.ts';

export const jobsHelp = `Usage: edigw jobs list [--kind <kind>] [--state <state>] [--partner <id>] [--after <id>] [--limit <n>] [--json]
       edigw jobs retry <job id>...
       edigw jobs cancel <job id>...

The gateway's durable work (functional ack sends: kind ack.send, …) on the database in
EDIGW_DATABASE_URL (the running gateway's).
  list     newest first: id, kind, state, attempts, partner, next run, last error. A full page
           ends with the option that shows the next one (--after <id>).
  retry    a failed or cancelled job runs again (due now, with a fresh attempt budget); the
           running gateway's job runner picks it up.
  cancel   a waiting or failed job is not run (any more).
Each retry and cancel is written to the audit log with your user name.

Options:
  --kind <kind>        only jobs of this kind (ack.send, …)
  --state <state>      only jobs in this state: ${JOB_STATES.join(', ')}
  --partner <id>       only jobs for this partner
  --after <id>         the page after the one that ended with this id
  --limit <n>          jobs per page (1-${MAX_JOBS_PAGE}, default 100)
  --json               print the jobs as JSON
  -h, --help           show this help

Exit status: 0 when done; 1 when a job could not be retried or cancelled (its state is printed);
2 on a usage error.`;

const line = (j: Job) => [
  String(j.id).padStart(6), j.kind.padEnd(10), j.state.padEnd(9), `${j.attempts}/${j.maxAttempts}`.padEnd(6), (j.partnerId ?? '-').padEnd(12),
  j.state === 'waiting' ? `next ${j.runAt}` : `at ${j.updatedAt}`, j.lastError && j.state !== 'done' ? ` ${oneLine(j.lastError)}` : '',
].join(' ');
const oneLine = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}...` : s).replace(/\s+/g, ' ');

export async function jobsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      kind: { type: 'string' }, state: { type: 'string' }, partner: { type: 'string' }, after: { type: 'string' }, limit: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { io.out(jobsHelp); return 0; }
  const [action, ...ids] = positionals;
  if (action !== 'list' && action !== 'retry' && action !== 'cancel') {
    throw new CliError(action ? `unknown jobs action "${action}" (expected list, retry or cancel)\n\n${jobsHelp}` : `jobs needs an action: list, retry or cancel\n\n${jobsHelp}`, 2);
  }
  if (action !== 'list' && ids.length === 0) throw new CliError(`jobs ${action} needs at least one job id\n\n${jobsHelp}`, 2);
  if (action === 'list' && ids.length > 0) throw new CliError(`jobs list takes no ids (found "${ids.join(' ')}"); filter with --kind, --state, --partner`, 2);
  const store = await openStore(dirsFromEnv(io.env).databaseUrl);
  try {
    if (action === 'list') {
      let filter;
      try {
        filter = jobFilterOf(values);
      } catch (e) {
        if (isGatewayError(e)) throw new CliError(e.message.replace(/^(\w+) must/, '--$1 must'), 2);
        throw e;
      }
      const page = await listJobs(store, filter);
      if (values.json) io.out(JSON.stringify(page, null, 2));
      else {
        if (page.jobs.length === 0) io.out('no jobs match');
        for (const j of page.jobs) io.out(line(j));
        if (page.next) io.out(`more: the same command with --after ${page.next}`);
      }
      return 0;
    }
    let ok = true;
    for (const id of ids) {
      try {
        const j = await operateJob(store, action, id, `cli:${io.env.USER ?? 'unknown'}`, systemClock.now().toISOString());
        io.out(`job ${j.id} (${j.kind}${j.partnerId ? `, ${j.partnerId}` : ''}): ${action === 'retry' ? 'waiting, due now' : 'cancelled'}`);
      } catch (e) {
        if (!isGatewayError(e)) throw e;
        ok = false;
        io.err(`${id}: ${e.message}`);
      }
    }
    return ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
