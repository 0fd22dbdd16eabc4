/**
 * The console's own reads and bulk actions (issue 19), for operations staff:
 *   GET  /api/v1/console/search?q=&partner=&from=&to=&order=&after=&limit=  messages by any number they carry
 *   GET  /api/v1/console/messages/:id/told      what the partner was told (our 997/999/TA1/CONTRL, MDNs) in words
 *   GET  /api/v1/console/partners/:id/days?days= per-day volume, failures and ack latency
 *   GET  /api/v1/console/messages?partner=&status=&order=&after=&limit=  messages, newest or oldest first
 *   GET  /api/v1/console/exceptions?status=&partner=&code=&order=&after=&limit=  the queue, sorted, a page at a time
 *   POST /api/v1/console/exceptions/bulk         replay or discard a filtered set (dryRun: the count only)
 *   GET  /api/v1/audit?action=&actor=&subject=&after=&limit=  the audit log, newest first
 * Each read is one index range (console-store.ts); a bulk action does at most BULK_BATCH exceptions
 * per request and answers `next` for the rest.
 */
import type { Context, Hono } from 'hono';
import type { Store } from '../db/store.ts';
import { explainAck, type FindingDetail } from '../portal/ack-words.ts';
import { readAcknowledgements } from '../pipeline/inbound/read-acks.ts';
import { principalName, type createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { answerError, bodyInvalid, isApiError, notFoundError, queryInvalid } from './errors.ts';
import type { Order } from './console/console-store.ts';
import { exceptionView, messageView } from './views.ts';

/** exceptions one bulk request replays or discards; the console asks again with `next` */
export const BULK_BATCH = 25;
/** a dry run counts at most this many (more: "at least") */
const COUNT_CAP = 10_000;

const limitOf = (c: Context, dflt = 50) => Math.min(Math.max(Number(c.req.query('limit') ?? dflt) || dflt, 1), 500);

function orderOf(c: Context): Order | Response {
  const o = c.req.query('order') ?? 'desc';
  if (o === 'desc' || o === 'asc') return o;
  return answerError(c, queryInvalid('order', 'desc (newest first) or asc (oldest first)', o));
}

/** 2026-12-07 or a full ISO time; `end`: a date alone means up to the end of that day */
function timeOf(c: Context, name: 'from' | 'to'): string | undefined | Response {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) {
    return name === 'to' ? new Date(Date.parse(v) + 86_400_000).toISOString() : new Date(Date.parse(v)).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(Date.parse(v)).toISOString();
  return answerError(c, queryInvalid(name, 'a date (2026-12-07) or an ISO time (2026-12-07T10:00:00Z)', v));
}

const seqCursor = (c: Context): number | undefined | Response => {
  const after = c.req.query('after');
  if (after === undefined || after === '') return undefined;
  if (/^[1-9][0-9]{0,14}$/.test(after)) return Number(after);
  return answerError(c, queryInvalid('after', 'the next value of a previous page', after));
};

/** what the partner was told about message `id`: each answer we sent (and its words), newest last */
export async function toldAbout(store: Store, id: string) {
  const excs = await store.listExceptions({ messageId: id, limit: 50 });
  const findings: FindingDetail[] = excs.map((e) => ({ ...(JSON.parse(e.detail) as FindingDetail), message: e.message }));
  const answers = await store.relatedMessages(id);
  const told = [];
  for (const a of answers) {
    const meta = JSON.parse(a.metadata) as Record<string, string>;
    let words: string[] = [];
    let disposition: string | undefined;
    if (meta.kind === 'MDN' || a.transport !== 'ack') {
      disposition = meta.disposition;
      words = [`AS2 MDN${meta.disposition ? `: ${meta.disposition}` : ''}`];
    } else {
      try {
        const bytes = await store.readRaw(a);
        const format = Buffer.from(bytes.subarray(0, 3)).toString('latin1') === 'ISA' ? 'x12' : 'edifact';
        const readings = readAcknowledgements(format, bytes);
        disposition = readings[0]?.disposition;
        words = explainAck(bytes, findings);
        if (words.length === 0) words = readings.map((r) => r.summary);
      } catch {
        words = ['the acknowledgement\'s bytes are no longer kept (retention)'];
      }
    }
    told.push({ messageId: a.id, kind: meta.kind ?? a.transport, at: a.receivedAt, disposition: disposition ?? 'unknown', words, links: { message: `/api/v1/messages/${a.id}`, raw: `/api/v1/messages/${a.id}/raw` } });
  }
  return told;
}

export function mountConsoleSearch(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  const staff = auth.require(['operator']);
  const { store } = deps;
  const knownPartner = (c: Context, id: string | undefined) => {
    if (id === undefined || id === '') return undefined;
    const view = deps.config();
    if (view.partner(id) || view.disabled?.partner(id)) return undefined;
    return answerError(c, notFoundError('partner', id, `partner ${id} is not configured`));
  };

  app.get('/api/v1/console/search', staff, async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (!q) return answerError(c, queryInvalid('q', 'a number: PO, ASN, invoice, BOL, tracking, control number, AS2 Message-ID or error code', c.req.query('q')));
    const partner = c.req.query('partner') || undefined;
    const unknown = knownPartner(c, partner);
    if (unknown) return unknown;
    const order = orderOf(c);
    if (order instanceof Response) return order;
    const from = timeOf(c, 'from');
    if (from instanceof Response) return from;
    const to = timeOf(c, 'to');
    if (to instanceof Response) return to;
    let after: { at: string; seq: number } | undefined;
    const cursor = c.req.query('after');
    if (cursor) {
      const m = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+Z)_(\d{1,15})$/.exec(cursor);
      if (!m) return answerError(c, queryInvalid('after', 'the next value of a previous page', cursor));
      after = { at: m[1]!, seq: Number(m[2]) };
    }
    const limit = limitOf(c);
    // a code such as mapping_failed is searched as stored (upper-cased), like every number
    const hits = await store.console.search({ key: q.toUpperCase(), partnerId: partner, from, to, order, limit, after });
    const messages = [];
    for (const h of hits) {
      const m = await store.getMessage(h.messageId);
      if (m) messages.push({ ...messageView(m), matched: { kind: h.kind, at: h.at } });
    }
    const last = hits[hits.length - 1];
    return c.json({ query: q, messages, next: hits.length === limit && last ? `${last.at}_${last.seq}` : null });
  });

  app.get('/api/v1/console/messages/:id/told', staff, async (c) => {
    const m = await store.getMessage(c.req.param('id'));
    if (!m) return answerError(c, notFoundError('message', c.req.param('id')));
    return c.json({ messageId: m.id, partnerId: m.partnerId, told: await toldAbout(store, m.id) });
  });

  app.get('/api/v1/console/partners/:id/days', staff, async (c) => {
    const id = c.req.param('id');
    const unknown = knownPartner(c, id);
    if (unknown) return unknown;
    const daysRaw = c.req.query('days') ?? '30';
    const days = Number(daysRaw);
    if (!Number.isInteger(days) || days < 1 || days > 366) return answerError(c, queryInvalid('days', 'a whole number of days, 1 to 366', daysRaw));
    const today = deps.clock.now();
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)));
    const rows = new Map((await store.console.partnerDays(id, day(first), day(today))).map((r) => [r.day, r]));
    const out = [];
    for (let i = 0; i < days; i++) {
      const d = day(new Date(first.getTime() + i * 86_400_000));
      const r = rows.get(d);
      out.push({ day: d, received: r?.received ?? 0, failed: r?.failed ?? 0, acks: r?.acks ?? 0, ackLatencyMs: r && r.acks > 0 ? Math.round(r.ackMs / r.acks) : null });
    }
    return c.json({ partnerId: id, days: out });
  });

  app.get('/api/v1/console/messages', staff, async (c) => {
    const partner = c.req.query('partner') || undefined;
    const unknown = knownPartner(c, partner);
    if (unknown) return unknown;
    const status = c.req.query('status') || undefined;
    if (status && !['received', 'processed', 'failed', 'duplicate'].includes(status)) return answerError(c, queryInvalid('status', 'received, processed, failed or duplicate', status));
    const order = orderOf(c);
    if (order instanceof Response) return order;
    const after = seqCursor(c);
    if (after instanceof Response) return after;
    const limit = limitOf(c, 100);
    const rows = await store.console.messages({ partnerId: partner, status, order, limit, after });
    return c.json({ messages: rows.map(messageView), next: rows.length === limit ? String(rows[rows.length - 1]!.seq) : null });
  });

  /** the exception filter of the list and of a bulk action */
  const exceptionFilter = (c: Context, src: Record<string, string | undefined>) => {
    const status = src.status ?? 'open';
    if (!['open', 'replayed', 'discarded'].includes(status)) return answerError(c, queryInvalid('status', 'open, replayed or discarded', status));
    const unknown = knownPartner(c, src.partner);
    if (unknown) return unknown;
    return { status: status as 'open', partnerId: src.partner || undefined, code: src.code || undefined };
  };

  app.get('/api/v1/console/exceptions', staff, async (c) => {
    const f = exceptionFilter(c, c.req.query());
    if (f instanceof Response) return f;
    const order = orderOf(c);
    if (order instanceof Response) return order;
    const after = seqCursor(c);
    if (after instanceof Response) return after;
    const limit = limitOf(c, 100);
    const rows = await store.console.exceptions({ ...f, order, limit, after });
    return c.json({ exceptions: rows.map(exceptionView), next: rows.length === limit ? String(rows[rows.length - 1]!.seq) : null });
  });

  app.post('/api/v1/console/exceptions/bulk', staff, async (c) => {
    const body = await c.req.json().catch(() => undefined) as { action?: unknown; dryRun?: unknown; partner?: string; code?: string; reason?: unknown; after?: unknown; until?: unknown } | undefined;
    if (!body || typeof body !== 'object') return answerError(c, bodyInvalid('', 'a JSON object: { action, partner?, code?, dryRun?, reason?, after? }'));
    if (body.action !== 'replay' && body.action !== 'discard') return answerError(c, bodyInvalid('/action', 'replay or discard', 'replay|discard', String(body.action)));
    if (body.action === 'discard' && !body.dryRun && (typeof body.reason !== 'string' || !body.reason.trim())) {
      return answerError(c, bodyInvalid('/reason', 'a discard says why (kept in the audit log)', 'a non-empty string', String(body.reason ?? '')));
    }
    const f = exceptionFilter(c, { status: 'open', partner: body.partner, code: body.code });
    if (f instanceof Response) return f;
    const by = principalName(c.get('principal'));
    // the set is the exceptions open when it was first counted (up to `until`): a replay that fails again opens a newer one, which this run leaves alone
    const newest = (await store.console.exceptions({ ...f, order: 'desc', limit: 1 }))[0]?.seq ?? 0;
    const until = typeof body.until === 'number' && Number.isInteger(body.until) ? Math.min(body.until, newest) : newest;
    const after = typeof body.after === 'number' && Number.isInteger(body.after) ? body.after : undefined;
    if (body.dryRun) {
      // counted a page at a time through exceptions_code / exceptions_status, up to COUNT_CAP
      let count = 0;
      let cursor = after;
      for (;;) {
        const page = (await store.console.exceptions({ ...f, order: 'asc', limit: 1000, after: cursor })).filter((e) => e.seq <= until);
        count += page.length;
        if (page.length < 1000 || count >= COUNT_CAP) break;
        cursor = page[page.length - 1]!.seq;
      }
      return c.json({ action: body.action, dryRun: true, filter: f, count: Math.min(count, COUNT_CAP), capped: count >= COUNT_CAP, until });
    }
    // open exceptions oldest first, at most BULK_BATCH; one message's several exceptions are one replay or discard
    const rows = (await store.console.exceptions({ ...f, order: 'asc', limit: BULK_BATCH, after })).filter((e) => e.seq <= until);
    const done: Array<{ exceptionId: string; messageId: string; outcome: string; code?: string }> = [];
    const seen = new Set<string>();
    for (const e of rows) {
      if (seen.has(e.messageId)) continue;
      seen.add(e.messageId);
      try {
        if (body.action === 'discard') {
          const r = await deps.exceptionQueue.discard(e.id, by, String(body.reason));
          done.push({ exceptionId: e.id, messageId: r.messageId, outcome: `discarded ${r.discarded}` });
        } else {
          const r = await deps.exceptionQueue.replay(e.id, by);
          done.push({ exceptionId: e.id, messageId: r.messageId, outcome: r.after.status });
        }
      } catch (err) {
        if (!isApiError(err)) throw err;
        done.push({ exceptionId: e.id, messageId: e.messageId, outcome: 'refused', code: err.code });
      }
    }
    await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: `bulk_${body.action}`, subject: null,
      detail: { filter: f, until, messages: done.length, ...(body.action === 'discard' ? { reason: body.reason } : {}) } });
    const last = rows[rows.length - 1];
    const next = rows.length === BULK_BATCH && last && last.seq < until ? last.seq : null;
    return c.json({ action: body.action, filter: f, until, done, next });
  });

  app.get('/api/v1/audit', staff, async (c) => {
    const before = seqCursor(c);
    if (before instanceof Response) return before;
    const limit = limitOf(c, 100);
    const q = c.req.query();
    const rows = await store.console.audit({ action: q.action || undefined, actor: q.actor || undefined, subject: q.subject || undefined, limit, before });
    return c.json({
      entries: rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: JSON.parse(r.detail) as unknown })),
      next: rows.length === limit ? String(rows[rows.length - 1]!.seq) : null,
    });
  });
}
