/**
 * What a partner is shown of its own traffic, the same for its API key (routes-partner.ts) and
 * its portal users (src/server/portal/): its messages, newest first, each with what we answered
 * (our 997/999/CONTRL, explained in words), the documents it made and the exceptions that concern
 * it. Cost per page: the page's messages, never the history.
 */
import type { Store } from '../db/store.ts';
import type { MessageRow } from '../db/schema.ts';
import type { GatewayError } from '../core/errors.ts';
import { queryInvalid } from '../server/errors.ts';
import { exceptionView, messageView } from '../server/views.ts';
import { explainAck, type FindingDetail } from './ack-words.ts';

export async function partnerMessageView(store: Store, m: MessageRow) {
  const excs = await store.listExceptions({ messageId: m.id, limit: 50 });
  const findings: FindingDetail[] = excs.map((e) => ({ ...(JSON.parse(e.detail) as FindingDetail), message: e.message }));
  const answers = await store.relatedMessages(m.id);
  const acknowledgements = [];
  for (const a of answers) {
    const meta = JSON.parse(a.metadata) as Record<string, string>;
    let explained: string[] = [];
    try {
      explained = explainAck(await store.readRaw(a), findings);
    } catch {
      explained = ['the acknowledgement\'s bytes are no longer kept (retention)'];
    }
    acknowledgements.push({ messageId: a.id, kind: meta.kind ?? 'ack', at: a.receivedAt, explained, links: { raw: `/api/v1/messages/${a.id}/raw` } });
  }
  const documents = await store.documentSummariesForMessage(m.id, 101);
  return {
    ...messageView(m),
    documents: documents.slice(0, 100).map((d) => ({ id: d.id, type: d.type, status: d.status, businessKey: d.businessKey })),
    ...(documents.length > 100 ? { documentsTruncated: true } : {}),
    acknowledgements,
    exceptions: excs.map((e) => { const v = exceptionView(e); return { id: v.id, stage: v.stage, code: v.code, message: v.message, status: v.status, createdAt: v.createdAt, detail: v.detail }; }),
  };
}

/** a page of the partner's own inbound messages; `next`: the cursor of the following page, null on the last */
export async function partnerMessages(store: Store, partnerId: string, q: { limit: number; before?: number }) {
  // the partner's rows are its messages and our answers to them (about one each): read on past ours, a few pages at most
  const inbound: MessageRow[] = [];
  let before = q.before;
  let more = true;
  for (let pass = 0; pass < 8 && more && inbound.length < q.limit; pass++) {
    const rows = await store.listMessages({ partnerId, limit: q.limit * 2, before });
    more = rows.length === q.limit * 2;
    for (const m of rows) {
      before = m.seq;
      if (m.direction !== 'inbound') continue;
      inbound.push(m);
      if (inbound.length === q.limit) break;
    }
  }
  const messages = [];
  for (const m of inbound) messages.push(await partnerMessageView(store, m));
  const next = inbound.length === q.limit || more ? String(before) : null;
  return { messages, next };
}

/**
 * The cursor and page size of a list request, or the error to answer (query_invalid, naming the
 * parameter): `after` is a previous page's `next` (digits), `limit` 1..max (default 50).
 */
export function pageOf(after: string | undefined, limitText: string | undefined, max = 100): { before?: number; limit: number } | { error: GatewayError } {
  const limit = limitText === undefined ? Math.min(50, max) : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) return { error: queryInvalid('limit', `an integer from 1 to ${max}`, limitText) };
  if (after === undefined) return { limit };
  if (!/^[1-9][0-9]{0,14}$/.test(after)) return { error: queryInvalid('after', 'the next value of a previous page', after) };
  return { limit, before: Number(after) };
}
