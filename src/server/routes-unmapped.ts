/**
 * GET /api/v1/messages/:id/unmapped: the unmapped-data report of an inbound message (what the
 * console's message page lists), computed on demand from the stored raw bytes. Bounded: the first
 * UNMAPPED_SETS sets at most, UNMAPPED_BUDGET_MS of work, giving the event loop its turn between
 * sets (pipeline/time-slice.ts); a large X12 message is read from the file store slice by slice
 * and only as far as those sets; an EDIFACT message larger than EDIFACT_WHOLE_BYTES (its reader
 * needs it whole) is not reported here, and the answer says so.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { rawSourceOf } from '../pipeline/raw-source.ts';
import { createReaders } from '../pipeline/readers.ts';
import { createTimeSlicer } from '../pipeline/time-slice.ts';
import { unmappedReport, type UnmappedReport } from '../pipeline/unmapped-report.ts';
import { detectFormat } from '../pipeline/detect-format.ts';
import type { AppDeps } from './deps.ts';
import { answerError, notFoundError } from './errors.ts';

export const UNMAPPED_SETS = 200;
export const UNMAPPED_BUDGET_MS = 3000;
export const EDIFACT_WHOLE_BYTES = 4 * 1024 * 1024;

export function mountUnmapped(app: Hono, deps: AppDeps, staff: MiddlewareHandler): void {
  const readers = createReaders();
  app.get('/api/v1/messages/:id/unmapped', staff, async (c: Context) => {
    const id = c.req.param('id') ?? '';
    const m = await deps.store.getMessage(id);
    if (!m) return answerError(c, notFoundError('message', id));
    const base = { messageId: m.id, limits: { sets: UNMAPPED_SETS, budgetMs: UNMAPPED_BUDGET_MS } };
    const empty = (note: string): UnmappedReport & typeof base => ({ ...base, supported: false, note, sets: [], skipped: [], totals: { sets: 0, undeclared: 0, declared: 0 } });
    if (m.direction !== 'inbound') return c.json(empty('the unmapped report reads inbound messages: an outbound one is what our mappings wrote'));
    const raw = rawSourceOf(deps.store, m);
    const contentType = (JSON.parse(m.metadata) as { contentType?: string }).contentType;
    const format = detectFormat(raw.head, contentType ?? '');
    if (format === 'edifact' && m.size > EDIFACT_WHOLE_BYTES) {
      return c.json({ ...empty(`EDIFACT messages over ${EDIFACT_WHOLE_BYTES / 1048576} MiB are read whole, which the console does not do: run edigw translate --unmapped on the raw file`), format, supported: true });
    }
    // an in-memory message is handed over whole; one in the file store as slices (X12 streams them)
    const streamed = raw.sliced && format === 'x12';
    const bytes = streamed || (format !== 'x12' && format !== 'edifact') ? raw.head : await raw.whole();
    const source = streamed ? { head: raw.head, slices: raw.slices, whole: () => raw.head } : { head: raw.head, whole: () => bytes };
    const report = await unmappedReport({ config: deps.config(), readers }, source, {
      partnerId: m.partnerId ?? undefined, contentType, maxSets: UNMAPPED_SETS, budgetMs: UNMAPPED_BUDGET_MS, slicer: createTimeSlicer(),
    });
    return c.json({ ...base, ...report });
  });
}
