/**
 * The supplier portal at /portal/ (issue 18): static pages (assets/, served like the console's:
 * from memory, strict CSP, no inline script, never framed) and their JSON API under /portal/api/,
 * authenticated by the portal session cookie (session.ts) and scoped to the user's partner: an id
 * of another partner's order, message or outbox item answers exactly as an id that does not exist.
 * Staff routes under /api/v1/portal/ (bearer tokens): invitations, users, certification approval.
 */
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { isGatewayError, toGatewayError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { PartnerProfile } from '../../config/types.ts';
import { createAccounts, SESSION_HOURS, type PortalSession } from '../../portal/accounts.ts';
import { certificationReport, switchProfileToProduction } from '../../portal/certification.ts';
import { outboxItemView } from '../../portal/outbox.ts';
import { pageOf, partnerMessages } from '../../portal/partner-views.ts';
import { buildInvoice, buildPoAck, buildShipNotice, type PurchaseOrderDoc } from '../../portal/web-edi.ts';
import { orderTimeline } from '../../pipeline/lifecycle/timeline.ts';
import { detectFormat } from '../../pipeline/inbound/detect-format.ts';
import { loadConsoleAssets, consoleSecurityHeaders, type ConsoleAsset } from '../console/routes.ts';
import { principalName, type createAuthenticator } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { answerError } from '../errors.ts';
import { readBodySpooled } from '../read-body.ts';
import { exceptionView, outcomeView } from '../views.ts';
import { clearSessionCookie, portalError, portalGuard, preSessionCsrf, requireSession, setSessionCookie } from './session.ts';

export interface PortalOptions {
  ids: IdGenerator;
  /** reloads partners/ after a profile was switched to production; false when the reload was refused */
  reloadConfig(): boolean;
  /** the address partners reach the gateway at, for invitation links (EDIGW_PUBLIC_URL); default: the request's */
  publicUrl?: string;
  /** the largest file a portal user uploads (default 10 MiB, never above the gateway's limit) */
  maxUploadBytes?: number;
}

const DEFAULT_UPLOAD = 10 * 1024 * 1024;
type Json = Record<string, unknown>;

export function mountPortal(app: Hono, deps: AppDeps & { portal: PortalOptions }, auth: ReturnType<typeof createAuthenticator>): void {
  const { store, clock } = deps;
  const opts = deps.portal;
  const profile = (id: string) => deps.config().partner(id) as unknown as PartnerProfile | undefined;
  const accounts = createAccounts({ store, clock, ids: opts.ids, partnerExists: (id) => Boolean(profile(id)) });
  const assets = loadConsoleAssets(fileURLToPath(new URL('./assets/', import.meta.url)));
  const uploadLimit = Math.min(opts.maxUploadBytes ?? DEFAULT_UPLOAD, deps.limits.maxBodyBytes);
  const now = () => clock.now().toISOString();
  const audit = (s: PortalSession, action: string, subject: string | null, detail: Json) =>
    store.audit({ at: now(), actor: `portal:${s.user.email}`, action, subject, detail: { partnerId: s.user.partnerId, ...detail } });
  const answer = (c: Context, e: unknown, status: 400 | 401 | 403 | 404 | 409 | 422 | 423 = 400) => {
    if (!isGatewayError(e)) throw e;
    const code = e.code;
    const s = code === 'account_locked' ? 423 : code === 'login_failed' ? 401 : code.endsWith('_not_found') ? 404 : code === 'portal_user_exists' ? 409 : status;
    return portalError(c, s, code, e.message, Object.keys(e.detail ?? {}).length ? e.detail as Json : undefined);
  };
  const sessionOf = (c: Context) => c.get('portalSession')!;
  const body = async (c: Context): Promise<Json | Response> => {
    try {
      const b = await c.req.json() as unknown;
      return b && typeof b === 'object' && !Array.isArray(b) ? b as Json : portalError(c, 400, 'json_malformed', 'the body must be a JSON object');
    } catch {
      return portalError(c, 400, 'json_malformed', 'the body must be a JSON object');
    }
  };

  // ---- pages ----
  const send = (c: Context, asset: ConsoleAsset) => {
    const headers: Record<string, string> = { ...consoleSecurityHeaders, etag: asset.etag, 'cache-control': 'no-cache' };
    if (c.req.header('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
    return c.body(asset.body, 200, { ...headers, 'content-type': asset.contentType });
  };
  app.get('/portal', (c) => c.redirect('/portal/', 301));
  app.get('/portal/', (c) => send(c, assets.get('index.html')!));
  app.get('/portal/assets/*', (c) => {
    const a = assets.get(c.req.path.slice('/portal/assets/'.length));
    return a ? send(c, a) : c.json({ error: { code: 'not_found', message: `no portal file ${c.req.path}` } }, 404, { ...consoleSecurityHeaders });
  });

  // ---- the portal's API (session cookie) ----
  app.use('/portal/api/*', portalGuard(accounts));
  app.get('/portal/api/session', (c) => {
    const s = c.get('portalSession');
    if (!s) return c.json({ signedIn: false, csrf: preSessionCsrf(c) });
    const p = profile(s.user.partnerId);
    return c.json({ signedIn: true, csrf: s.session.csrf, user: { email: s.user.email }, partner: { id: s.user.partnerId, name: p?.name ?? s.user.partnerId, status: p?.status ?? 'unknown' } });
  });
  app.post('/portal/api/login', async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    try {
      const r = await accounts.login(b.email, b.password, c.req.header('x-forwarded-for'));
      setSessionCookie(c, r.token, SESSION_HOURS * 3600);
      return c.json({ signedIn: true, csrf: r.session.csrf, user: { email: r.user.email }, partner: { id: r.user.partnerId } });
    } catch (e) { return answer(c, e); }
  });
  app.post('/portal/api/logout', async (c) => {
    const s = c.get('portalSession');
    if (s) await accounts.logout(s);
    clearSessionCookie(c);
    return c.json({ signedIn: false });
  });
  app.post('/portal/api/invitations/accept', async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    try {
      const u = await accounts.accept(String(b.token ?? ''), b.password);
      return c.json({ accepted: true, email: u.email, partnerId: u.partnerId });
    } catch (e) { return answer(c, e); }
  });

  app.use('/portal/api/*', async (c, next) => {
    const open = ['/portal/api/session', '/portal/api/login', '/portal/api/logout', '/portal/api/invitations/accept'];
    if (open.includes(c.req.path)) return next();
    return requireSession(c, next);
  });

  /** the newest purchase order we sent this partner under this number */
  async function orderOf(partnerId: string, poNumber: string) {
    const rows = await store.findDocuments({ businessKey: poNumber, partnerId, type: 'purchase_order', limit: 20 });
    return rows.find((d) => d.direction === 'outbound');
  }
  const noOrder = (c: Context, po: string) => portalError(c, 404, 'order_not_found', `no purchase order ${po} was sent to you`);

  async function orderSummary(partnerId: string, po: { businessKey: string | null; createdAt: string; envelope: string; id: string }, overdue: Set<string>) {
    const related = po.businessKey ? (await store.documentsByCorrelation(po.businessKey)).filter((d) => d.partnerId === partnerId && d.direction === 'inbound') : [];
    const has = (t: string) => related.some((d) => d.type === t);
    const doc = (JSON.parse(po.envelope) as { document: PurchaseOrderDoc }).document;
    return {
      poNumber: po.businessKey, documentId: po.id, sentAt: po.createdAt, poDate: doc.poDate, lines: doc.lines.length,
      acknowledged: has('purchase_order_ack'), shipped: has('ship_notice'), invoiced: has('invoice'), overdue: overdue.has(po.id),
      status: has('invoice') ? 'invoiced' : has('ship_notice') ? 'shipped' : has('purchase_order_ack') ? 'acknowledged' : overdue.has(po.id) ? 'overdue' : 'sent',
    };
  }
  const overdueIds = async (partnerId: string) => {
    if (!deps.overdue) return new Set<string>();
    const r = await deps.overdue.report();
    return new Set([...r.poAckMissing, ...r.invoiceMissing, ...r.functionalAckMissing].filter((i) => i.partnerId === partnerId).map((i) => i.documentId).filter((x): x is string => Boolean(x)));
  };

  app.get('/portal/api/orders', async (c) => {
    const s = sessionOf(c);
    const page = pageOf(c.req.query('after'), c.req.query('limit'));
    if ('error' in page) return answerError(c, page.error);
    const rows = await store.findDocuments({ partnerId: s.user.partnerId, type: 'purchase_order', limit: page.limit, before: page.before });
    const overdue = await overdueIds(s.user.partnerId);
    const orders = [];
    for (const r of rows) if (r.direction === 'outbound') orders.push(await orderSummary(s.user.partnerId, r, overdue));
    return c.json({ orders, next: rows.length === page.limit ? String(rows[rows.length - 1]!.seq) : null });
  });

  app.get('/portal/api/orders/:po', async (c) => {
    const s = sessionOf(c);
    const partnerId = s.user.partnerId;
    const po = await orderOf(partnerId, c.req.param('po'));
    if (!po) return noOrder(c, c.req.param('po'));
    const t = await orderTimeline(store, po.businessKey!);
    const related = (await store.documentsByCorrelation(po.businessKey!)).filter((d) => d.partnerId === partnerId && d.direction === 'inbound');
    return c.json({
      ...(await orderSummary(partnerId, po, await overdueIds(partnerId))),
      order: (JSON.parse(po.envelope) as { document: unknown }).document,
      // another partner's documents under the same PO number are not shown
      timeline: (t?.events ?? []).filter((e) => e.partnerId === partnerId).map((e) => ({ at: e.at, kind: e.kind, summary: e.summary, ...(e.messageId ? { messageId: e.messageId } : {}) })),
      documents: related.map((d) => ({ id: d.id, type: d.type, businessKey: d.businessKey, status: d.status, createdAt: d.createdAt, messageId: d.messageId,
        document: (JSON.parse(d.envelope) as { document: unknown }).document, warnings: (JSON.parse(d.envelope) as { warnings?: unknown[] }).warnings ?? [] })),
    });
  });

  /** a web EDI document through the partner's pipeline, as if it had sent it; the answer is the pipeline's */
  async function submit(c: Context, type: string, document: unknown, subject: string) {
    const s = sessionOf(c);
    const bytes = Buffer.from(JSON.stringify({ type, document }), 'utf8');
    const receipt = await deps.ingest({ bytes, partnerId: s.user.partnerId, transport: 'portal',
      metadata: { contentType: 'application/json', enteredOn: 'portal', enteredBy: s.user.email, portalUser: s.user.id, message: type } });
    if (receipt.duplicateOf) {
      await audit(s, 'portal_submit', receipt.messageId, { type, subject, duplicateOf: receipt.duplicateOf });
      return portalError(c, 409, 'duplicate', `the same ${type.replace(/_/g, ' ')} was already submitted (message ${receipt.duplicateOf}); nothing new was sent`, { duplicateOf: receipt.duplicateOf });
    }
    const outcome = outcomeView(await deps.runNow(receipt.messageId, `portal:${s.user.email}`));
    await audit(s, 'portal_submit', receipt.messageId, { type, subject, status: outcome.status, documents: outcome.documents.map((d) => (d as { id?: string }).id) });
    return c.json({ ...outcome, findings: await findingsOf(receipt.messageId) }, outcome.status === 'processed' ? 200 : 422);
  }
  /** the exceptions the pipeline recorded for the message (a lifecycle rule that held a document says why here) */
  const findingsOf = async (messageId: string) => (await store.listExceptions({ messageId, status: 'open', limit: 50 }))
    .map((e) => ({ stage: e.stage, code: e.code, message: e.message, ...(e.documentId ? { documentId: e.documentId } : {}) }));
  const formFailed = (c: Context, e: unknown) => {
    const g = toGatewayError(e);
    if (g.code !== 'form_invalid') throw e;
    return portalError(c, 400, g.code, g.message, g.detail as Json);
  };

  /** a web EDI form on one of the signed-in partner's orders: the order and the form's fields, or the answer refusing them */
  const orderForm = async (c: Context) => {
    const partnerId = sessionOf(c).user.partnerId;
    // mounted only on routes with :po
    const poNumber = c.req.param('po')!;
    const po = await orderOf(partnerId, poNumber);
    if (!po) return noOrder(c, poNumber);
    const form = await body(c);
    if (form instanceof Response) return form;
    return { partnerId, poNumber: po.businessKey!, order: (JSON.parse(po.envelope) as { document: PurchaseOrderDoc }).document, form };
  };
  app.post('/portal/api/orders/:po/ack', async (c) => {
    const f = await orderForm(c);
    if (f instanceof Response) return f;
    let doc;
    try { doc = buildPoAck(f.order, f.form, now().slice(0, 10)); } catch (e) { return formFailed(c, e); }
    return submit(c, 'purchase_order_ack', doc, f.poNumber);
  });
  app.post('/portal/api/orders/:po/ship-notices', async (c) => {
    const f = await orderForm(c);
    if (f instanceof Response) return f;
    let doc;
    try { doc = buildShipNotice(f.order, f.form); } catch (e) { return formFailed(c, e); }
    return submit(c, 'ship_notice', doc, f.poNumber);
  });
  app.post('/portal/api/orders/:po/invoices', async (c) => {
    const f = await orderForm(c);
    if (f instanceof Response) return f;
    const shipmentId = String(f.form.shipmentId ?? '');
    const asn = (await store.documentsByCorrelation(f.poNumber))
      .filter((d) => d.partnerId === f.partnerId && d.direction === 'inbound' && d.type === 'ship_notice' && d.businessKey === shipmentId).at(-1);
    if (!asn) return portalError(c, 400, 'form_invalid', `shipmentId: you sent no ship notice "${shipmentId}" for PO ${f.poNumber}`, { field: 'shipmentId', found: shipmentId });
    let doc;
    try { doc = buildInvoice(f.order, (JSON.parse(asn.envelope) as { document: never }).document, f.form); } catch (e) { return formFailed(c, e); }
    return submit(c, 'invoice', doc, f.poNumber);
  });

  app.get('/portal/api/messages', async (c) => {
    const page = pageOf(c.req.query('after'), c.req.query('limit'));
    if ('error' in page) return answerError(c, page.error);
    return c.json(await partnerMessages(store, sessionOf(c).user.partnerId, page));
  });
  app.get('/portal/api/exceptions', async (c) => {
    const rows = await store.listExceptions({ status: 'open', partnerId: sessionOf(c).user.partnerId, limit: 100 });
    return c.json({ exceptions: rows.map(exceptionView).map((e) => ({ id: e.id, messageId: e.messageId, stage: e.stage, code: e.code, message: e.message, createdAt: e.createdAt, detail: e.detail })) });
  });

  app.post('/portal/api/upload', async (c) => {
    const s = sessionOf(c);
    const contentType = (c.req.header('content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    let bytes: Uint8Array;
    try {
      const spooled = await readBodySpooled(c.req.raw, { maxBytes: uploadLimit, thresholdBytes: uploadLimit + 1 });
      bytes = spooled.bytes ?? new Uint8Array(0);
    } catch (e) {
      if (isGatewayError(e) && e.code === 'message_too_large') return portalError(c, 413, 'file_too_large', `the file is larger than the portal's limit of ${uploadLimit} bytes; send large files over your EDI connection`, { limit: uploadLimit });
      throw e;
    }
    if (bytes.byteLength === 0) return portalError(c, 400, 'file_empty', 'the file is empty');
    const format = detectFormat(bytes, contentType);
    if (!format) {
      const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
      return portalError(c, 415, 'format_unknown', `the file is not X12 (starts with ISA), EDIFACT (UNA/UNB), XML, JSON or CSV: it starts with "${head}"`, { found: head });
    }
    const fileName = (c.req.header('x-file-name') ?? '').replace(/[^\w. -]/g, '_').slice(0, 120);
    const receipt = await deps.ingest({ bytes, partnerId: s.user.partnerId, transport: 'http',
      metadata: { contentType, uploadedOn: 'portal', uploadedBy: `portal:${s.user.email}`, ...(fileName ? { fileName } : {}) } });
    if (receipt.duplicateOf) {
      await audit(s, 'portal_upload', receipt.messageId, { format, duplicateOf: receipt.duplicateOf });
      return portalError(c, 409, 'duplicate', `the same file was already received as message ${receipt.duplicateOf}; stored, not processed again`, { duplicateOf: receipt.duplicateOf });
    }
    const outcome = outcomeView(await deps.runNow(receipt.messageId, `portal:${s.user.email}`));
    await audit(s, 'portal_upload', receipt.messageId, { format, status: outcome.status, bytes: bytes.byteLength });
    return c.json({ ...outcome, findings: await findingsOf(receipt.messageId) }, outcome.status === 'processed' ? 200 : 422);
  });

  app.get('/portal/api/outbox', async (c) => {
    const page = pageOf(c.req.query('after'), c.req.query('limit'));
    if ('error' in page) return answerError(c, page.error);
    const rows = await store.portal.listOutbox({ partnerId: sessionOf(c).user.partnerId, limit: page.limit, before: page.before });
    return c.json({ items: rows.map(outboxItemView).map((i) => ({ ...i, links: i.kind === 'disposition' ? {} : { download: `/portal/api/outbox/${i.id}/raw` } })), next: rows.length === page.limit ? String(rows[rows.length - 1]!.seq) : null });
  });
  app.get('/portal/api/outbox/:id/raw', async (c) => {
    const s = sessionOf(c);
    const item = await store.portal.getOutbox(s.user.partnerId, c.req.param('id'));
    const m = item && item.kind !== 'disposition' ? await store.getMessage(item.messageId) : undefined;
    if (!item || !m || m.partnerId !== s.user.partnerId) return portalError(c, 404, 'outbox_item_not_found', `no outbox item ${c.req.param('id')}`);
    if (m.purgedAt) return portalError(c, 410, 'message_purged', `the bytes of ${item.id} were deleted by the retention policy on ${m.purgedAt}`, { purgedAt: m.purgedAt });
    const raw = await store.readRaw(m);
    await audit(s, 'portal_download', m.id, { item: item.id });
    const ext = (JSON.parse(m.metadata) as Record<string, string>).contentType?.includes('xml') ? 'xml' : (JSON.parse(m.metadata) as Record<string, string>).contentType?.includes('json') ? 'json' : 'edi';
    return c.body(new Uint8Array(raw), 200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${item.id}.${ext}"`, 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox" });
  });

  app.get('/portal/api/certification', async (c) => {
    const p = profile(sessionOf(c).user.partnerId);
    if (!p) return portalError(c, 404, 'partner_not_found', 'your partner profile is not configured any more');
    return c.json(await certificationReport(store, p));
  });

  // ---- staff: invitations, users, certification approval ----
  const staff = auth.require(['operator']);
  app.post('/api/v1/portal/invitations', staff, async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    try {
      const r = await accounts.invite(String(b.partnerId ?? ''), String(b.email ?? ''), principalName(c.get('principal')));
      const base = opts.publicUrl ?? new URL(c.req.url).origin;
      return c.json({ ...r, link: invitationLink(base, r.token) }, 201);
    } catch (e) { return answer(c, e, 422); }
  });
  app.get('/api/v1/portal/users', staff, async (c) => {
    const partnerId = c.req.query('partner') ?? '';
    if (!profile(partnerId)) return portalError(c, 404, 'partner_not_found', `partner ${partnerId} is not configured`);
    const users = await store.portal.listUsers(partnerId);
    return c.json({ users: users.map((u) => ({ id: u.id, email: u.email, status: u.status, invitedBy: u.invitedBy, createdAt: u.createdAt, lastLoginAt: u.lastLoginAt, lockedUntil: u.lockedUntil, inviteExpiresAt: u.inviteExpiresAt })) });
  });
  app.get('/api/v1/portal/certification/:partner', staff, async (c) => {
    const p = profile(c.req.param('partner'));
    if (!p) return portalError(c, 404, 'partner_not_found', `partner ${c.req.param('partner')} is not configured`);
    return c.json(await certificationReport(store, p));
  });
  app.post('/api/v1/portal/certification/:partner/approve', auth.require(['admin']), async (c) => {
    const p = profile(c.req.param('partner'));
    if (!p) return portalError(c, 404, 'partner_not_found', `partner ${c.req.param('partner')} is not configured`);
    const report = await certificationReport(store, p);
    if (p.status !== 'test') return portalError(c, 409, 'partner_not_in_test', `partner ${p.id} is already in production`);
    if (!report.passed) {
      const open = report.steps.filter((s) => !s.passed).map((s) => `${s.title}: ${s.status}`);
      return portalError(c, 409, 'certification_incomplete', `partner ${p.id} has not passed every step: ${open.join('; ')}`, { open });
    }
    try { switchProfileToProduction(p.file); } catch (e) { return answer(c, e, 409); }
    const reloaded = opts.reloadConfig();
    const after = profile(p.id);
    await store.audit({ at: now(), actor: principalName(c.get('principal')), action: 'portal_certified', subject: p.id,
      detail: { file: p.file, reloaded, status: after?.status, steps: report.steps.map((s) => ({ title: s.title, documentId: s.document?.id })) } });
    return c.json({ partnerId: p.id, status: after?.status ?? 'unknown', reloaded, file: p.file });
  });
}

/** the invitation link: the token in the fragment, so it is never sent to a server or logged */
export const invitationLink = (base: string, token: string): string => `${base.replace(/\/+$/, '')}/portal/#/invite/${token}`;
