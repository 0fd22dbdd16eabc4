import type { Context, Hono } from 'hono';
import type { Readable } from 'node:stream';
import { messagePurgedError, rawInFileStoreOnly } from '../retention/raw-bytes.ts';
import { principalName, type createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { answerError, isApiError, notFoundError, queryInvalid } from './errors.ts';
import { mountUnmapped } from './routes-unmapped.ts';
import { documentView, exceptionView, messageView, outcomeView } from './views.ts';

/** documents listed in GET /api/v1/messages/:id */
const MESSAGE_DOCUMENTS = 10_000;

const limitOf = (c: Context, dflt = 100) => Math.min(Math.max(Number(c.req.query('limit') ?? dflt) || dflt, 1), 1000);

/**
 * Cursor pages, newest first: `?after=` takes the `next` of the previous page (the last row's seq);
 * `next` is null on the last page. A malformed cursor is a 400, not the first page again.
 */
const cursorOf = (c: Context): number | undefined | Response => {
  const after = c.req.query('after');
  if (after === undefined) return undefined;
  if (/^[1-9][0-9]{0,14}$/.test(after)) return Number(after);
  return answerError(c, queryInvalid('after', 'the next value of a previous page', after));
};
const nextOf = (rows: Array<{ seq: number }>, limit: number) => (rows.length === limit ? String(rows[rows.length - 1]!.seq) : null);

/** Messages, documents, exceptions (list, show, replay, discard) and partners for operations staff. */
export function mountAdmin(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  const staff = auth.require(['operator']);
  const { store } = deps;
  mountUnmapped(app, deps, staff);
  /** a list filtered by a partner the gateway does not know (neither running nor disabled) is a 404, not an empty list */
  const unknownPartner = (c: Context) => {
    const id = c.req.query('partner');
    const view = deps.config();
    if (id === undefined || view.partner(id) || view.disabled?.partner(id)) return undefined;
    return answerError(c, notFoundError('partner', id, `partner ${id} is not configured`));
  };

  app.get('/api/v1/messages/:id', auth.require(['operator'], true), async (c) => {
    const m = await store.getMessage(c.req.param('id'));
    const p = c.get('principal');
    // A partner sees only its own messages; another partner's id answers as if it did not exist.
    if (!m || (p.kind === 'partner' && m.partnerId !== p.partnerId)) {
      return answerError(c, notFoundError('message', c.req.param('id')));
    }
    // a large interchange's documents are listed up to MESSAGE_DOCUMENTS, without their envelopes
    const docs = await store.documentSummariesForMessage(m.id, MESSAGE_DOCUMENTS + 1);
    const excs = await store.listExceptions({ messageId: m.id, limit: 1000 });
    const answers = await store.relatedMessages(m.id);
    return c.json({
      ...messageView(m),
      documents: docs.slice(0, MESSAGE_DOCUMENTS).map((d) => ({ id: d.id, type: d.type, status: d.status, businessKey: d.businessKey })),
      ...(docs.length > MESSAGE_DOCUMENTS ? { documentsTruncated: true } : {}),
      exceptions: excs.map(exceptionView),
      acknowledgements: answers.map((a) => ({ messageId: a.id, ...JSON.parse(a.metadata) as Record<string, string>, links: { raw: `/api/v1/messages/${a.id}/raw` } })),
    });
  });
  app.get('/api/v1/messages/:id/raw', auth.require(['operator'], true), async (c) => {
    const m = await store.getMessage(c.req.param('id'));
    const p = c.get('principal');
    // a partner fetches the bytes of its own messages (the 997s we sent it, the orders it collects); another partner's are not there
    if (!m || (p.kind === 'partner' && m.partnerId !== p.partnerId)) return answerError(c, notFoundError('message', c.req.param('id')));
    if (m.purgedAt) return answerError(c, messagePurgedError(m));
    // the partner's bytes with the type they declared, but never rendered or sniffed by a browser as a page of ours
    const headers = {
      'content-type': JSON.parse(m.metadata).contentType ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff', 'content-disposition': `attachment; filename="${m.id}.raw"`, 'content-security-policy': "default-src 'none'; sandbox",
    };
    const blobs = store.retention.blobs;
    if (rawInFileStoreOnly(m) && blobs) {
      // a large message is served from the file store as a stream (a file changed on disk aborts it: blob_corrupt)
      const body = pulled(blobs.createReadStream(m.rawRef!));
      return new Response(body, { status: 200, headers: { ...headers, 'content-length': String(m.size) } });
    }
    const raw = await store.readRaw(m);
    return c.body(new Uint8Array(raw), 200, headers);
  });
  app.get('/api/v1/messages', staff, async (c) => {
    const unknown = unknownPartner(c);
    if (unknown) return unknown;
    const before = cursorOf(c);
    if (before instanceof Response) return before;
    const limit = limitOf(c);
    const rows = await store.listMessages({ partnerId: c.req.query('partner'), status: c.req.query('status'), limit, before });
    return c.json({ messages: rows.map(messageView), next: nextOf(rows, limit) });
  });
  app.post('/api/v1/messages/:id/replay', staff, (c) => replay(c, c.req.param('id')));

  app.get('/api/v1/documents', staff, async (c) => {
    const unknown = unknownPartner(c);
    if (unknown) return unknown;
    const before = cursorOf(c);
    if (before instanceof Response) return before;
    const limit = limitOf(c);
    const rows = await store.findDocuments({ businessKey: c.req.query('number'), partnerId: c.req.query('partner'), type: c.req.query('type'), limit, before });
    return c.json({ documents: rows.map(documentView), next: nextOf(rows, limit) });
  });
  app.get('/api/v1/documents/:id', staff, async (c) => {
    const d = await store.getDocument(c.req.param('id'));
    if (!d) return answerError(c, notFoundError('document', c.req.param('id')));
    return c.json(documentView(d));
  });

  app.get('/api/v1/exceptions', staff, async (c) => {
    const status = c.req.query('status') ?? 'open';
    if (!['open', 'replayed', 'discarded'].includes(status)) {
      return answerError(c, queryInvalid('status', 'open, replayed or discarded', status));
    }
    const unknown = unknownPartner(c);
    if (unknown) return unknown;
    const before = cursorOf(c);
    if (before instanceof Response) return before;
    const limit = limitOf(c);
    const rows = await store.listExceptions({ status: status as 'open', partnerId: c.req.query('partner'), limit, before });
    return c.json({ exceptions: rows.map(exceptionView), next: nextOf(rows, limit) });
  });
  app.get('/api/v1/exceptions/:id', staff, async (c) => {
    const e = await store.getException(c.req.param('id'));
    if (!e) return answerError(c, notFoundError('exception', c.req.param('id')));
    return c.json(exceptionView(e));
  });
  app.post('/api/v1/exceptions/:id/replay', staff, (c) => replay(c, c.req.param('id')));
  app.post('/api/v1/exceptions/:id/discard', staff, async (c) => {
    const body = await c.req.json().catch(() => ({})) as { reason?: string };
    try {
      return c.json(await deps.exceptionQueue.discard(c.req.param('id'), principalName(c.get('principal')), body.reason));
    } catch (e) {
      if (isApiError(e)) return answerError(c, e);
      throw e;
    }
  });

  app.get('/api/v1/partners', staff, (c) => c.json({ partners: deps.config().partners.map((p) => ({ id: p.id, name: p.name, status: p.status })) }));
  app.get('/api/v1/partners/:id', staff, (c) => {
    const p = deps.config().partner(c.req.param('id'));
    return p ? c.json(p) : answerError(c, notFoundError('partner', c.req.param('id'), `partner ${c.req.param('id')} is not configured`));
  });

  app.get('/api/v1/certificates', staff, (c) => c.json({ certificates: deps.certificates?.() ?? [] }));

  async function replay(c: Context, ref: string) {
    try {
      const r = await deps.exceptionQueue.replay(ref, principalName(c.get('principal')));
      return c.json({ messageId: r.messageId, before: r.before, after: outcomeView(r.after), ...(r.job ? { job: r.job } : {}), openExceptions: r.openExceptions });
    } catch (e) {
      if (isApiError(e)) return answerError(c, e);
      throw e;
    }
  }
}

/**
 * A web stream that reads the next chunk only when the response asks for it (the client's pace):
 * Readable.toWeb read the whole 64 MB file ahead of a client (the gateway's peak RSS went +200 MB).
 */
function pulled(source: Readable): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() { await it.return?.(); },
  }, { highWaterMark: 0 });
}
