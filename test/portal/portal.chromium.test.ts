/**
 * The supplier portal in real Chromium against a real gateway (issue 18): invitation link → set a
 * password → sign in → acknowledge a PO with one changed line (the ERP feed then holds the canonical
 * 855) → ship notice and invoice from it → messages, upload, downloads, certification to
 * production → another partner's user sees none of it, also by typing ids in the URL. Document
 * text with markup renders as text. Screenshots of each page go to /tmp/notes/portal-shots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../outbound/harness.ts';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { acmeTestYaml, otherYaml, po45001, portalMappings, signedInUser } from './support.ts';

const shots = process.env.EDIGW_PORTAL_SHOTS ?? '/tmp/notes/portal-shots';
const xss = '<img src=x onerror="window.__pwned=1">';
const password = 'correct horse battery staple';

describe.skipIf(chromiumMissing)('supplier portal in Chromium', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const api = async (p: string, token: string, body?: unknown) => (await f.fetch(p, { method: body === undefined ? 'GET' : 'POST', token, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })).json() as Promise<any>;
  const see = (text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // the portal's pages use the browser's clock for default dates: the gateway runs on the real one here
    f = await startGatewayFixture({ partners: { acme: acmeTestYaml, other: otherYaml }, mappings: portalMappings(), realClock: true, env: { ACME_API_KEY: 'acme-key-0123456789', OTHER_API_KEY: 'other-key-abcdef' } });
    const acmePo = { ...po45001, lines: [po45001.lines[0], { ...po45001.lines[1], description: xss }] };
    await api('/api/v1/erp/outbound', tokens.erp, { partnerId: 'acme', type: 'purchase_order', document: acmePo });
    await api('/api/v1/erp/outbound', tokens.erp, { partnerId: 'other', type: 'purchase_order', document: { ...po45001, poNumber: 'PO-9001' } });
    await f.gw.idle();
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  /** the staff console in a second tab, signed in with a token, on the partner's page */
  async function consoleOnPartner(token: string) {
    const c = await browser.context.newPage();
    c.on('pageerror', (e) => pageErrors.push(String(e)));
    await c.goto(`${f.gw.url}/#/partners/acme`);
    await c.fill('#token', token);
    await c.click('#sign-in-form button[type=submit]');
    await c.locator('#portal-invite-form').waitFor();
    return c;
  }

  it('an operator invites in the console → invitation link → password → sign in → the orders list', async () => {
    const staff = await consoleOnPartner(tokens.operator);
    await staff.fill('#portal-invite-email', 'ann@acme.example');
    await staff.click('#portal-invite-form button[type=submit]');
    const link = (await staff.locator('#portal-invite-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${f.gw.url}/portal/#/invite/[A-Za-z0-9_-]{43}$`));
    await staff.screenshot({ path: path.join(shots, '00-console-invite.png'), fullPage: true });
    await staff.close();
    const inv = { link, token: link.split('/').pop()! };
    await page.goto(inv.link);
    await see('Set your password');
    // nobody is signed in: no navigation, no sign-out button
    expect(await page.isVisible('#sign-out')).toBe(false);
    expect(await page.isVisible('#nav')).toBe(false);
    await page.fill('#new-password', password);
    await page.fill('#new-password-again', password);
    await shot('01-set-password');
    await page.click('#invite-form button[type=submit]');
    await see('Your password is set for ann@acme.example');
    // the one-time token left the address bar
    expect(page.url()).not.toContain(inv.token);
    await page.fill('#email', 'ann@acme.example');
    await page.fill('#password', 'not the password');
    await page.click('#sign-in-form button[type=submit]');
    await see('the e-mail address or the password is wrong');
    await shot('02-sign-in-refused');
    await page.fill('#password', password);
    await page.click('#sign-in-form button[type=submit]');
    await see('PO-45001');
    expect(await page.textContent('#who-name')).toBe('ann@acme.example — ACME Supply');
    // the session cookie is HttpOnly: the page cannot read it
    expect(await page.evaluate(() => document.cookie)).not.toContain('edigw_portal=');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await shot('03-orders');
  });

  it('acknowledges the PO with one changed line: the ERP feed holds the canonical 855', async () => {
    await page.click('a:text("PO-45001")');
    await see('Acknowledge (855)');
    // the description with markup is text on the page, not an element
    await see(xss);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.selectOption('select[name="action-2"]', 'change');
    await page.fill('input[name="qty-2"]', '4');
    await shot('04-order-ack-form');
    await page.click('#ack-form button[type=submit]');
    await page.locator('#ack-form #outcome').waitFor();
    expect(await page.textContent('#ack-form #outcome')).toContain('Accepted: message');
    expect(await page.textContent('#ack-form #outcome')).toContain('warning ack_changed_quantity: 855 changes the quantity of PO PO-45001 line 2 from 6 to 4');
    const feed = await api('/api/v1/erp/documents?test=true&type=purchase_order_ack', tokens.erp);
    expect(feed.documents.map((d: any) => [d.partnerId, d.document.poNumber, d.document.status, d.document.lines.map((l: any) => `${l.lineNumber}:${l.status}:${l.quantity}`)]))
      .toEqual([['acme', 'PO-45001', 'accepted_with_changes', ['1:accepted:24', '2:changed:4']]]);
    // the ERP acks it (a partner's next documents wait behind a leased one)
    expect((await api('/api/v1/erp/documents/ack', tokens.erp, { ids: feed.documents.map((d: any) => d.id) })).acknowledged).toHaveLength(1);
  });

  it('sends a ship notice from the PO\'s lines and an invoice from it', async () => {
    await page.locator('#ship-form').waitFor();
    await page.fill('#ship-form input[name="shipmentId"]', 'SHP-1');
    await page.fill('#ship-form input[name="scac"]', 'UPSN');
    await page.fill('#ship-form input[name="tracking"]', '1Z999AA10123456784');
    await page.fill('#ship-form input[name="ship-qty-2"]', '4');
    await page.fill('#ship-form input[name="sscc-1"]', '006141410000000135');
    await page.fill('#ship-form input[name="sscc-2"]', '006141410000000142');
    await page.click('#ship-form button[type=submit]');
    await page.locator('#ship-form #outcome').waitFor();
    expect(await page.textContent('#ship-form #outcome')).toContain('Accepted: message');
    await page.locator('#invoice-form select[name="shipmentId"]').waitFor();
    await page.fill('#invoice-form input[name="invoiceNumber"]', 'INV-1');
    await page.click('#invoice-form button[type=submit]');
    await page.locator('#invoice-form #outcome').waitFor();
    expect(await page.textContent('#invoice-form #outcome')).toContain('Accepted: message');
    const inv = await api('/api/v1/erp/documents?test=true&type=invoice', tokens.erp);
    expect(inv.documents[0].document).toMatchObject({ invoiceNumber: 'INV-1', totalAmount: 492 });
    await page.reload();
    await see('Timeline');
    expect(await page.locator('h1 .badge').textContent()).toBe('invoiced');
    await shot('05-order-invoiced');
  });

  it('upload, messages with our 997 in words, downloads', async () => {
    await page.click('a[data-nav="upload"]');
    await page.setInputFiles('#file', { name: 'letter.txt', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, this is a letter') });
    await page.click('#upload-form button[type=submit]');
    await see('format_unknown');
    await shot('07-upload-refused');
    // an X12 856 whose TD5 04 (transport method, ID 1/2) has 5 characters: stored, rejected, answered with a 997
    const bad = readFileSync(path.join(repoRoot, 'fixtures/acme/856-ship-notice/input.edi'), 'latin1').replace('TD5*B*2*UPSN*M*', 'TD5*B*2*UPSN*MOTOR*');
    await page.setInputFiles('#file', { name: 'asn.x12', mimeType: 'application/edi-x12', buffer: Buffer.from(bad, 'latin1') });
    await page.click('#upload-form button[type=submit]');
    await see('Not accepted');
    await f.gw.idle();
    await page.click('a[data-nav="messages"]');
    await see('What you sent and what we answered');
    expect(await page.locator('article.message').count()).toBe(4);
    await see('transaction set 856 0001 rejected: segment TD5 at position 6, element 4 must be at most 2 characters (found "MOTOR")');
    await shot('06-messages');
    await page.click('a[data-nav="outbox"]');
    await see('purchase order PO-45001');
    await shot('08-downloads');
  });

  it('certification: the checklist, then production once an admin approves', async () => {
    await page.click('a[data-nav="certification"]');
    await see('Test purchase order: PO-45001');
    await see('warning ack_changed_quantity');
    await shot('09-certification-open');
    // a plain acknowledgement fixes the finding
    await page.goto(`${f.gw.url}/portal/#/orders/PO-45001`);
    await page.locator('#ack-form').waitFor();
    await page.click('#ack-form button[type=submit]');
    await page.locator('#ack-form #outcome').waitFor();
    await page.click('a[data-nav="certification"]');
    await see('Every step passed');
    expect(await page.locator('.steps li.passed').count()).toBe(4);
    await shot('10-certification-passed');
    // an admin approves in the console: the profile is switched and reloaded
    const staff = await consoleOnPartner(tokens.admin);
    await staff.locator('#portal-approve:not([disabled])').click();
    await staff.getByText('acme is now production').waitFor();
    await staff.screenshot({ path: path.join(shots, '12-console-approved.png'), fullPage: true });
    await staff.close();
    expect((await api('/api/v1/partners/acme', tokens.operator)).status).toBe('production');
    await page.reload();
    await see('You are in production: nothing to certify.');
    expect(await page.isVisible('#nav-cert')).toBe(false);
  });

  it('another partner\'s user sees none of it, also with ids typed in the URL', async () => {
    await signedInUser(f, tokens.operator, 'other', 'clerk@other.example', password); // invited and active
    await page.click('#sign-out');
    await page.locator('#sign-in-form').waitFor();
    await page.fill('#email', 'clerk@other.example');
    await page.fill('#password', password);
    await page.click('#sign-in-form button[type=submit]');
    await see('PO-9001');
    expect(await page.locator('main').textContent()).not.toContain('PO-45001');
    await page.goto(`${f.gw.url}/portal/#/orders/PO-45001`);
    await see('no purchase order PO-45001 was sent to you');
    await shot('11-other-partner-foreign-po');
    await page.goto(`${f.gw.url}/portal/#/messages`);
    await see('No messages yet.');
    await page.goto(`${f.gw.url}/portal/#/outbox`);
    await see('purchase order PO-9001');
    expect(await page.locator('main').textContent()).not.toContain('PO-45001');
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
