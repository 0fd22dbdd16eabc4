/**
 * Business events (src/events/) for consumers that pull and for operators:
 *   GET  /api/v1/events?type=&partner=&after=&limit=     -> { events (CloudEvents, oldest first), next }
 *        `after`: the `next` of the previous page (a seq); `next` is the last event's seq (null: no
 *        event after `after` yet: ask again with the same cursor later)
 *   GET  /api/v1/subscribers                             -> { subscribers, config }
 *   GET  /api/v1/subscribers/:name/dead-letters?after=   -> { deadLetters (newest first), next }
 *   POST /api/v1/subscribers/:name/dead-letters/:id/replay   (admin) -> 202 { jobId }
 *   POST /api/v1/subscribers/:name/replay { since, until? }  (admin) -> 202 { jobId, after, upTo }
 */
import type { Context, Hono } from 'hono';
import { cloudEvent } from '../events/envelope.ts';
import { nextCursor } from '../events/event-store.ts';
import type { EventService } from '../events/service.ts';
import type { Subscriber } from '../events/subscribers.ts';
import type { createAuthenticator } from './auth.ts';
import { answerError, bodyInvalid, errorBody, queryInvalid } from './errors.ts';

const limitOf = (c: Context, dflt = 100) => Math.min(Math.max(Number(c.req.query('limit') ?? dflt) || dflt, 1), 1000);
const cursorOf = (c: Context): number | Response => {
  const after = c.req.query('after');
  if (after === undefined || after === '0') return 0;
  if (/^[1-9][0-9]{0,14}$/.test(after)) return Number(after);
  return answerError(c, queryInvalid('after', 'the next value of a previous page (a sequence number)', after));
};
/** a date (2026-12-01, midnight UTC) or an ISO-8601 date-time with an offset */
export function parseSince(text: string): string | undefined {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** a sink as operators see it: never its secret, a URL without credentials */
export function sinkView(s: Subscriber['sink']) {
  const clean = (u: string) => u.replace(/\/\/[^@/]*@/, '//***@');
  return s.type === 'webhook' ? { type: s.type, url: clean(s.url), timeoutMs: s.timeoutMs }
    : { type: s.type, servers: s.servers.map(clean), stream: s.stream, subjectPrefix: s.subjectPrefix, duplicateWindowSeconds: s.duplicateWindowSeconds };
}

export function mountEvents(app: Hono, events: EventService, auth: ReturnType<typeof createAuthenticator>): void {
  const staff = auth.require(['operator']);
  const admin = auth.require(['admin']);
  const subscriberOr404 = (c: Context) => {
    const name = c.req.param('name') ?? '';
    const s = events.subscribers.current().byName(name);
    return s ?? c.json(errorBody('subscriber_not_found', `subscriber ${name} is not configured (subscribers/${name}.yaml)`, { subscriber: name }), 404);
  };

  app.get('/api/v1/events', staff, async (c) => {
    const after = cursorOf(c);
    if (after instanceof Response) return after;
    const limit = limitOf(c);
    const type = c.req.query('type') || undefined;
    const partnerId = c.req.query('partner') || undefined;
    const filter = { after, limit, type, partnerId };
    const rows = await events.store.list(filter);
    const next = nextCursor(filter, rows, rows.length === limit ? 0 : await events.store.lastSeq());
    return c.json({ events: (await events.expand(rows)).map(cloudEvent), next: next === null ? null : String(next) });
  });

  app.get('/api/v1/subscribers', staff, async (c) => {
    const last = await events.store.lastSeq();
    const list = [];
    for (const s of events.subscribers.current().subscribers) {
      const position = (await events.store.position(s.name)) ?? null;
      list.push({
        name: s.name, file: s.file, ...(s.description ? { description: s.description } : {}), enabled: s.enabled, events: s.events,
        filters: { ...(s.partners ? { partners: s.partners } : {}), ...(s.documentTypes ? { documentTypes: s.documentTypes } : {}) },
        sink: sinkView(s.sink), position, behind: position === null ? null : Math.max(0, last - position), circuit: events.publisher.circuit(s.name),
      });
    }
    return c.json({ subscribers: list, lastSeq: last, config: events.subscribers.status() });
  });

  app.get('/api/v1/subscribers/:name/dead-letters', staff, async (c) => {
    const s = subscriberOr404(c);
    if (s instanceof Response) return s;
    const after = cursorOf(c);
    if (after instanceof Response) return after;
    const limit = limitOf(c);
    const rows = await events.store.deadLetters(s.name, { ...(after > 0 ? { before: after } : {}), limit });
    return c.json({ deadLetters: rows, next: rows.length === limit ? String(rows.at(-1)!.id) : null });
  });

  app.post('/api/v1/subscribers/:name/dead-letters/:id/replay', admin, async (c) => {
    const s = subscriberOr404(c);
    if (s instanceof Response) return s;
    const id = Number(c.req.param('id'));
    const d = Number.isSafeInteger(id) ? await events.store.getDeadLetter(id) : undefined;
    if (!d || d.subscriber !== s.name) return c.json(errorBody('dead_letter_not_found', `subscriber ${s.name} has no dead letter ${c.req.param('id')}`, { subscriber: s.name, deadLetterId: c.req.param('id') }), 404);
    const jobId = await events.publisher.enqueueReplay({ subscriber: s.name, after: d.eventSeq - 1, upTo: d.eventSeq, deadLetterId: d.id });
    return c.json({ jobId, deadLetterId: d.id, eventId: d.eventId }, 202);
  });

  app.post('/api/v1/subscribers/:name/replay', admin, async (c) => {
    const s = subscriberOr404(c);
    if (s instanceof Response) return s;
    const body = await c.req.json().catch(() => undefined) as { since?: unknown; until?: unknown } | undefined;
    const since = typeof body?.since === 'string' ? parseSince(body.since) : undefined;
    if (!since) return answerError(c, bodyInvalid('/since', 'since must be a date (2026-12-01) or an ISO-8601 date-time with an offset', 'date or date-time', body?.since === undefined ? undefined : String(body.since)));
    const until = typeof body?.until === 'string' ? parseSince(body.until) : undefined;
    if (body?.until !== undefined && !until) return answerError(c, bodyInvalid('/until', 'until must be a date or an ISO-8601 date-time with an offset', 'date or date-time', String(body.until)));
    const after = await events.store.seqBefore(since);
    const upTo = until ? await events.store.seqBefore(until) : await events.store.lastSeq();
    const jobId = upTo > after ? await events.publisher.enqueueReplay({ subscriber: s.name, after, upTo }) : null;
    return c.json({ jobId, after, upTo, events: Math.max(0, upTo - after) }, 202);
  });
}
