/**
 * The supplier portal's API over real HTTP (issue 18): invitations (one-time, expiring), passwords,
 * lockout, CSRF, web EDI forms through the partner's pipeline (855, 856 with the lifecycle rule on
 * over-shipment, 810 from the ship notice), uploads, certification to production. Every bad input
 * gets a precise answer and stores nothing; another partner's user sees none of it.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { acmeTestYaml, otherYaml, po45001, portalMappings, portalClient, signedInUser, type PortalClient } from './support.ts';

let f: GatewayFixture;
/** checked by hand: line 2 ordered 6 CA, acknowledged 4 */
const WARN_855 = ['855 changes the quantity of PO PO-45001 line 2 from 6 to 4'];
const OVER_MESSAGE = '856 SHP-OVER ships 30 of PO PO-45001 line 1; open quantity is 24 (ordered 24)';
let acme: PortalClient;
let other: PortalClient;
const password = 'correct horse battery staple';
const staffJson = (p: string, token: string, body?: unknown) => f.fetch(p, { method: body === undefined ? 'GET' : 'POST', token, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  .then(async (r) => ({ status: r.status, body: await r.json() as any }));
const invite = (partnerId: string, email: string) => staffJson('/api/v1/portal/invitations', tokens.operator, { partnerId, email });
const acmeMessages = async () => (await staffJson('/api/v1/messages?partner=acme&limit=1000', tokens.operator)).body.messages.filter((m: any) => m.direction === 'inbound').length;
const audit = () => {
  const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
  try { return db.prepare('SELECT actor, action, subject FROM audit_log ORDER BY seq').all() as Array<{ actor: string; action: string; subject: string }>; } finally { db.close(); }
};

beforeAll(async () => {
  f = await startGatewayFixture({ partners: { acme: acmeTestYaml, other: otherYaml }, mappings: portalMappings(), env: { ACME_API_KEY: 'acme-key-0123456789', OTHER_API_KEY: 'other-key-abcdef' } });
  for (const [partnerId, document] of [['acme', po45001], ['other', { ...po45001, poNumber: 'PO-9001' }]] as const) {
    const r = await staffJson('/api/v1/erp/outbound', tokens.erp, { partnerId, type: 'purchase_order', document });
    expect(r.status).toBe(202);
  }
  await f.gw.idle();
  other = await signedInUser(f, tokens.operator, 'other', 'clerk@other.example', password);
}, 30_000);
afterAll(async () => { await f?.close(); });

describe('invitations and sign-in', () => {
  it('an invitation is one-time and expires; the password is checked; nothing is accepted without the CSRF token', async () => {
    const inv = await invite('acme', 'Ann@Acme.example');
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ email: 'ann@acme.example', partnerId: 'acme', expiresAt: '2026-11-30T10:00:00.000Z' });
    expect(inv.body.link).toBe(`${f.gw.url}/portal/#/invite/${inv.body.token}`);
    // the token itself is not stored, only its SHA-256
    const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
    const row = db.prepare('SELECT invite_hash AS h, password_hash AS p FROM portal_users WHERE email = ?').get('ann@acme.example') as { h: string; p: string | null };
    db.close();
    expect(row.h).not.toContain(inv.body.token);
    expect(row.h).toMatch(/^[0-9a-f]{64}$/);
    expect(row.p).toBeNull();

    const c = portalClient(f);
    expect((await c.get('/portal/api/session')).body).toMatchObject({ signedIn: false });
    expect((await c.post('/portal/api/invitations/accept', { token: inv.body.token, password }, { csrf: null })).body.error.code).toBe('csrf_missing');
    expect((await c.post('/portal/api/invitations/accept', { token: inv.body.token, password }, { csrf: 'x'.repeat(43) })).body.error.code).toBe('csrf_mismatch');
    const short = await c.post('/portal/api/invitations/accept', { token: inv.body.token, password: 'short' });
    expect(short).toMatchObject({ status: 400, body: { error: { code: 'password_invalid', message: 'the password must be at least 12 characters long' } } });
    expect((await c.post('/portal/api/invitations/accept', { token: inv.body.token, password })).body).toEqual({ accepted: true, email: 'ann@acme.example', partnerId: 'acme' });
    const again = await c.post('/portal/api/invitations/accept', { token: inv.body.token, password: 'another long password' });
    expect(again.body.error).toEqual({ code: 'invitation_invalid', message: 'this invitation link is not valid or was already used: ask the operator for a new one' });

    // an invitation older than 7 days
    const late = await invite('acme', 'late@acme.example');
    f.clock.advance(7 * 86_400_000 + 1000);
    const expired = await c.post('/portal/api/invitations/accept', { token: late.body.token, password });
    expect(expired.body.error).toMatchObject({ code: 'invitation_expired', message: 'this invitation expired at 2026-11-30T10:00:00.000Z: ask the operator for a new one' });
    f.clock.set(FIXTURE_TIME);
    // an account that exists, a partner that does not, an address that is not one
    expect((await invite('acme', 'ann@acme.example')).body.error.code).toBe('portal_user_exists');
    expect((await invite('nobody', 'x@y.example')).body.error.code).toBe('partner_not_found');
    expect((await invite('acme', 'not an address')).body.error.code).toBe('email_invalid');
  });

  it('a wrong password is refused; five in a row lock the account for 15 minutes; every try is audited', async () => {
    const c = portalClient(f);
    await c.get('/portal/api/session');
    const wrong = await c.post('/portal/api/login', { email: 'ann@acme.example', password: 'wrong password 1' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'login_failed', message: 'the e-mail address or the password is wrong' } } });
    // an unknown address gets the same words
    expect((await c.post('/portal/api/login', { email: 'nobody@acme.example', password })).body.error).toEqual(wrong.body.error);
    for (let i = 2; i <= 4; i++) expect((await c.post('/portal/api/login', { email: 'ann@acme.example', password: `wrong password ${i}` })).status).toBe(401);
    const locked = await c.post('/portal/api/login', { email: 'ann@acme.example', password: 'wrong password 5' });
    expect(locked.body.error).toMatchObject({ code: 'account_locked', message: 'this account is locked after 5 wrong passwords until 2026-11-23T10:15:00.000Z' });
    expect((await c.post('/portal/api/login', { email: 'ann@acme.example', password })).status).toBe(423);
    expect(c.cookies.has('edigw_portal')).toBe(false);
    f.clock.advance(16 * 60_000);
    const ok = await c.post('/portal/api/login', { email: 'ann@acme.example', password });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/edigw_portal=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/portal; HttpOnly; SameSite=Strict/);
    expect(audit().filter((a) => a.actor === 'portal:ann@acme.example').map((a) => a.action)).toEqual([
      'portal_invite_accepted', 'portal_login_failed', 'portal_login_failed', 'portal_login_failed', 'portal_login_failed', 'portal_locked', 'portal_login_refused', 'portal_login',
    ]);
    acme = c;
    expect((await acme.get('/portal/api/session')).body).toMatchObject({ signedIn: true, user: { email: 'ann@acme.example' }, partner: { id: 'acme', name: 'ACME Supply', status: 'test' } });
  });
});

describe('orders and web EDI', () => {
  it('lists only its own orders; another partner\'s PO number is not found, in the URL and in API calls', async () => {
    const list = await acme.get('/portal/api/orders');
    expect(list.body.orders.map((o: any) => [o.poNumber, o.status, o.lines])).toEqual([['PO-45001', 'sent', 2]]);
    const foreign = await acme.get('/portal/api/orders/PO-9001');
    const missing = await acme.get('/portal/api/orders/PO-NOPE');
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'order_not_found', message: 'no purchase order PO-9001 was sent to you' } } });
    expect(missing.status).toBe(404);
    const before = await acmeMessages();
    expect((await other.post('/portal/api/orders/PO-45001/ack', { lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'accept' }] })).status).toBe(404);
    expect((await other.get('/portal/api/orders')).body.orders.map((o: any) => o.poNumber)).toEqual(['PO-9001']);
    expect(await acmeMessages()).toBe(before);
    // not signed in at all
    expect((await portalClient(f).get('/portal/api/orders')).body.error.code).toBe('not_signed_in');
  });

  it('refuses a form with negative, non-numeric or unknown lines, or without the CSRF token, and stores nothing', async () => {
    const before = await acmeMessages();
    const post = (body: unknown, opts?: { csrf?: string | null; headers?: Record<string, string> }) => acme.post('/portal/api/orders/PO-45001/ack', body, opts);
    expect((await post({ lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'change', quantity: '-3' }] })).body.error)
      .toEqual({ code: 'form_invalid', message: 'line 2.quantity: must not be negative, got "-3"', detail: { field: 'line 2.quantity', found: '-3' } });
    expect((await post({ lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'change', quantity: 'four' }] })).body.error.message)
      .toBe('line 2.quantity: must be a number such as 12 or 12.5, got "four"');
    expect((await post({ lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '7', action: 'accept' }] })).body.error.message).toBe('lines[1].lineNumber: PO PO-45001 has no line "7"');
    expect((await post({ lines: [{ lineNumber: '1', action: 'accept' }] })).body.error.message).toBe('line 2: is not acknowledged (accept, change, reject or backorder it)');
    // forged: no token; another session's token; another origin
    const good = { lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'accept' }] };
    expect((await post(good, { csrf: null })).body.error.code).toBe('csrf_missing');
    expect((await post(good, { csrf: other.csrf })).body.error.code).toBe('csrf_mismatch');
    expect((await post(good, { headers: { origin: 'https://evil.example' } })).body.error.code).toBe('origin_mismatch');
    expect((await post(good, { headers: { origin: 'null' } })).body.error.code).toBe('origin_mismatch');
    expect((await post(good, { headers: { origin: 'not a url' } })).body.error.code).toBe('origin_mismatch');
    expect(await acmeMessages()).toBe(before);
  });

  it('acknowledges with one changed line: a canonical 855 through the pipeline, in the ERP feed, stamped as entered on the portal', async () => {
    const r = await acme.post('/portal/api/orders/PO-45001/ack', { lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'change', quantity: '4', date: '2026-12-01' }] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('processed');
    // acme's rules warn: the changed quantity is a warning on the document, which is released
    expect(r.body.documents[0].delivery).toBe('released');
    expect(r.body.documents[0].warnings.map((w: any) => w.message)).toEqual(WARN_855);
    const feed = await staffJson('/api/v1/erp/documents?test=true&type=purchase_order_ack', tokens.erp);
    expect(feed.body.documents).toHaveLength(1);
    expect(feed.body.documents[0]).toMatchObject({ type: 'purchase_order_ack', partnerId: 'acme', test: true, source: { format: 'json', messageId: r.body.messageId } });
    expect(feed.body.documents[0].document).toEqual({
      poNumber: 'PO-45001', ackDate: '2026-11-23', status: 'accepted_with_changes', lines: [
        { lineNumber: '1', status: 'accepted', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100' },
        { lineNumber: '2', status: 'changed', quantity: 4, unitOfMeasure: 'CA', unitPrice: 48, scheduledDeliveryDate: '2026-12-01', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200' },
      ],
    });
    const msg = await staffJson(`/api/v1/messages/${r.body.messageId}`, tokens.operator);
    expect(msg.body).toMatchObject({ transport: 'portal', partnerId: 'acme', metadata: { enteredOn: 'portal', enteredBy: 'ann@acme.example' } });
    expect(audit().some((a) => a.actor === 'portal:ann@acme.example' && a.action === 'portal_submit' && a.subject === r.body.messageId)).toBe(true);
    expect((await acme.get('/portal/api/orders')).body.orders[0].status).toBe('acknowledged');
  });

  it('a ship notice for more than ordered: held where the partner\'s rules say hold, a warning where they say warn', async () => {
    const over = await other.post('/portal/api/orders/PO-9001/ship-notices', { shipmentId: 'SHP-OVER', shipDate: '2026-11-24', lines: [{ lineNumber: '1', quantity: '30' }] });
    expect(over.body.documents[0]).toMatchObject({ type: 'ship_notice', delivery: 'held' });
    expect(over.body.findings).toEqual([expect.objectContaining({ stage: 'correlate', code: 'asn_over_shipped', message: OVER_MESSAGE.replace('PO-45001', 'PO-9001') })]);
    // not in the ERP feed
    expect((await staffJson('/api/v1/erp/documents?type=ship_notice', tokens.erp)).body.documents).toEqual([]);
  });

  it('a bad SSCC is refused; a good ship notice goes through', async () => {
    const sscc = await acme.post('/portal/api/orders/PO-45001/ship-notices', { shipmentId: 'SHP-1', shipDate: '2026-11-24', lines: [{ lineNumber: '1', quantity: '24', sscc: '006141410000000136' }] });
    expect(sscc.body.error).toMatchObject({ code: 'form_invalid', message: 'line 1.sscc: check digit should be 5, got 6' });
    const ok = await acme.post('/portal/api/orders/PO-45001/ship-notices', {
      shipmentId: 'SHP-1', shipDate: '2026-11-24', carrier: { scac: 'UPSN', name: 'UPS', trackingNumber: '1Z999AA10123456784' },
      lines: [{ lineNumber: '1', quantity: '24', sscc: '006141410000000135' }, { lineNumber: '2', quantity: '4', sscc: '006141410000000142' }],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.documents[0]).toMatchObject({ type: 'ship_notice', delivery: 'released', document: { shipmentId: 'SHP-1', packageCount: 2, carrier: { scac: 'UPSN', trackingNumber: '1Z999AA10123456784' },
      orders: [{ poNumber: 'PO-45001', lines: [{ lineNumber: '1', quantityShipped: 24, sscc: '006141410000000135' }, { lineNumber: '2', quantityShipped: 4, sscc: '006141410000000142' }] }] } });
  });

  it('invoices from the ship notice at the PO\'s prices', async () => {
    expect((await acme.post('/portal/api/orders/PO-45001/invoices', { shipmentId: 'SHP-NONE', invoiceNumber: 'INV-1', invoiceDate: '2026-11-25' })).body.error.message)
      .toBe('shipmentId: you sent no ship notice "SHP-NONE" for PO PO-45001');
    const r = await acme.post('/portal/api/orders/PO-45001/invoices', { shipmentId: 'SHP-1', invoiceNumber: 'INV-1', invoiceDate: '2026-11-25' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 24 × 12.50 + 4 × 48.00
    expect(r.body.documents[0].document).toMatchObject({ invoiceNumber: 'INV-1', poNumber: 'PO-45001', totalAmount: 492, lines: [{ lineNumber: '1', quantityInvoiced: 24, amount: 300 }, { lineNumber: '2', quantityInvoiced: 4, amount: 192 }] });
    expect((await acme.get('/portal/api/orders/PO-45001')).body).toMatchObject({ status: 'invoiced', acknowledged: true, shipped: true, invoiced: true });
  });
});

describe('uploads, messages, outbox', () => {
  it('an upload over the limit or of an unknown format is refused precisely and stores nothing; an X12 file goes through as from the partner', async () => {
    const before = await acmeMessages();
    const big = await acme.post('/portal/api/upload', undefined, { raw: 'ISA' + 'x'.repeat(1024 * 1024 + 10), headers: { 'content-type': 'application/edi-x12' } });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'file_too_large', message: 'the file is larger than the portal\'s limit of 1048576 bytes; send large files over your EDI connection' } } });
    const unknown = await acme.post('/portal/api/upload', undefined, { raw: 'hello, this is a letter', headers: { 'content-type': 'application/octet-stream' } });
    expect(unknown).toMatchObject({ status: 415, body: { error: { code: 'format_unknown', message: 'the file is not X12 (starts with ISA), EDIFACT (UNA/UNB), XML, JSON or CSV: it starts with "hello, this is a"' } } });
    expect(await acmeMessages()).toBe(before);
    const file = readFileSync(path.join(import.meta.dirname, '../../fixtures/acme/855-ack/input.edi'), 'latin1');
    const up = await acme.post('/portal/api/upload', undefined, { raw: file, headers: { 'content-type': 'application/edi-x12' } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.documents[0]).toMatchObject({ type: 'purchase_order_ack', partnerId: 'acme' });
    const msg = await staffJson(`/api/v1/messages/${up.body.messageId}`, tokens.operator);
    expect(msg.body).toMatchObject({ transport: 'http', metadata: { uploadedOn: 'portal', uploadedBy: 'portal:ann@acme.example' } });
  });

  it('messages and downloads are the partner\'s own', async () => {
    await f.gw.idle();
    const mine = await acme.get('/portal/api/messages');
    // the 855, the ship notice and the invoice entered on the portal, the uploaded file (refused forms and files are not stored)
    expect(mine.body.messages.map((m: any) => m.documents[0]?.type)).toEqual(['purchase_order_ack', 'invoice', 'ship_notice', 'purchase_order_ack']);
    expect(mine.body.messages.every((m: any) => m.partnerId === 'acme')).toBe(true);
    // the other partner's user sees its own held ship notice, nothing of acme's
    expect((await other.get('/portal/api/messages')).body.messages.map((m: any) => [m.partnerId, m.documents[0].businessKey])).toEqual([['other', 'SHP-OVER']]);
    const outbox = await acme.get('/portal/api/outbox');
    const po = outbox.body.items.find((i: any) => i.kind === 'purchase_order');
    expect(po.summary.poNumber).toBe('PO-45001');
    const dl = await f.fetch(po.links.download, { headers: { cookie: [...acme.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(dl.status).toBe(200);
    expect(await dl.text()).toContain('BEG*00*SA*PO-45001');
    expect((await other.get(po.links.download)).status).toBe(404);
  });
});

describe('status and transport', () => {
  it('an order not acknowledged within the partner\'s window is overdue; sessions end after 8 hours', async () => {
    f.clock.advance(49 * 3_600_000); // the PO-ack window is 48 hours by default
    expect((await other.get('/portal/api/orders')).body.error.code).toBe('not_signed_in');
    const c = portalClient(f);
    await c.get('/portal/api/session');
    expect((await c.post('/portal/api/login', { email: 'clerk@other.example', password })).status).toBe(200);
    expect((await c.get('/portal/api/orders')).body.orders).toEqual([expect.objectContaining({ poNumber: 'PO-9001', overdue: true })]);
    other = c;
    f.clock.set(FIXTURE_TIME);
  });

  it('behind an https proxy the cookies are Secure', async () => {
    const res = await f.fetch('/portal/api/session', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('set-cookie')).toMatch(/^edigw_portal_csrf=[A-Za-z0-9_-]{43}; Path=\/portal; HttpOnly; Secure; SameSite=Strict$/);
  });
});

describe('certification', () => {
  it('shows each step with its canonical result; an operator may not approve, an admin switches the profile to production', async () => {
    const first = await acme.get('/portal/api/certification');
    // the newest 855 (the uploaded X12 file) confirms 4 of line 2's 6: acme's rules made that a warning, a finding to fix before production
    expect(first.body.passed).toBe(false);
    expect(first.body.steps[1]).toMatchObject({ passed: false, status: 'not yet: 1 finding(s) to fix, then send it again' });
    expect(first.body.steps[1].findings).toEqual([expect.objectContaining({ kind: 'warning', message: expect.stringContaining('855 changes the quantity of PO PO-45001 line 2 from 6') })]);
    expect((await staffJson('/api/v1/portal/certification/acme/approve', tokens.admin, {})).body.error.code).toBe('certification_incomplete');
    const plain = await acme.post('/portal/api/orders/PO-45001/ack', { lines: [{ lineNumber: '1', action: 'accept' }, { lineNumber: '2', action: 'accept' }] });
    expect(plain.body.documents[0].warnings ?? []).toEqual([]);
    const report = await acme.get('/portal/api/certification');
    expect(report.body).toMatchObject({ applies: true, poNumber: 'PO-45001', passed: true });
    expect(report.body.steps.map((s: any) => [s.title, s.passed])).toEqual([
      ['Receive a test purchase order (850)', true], ['Acknowledge it (855)', true], ['Send a ship notice that matches it (856)', true], ['Send an invoice that matches it (810)', true],
    ]);
    expect(report.body.steps[2].document.canonical.shipmentId).toBe('SHP-1');
    expect((await staffJson('/api/v1/portal/certification/acme/approve', tokens.operator, {})).status).toBe(403);
    const approved = await staffJson('/api/v1/portal/certification/acme/approve', tokens.admin, {});
    expect(approved.body).toMatchObject({ partnerId: 'acme', status: 'production', reloaded: true });
    expect(readFileSync(path.join(f.dir, 'partners/acme.yaml'), 'utf8')).toBe(acmeTestYaml.replace('status: test', 'status: production'));
    expect(audit().find((a) => a.action === 'portal_certified')).toMatchObject({ actor: 'admin:test-admin', subject: 'acme' });
    expect((await staffJson('/api/v1/portal/certification/acme/approve', tokens.admin, {})).body.error.code).toBe('partner_not_in_test');
  });
});
