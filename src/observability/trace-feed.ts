/**
 * The ERP pull feed's spans (tracing on only): each document handed out (erp.feed.lease) or
 * acknowledged (erp.feed.ack) is a span in the trace of the message it came from, from the request's
 * start to its answer. The traceparent is read from the message row (Store.traces, one statement per
 * batch) after the answer is on its way: the feed's own latency does not wait for it.
 */
import type { Logger } from '../core/logger.ts';
import type { Store } from '../db/store.ts';
import { feedSpan } from './trace-spans.ts';
import { startSpan, tracingOn } from './tracing.ts';

export function traceFeed(store: Store, logger: Logger, op: 'lease' | 'ack', documentIds: string[], startedAt: number): void {
  if (!tracingOn() || documentIds.length === 0) return;
  void store.traces.documentTraces(documentIds).then((docs) => {
    for (const d of docs) {
      if (!d.traceparent) continue;
      startSpan(`erp.feed.${op}`, { ...feedSpan(op, { ...d, traceparent: d.traceparent }, documentIds.length), startTime: startedAt })?.end();
    }
  }).catch((e) => logger.warn('tracing: the ERP feed\'s documents not traced', { error: String(e) }));
}
