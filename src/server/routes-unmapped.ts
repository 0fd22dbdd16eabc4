/**
 * GET /api/v1/messages/:id/unmapped: the unmapped-data report of an inbound message (what the
 * console's message page lists), computed on demand from the stored raw bytes, bounded: the first
 * UNMAPPED_SETS sets at most and UNMAPPED_BUDGET_MS of work (`truncated` says where it stopped).
 *
 * Where it runs: a message up to ON_LOOP_BYTES here, giving the event loop its turn between sets
 * (pipeline/inbound/time-slice.ts); a larger one in a thread of its own (pipeline/inbound/unmapped-thread.ts: its
 * own heap, stopped at THREAD_TIMEOUT_MS), so neither a large EDIFACT message (its reader takes it
 * whole: 1.3 MiB took 1.5-2 s) nor one huge transaction set holds the HTTP thread. An X12 message
 * in the file store larger than THREAD_MAX_BYTES is read here slice by slice, only as far as its
 * first sets; a larger EDIFACT message is not reported, and the answer says so.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { detectFormat } from '../pipeline/inbound/detect-format.ts';
import { rawSourceOf } from '../pipeline/inbound/raw-source.ts';
import { createReaders } from '../pipeline/inbound/readers.ts';
import { createTimeSlicer } from '../pipeline/inbound/time-slice.ts';
import { unmappedReport, type UnmappedReport } from '../pipeline/inbound/unmapped-report.ts';
import { unmappedInThread } from '../pipeline/inbound/unmapped-thread.ts';
import type { AppDeps } from './deps.ts';
import { answerError, notFoundError } from './errors.ts';

export const UNMAPPED_SETS = 200;
export const UNMAPPED_BUDGET_MS = 3000;
export const ON_LOOP_BYTES = 128 * 1024;
export const THREAD_MAX_BYTES = 64 * 1024 * 1024;
export const THREAD_TIMEOUT_MS = 20_000;

export function mountUnmapped(app: Hono, deps: AppDeps, staff: MiddlewareHandler): void {
  const readers = createReaders();
  app.get('/api/v1/messages/:id/unmapped', staff, async (c: Context) => {
    const id = c.req.param('id') ?? '';
    const m = await deps.store.getMessage(id);
    if (!m) return answerError(c, notFoundError('message', id));
    const limits = { sets: UNMAPPED_SETS, budgetMs: UNMAPPED_BUDGET_MS };
    const answer = (r: Partial<UnmappedReport> & { note?: string }) => c.json({
      messageId: m.id, limits, supported: false, sets: [], skipped: [], totals: { sets: 0, undeclared: 0, declared: 0 }, ...r,
    });
    if (m.direction !== 'inbound') return answer({ note: 'the unmapped report reads inbound messages: an outbound one is what our mappings wrote' });
    const raw = rawSourceOf(deps.store, m);
    const contentType = (JSON.parse(m.metadata) as { contentType?: string }).contentType;
    const format = detectFormat(raw.head, contentType ?? '');
    const options = { partnerId: m.partnerId ?? undefined, contentType, maxSets: UNMAPPED_SETS, budgetMs: UNMAPPED_BUDGET_MS };
    const segmentFormat = format === 'x12' || format === 'edifact';
    const streamHere = format === 'x12' && raw.sliced && m.size > THREAD_MAX_BYTES;
    if (!segmentFormat || m.size <= ON_LOOP_BYTES || streamHere) {
      // small, or not read at all (the report names the format), or streamed here set by set
      const bytes = !segmentFormat || streamHere ? raw.head : await raw.whole();
      const source = streamHere ? { head: raw.head, slices: raw.slices, whole: () => raw.head } : { head: raw.head, whole: () => bytes };
      return answer(await unmappedReport({ config: deps.config(), readers }, source, { ...options, slicer: createTimeSlicer() }));
    }
    if (m.size > THREAD_MAX_BYTES) {
      return answer({ format, supported: true, note: `${format} messages over ${THREAD_MAX_BYTES / 1048576} MiB are not reported here (read whole): run edigw translate --unmapped on the raw file` });
    }
    if (!deps.configDirs) return answer({ format, supported: true, note: `messages over ${ON_LOOP_BYTES / 1024} KiB are reported in a thread of their own, which this server was started without` });
    const bytes = await raw.whole();
    const r = await unmappedInThread({ ...deps.configDirs, bytes, options }, THREAD_TIMEOUT_MS);
    return 'failed' in r ? answer({ format, supported: true, note: r.failed }) : answer(r);
  });
}
