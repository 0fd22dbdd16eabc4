/**
 * The console finds things (issue 19), in real Chromium against a real gateway fed over the HTTP
 * intake: the search box (business and control numbers, the second PO of a multi-PO ship notice,
 * error codes, a date range), paging and sorting, what the partner was told (the 997 in words,
 * linked), a replay before the fix that must not read "nothing to do", bulk replay and discard
 * after a dry run, the per-partner charts, an overview that names SFTP pollers down and documents
 * waiting, and the audit log.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerKey, buyerMapping, buyerYaml, interchange, postX12 } from './scenario.ts';

const screenshotDir = path.join(tmpdir(), 'edigw-console-screenshots');
mkdirSync(screenshotDir, { recursive: true });

/** an SFTP partner whose server does not answer (port 1), and one whose password variable is unset */
const sftpYaml = (id: string) => `id: ${id}
name: ${id}
status: production
identifiers: {}
sftp:
  host: 127.0.0.1
  port: 1
  username: gw
  passwordEnv: ${id.toUpperCase()}_PASSWORD
  hostKeySha256: "SHA256:HZ9w5EmKzokcMSGxv0eqTzRDytcc51nETQEgq6P5yLg"
  inbox: /outbound
  pollSeconds: 1
`;

/** an EDIFACT buyer (CONTRL back), and one ORDERS D96A interchange: UNB reference ORD0301, UNH reference M0301 */
const eurotradeYaml = `id: eurotrade
name: EuroTrade
status: production
identifiers:
  edifact: { id: "4012345000009", qualifier: "14" }
acks: { edifact: contrl }
`;
const orders = "UNB+UNOA:3+4012345000009:14+5412345000013:14+261123:0800+ORD0301'UNH+M0301+ORDERS:D:96A:UN'BGM+220+PO-0301+9'DTM+137:20261123:102'LIN+1++4000862141404:SRV'QTY+21:12:PCE'UNS+S'UNT+7+M0301'UNZ+1+ORD0301'";
const base = (file: string) => readFileSync(new URL(`../../mappings/_base/${file}`, import.meta.url), 'utf8');

describe.skipIf(chromiumMissing)('console: search, pages, what the partner was told, bulk actions, charts, overview, audit', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const ids = { good: '', purpose: '', purpose2: '', uom: '', asn: '', orders: '' };

  const api = async (p: string) => (await f.fetch(p, { token: tokens.operator })).json() as Promise<any>;
  const see = (text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
  const open = async (hash: string) => { await page.evaluate((h) => { location.hash = h; }, hash); };
  const rows = () => page.locator('main table tbody tr');
  const column = async (n: number) => (await page.locator(`main table tbody tr td:nth-child(${n})`).allTextContents()).map((t) => t.trim());
  const find = async (q: string) => {
    await page.fill('#find-q', q);
    await page.click('#find-form button');
    await page.locator('#search-summary').waitFor();
    await expect.poll(() => page.inputValue('#search-page-q')).toBe(q);
  };

  beforeAll(async () => {
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml, restco: restcoYaml, eurotrade: eurotradeYaml, sftpdown: sftpYaml('sftpdown'), sftpnokey: sftpYaml('sftpnokey') },
      mappings: { '_base/x12-004010-850.inbound.yaml': base850, '_base/edifact-d96a-orders.inbound.yaml': base('edifact-d96a-orders.inbound.yaml') },
      env: { BUYERCO_API_KEY: buyerKey, SFTPDOWN_PASSWORD: 'not-used' },
    });
    ids.good = (await postX12(f, interchange('000000101', { poNumber: 'PO-1001' }))).body.messageId;
    ids.purpose = (await postX12(f, interchange('000000102', { poNumber: 'PO-1002', purpose: '06' }))).body.messageId;
    ids.purpose2 = (await postX12(f, interchange('000000103', { poNumber: 'PO-1003', purpose: '06' }))).body.messageId;
    // PO103 (unit of measure, X12 355: ID 2/2) four characters long: a syntax error the 997 rejects
    ids.uom = (await postX12(f, interchange('000000104', { poNumber: 'PO-1004', uom: 'EACH' }))).body.messageId;
    const asn = { type: 'ship_notice', document: { shipmentId: 'SH-77', shipDate: '2026-11-22', billOfLading: 'BOL-5', carrier: { scac: 'UPSN', trackingNumber: '1Z999AA10123456784' },
      orders: [{ poNumber: 'PO-1001', lines: [{ lineNumber: '1', quantityShipped: 24, unitOfMeasure: 'EA' }] }, { poNumber: 'PO-2002', lines: [{ lineNumber: '1', quantityShipped: 1, unitOfMeasure: 'EA' }] }] } };
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'restco-key-abcdef', headers: { 'content-type': 'application/json' }, body: JSON.stringify(asn) });
    ids.asn = ((await res.json()) as any).messageId;
    const edi = await f.fetch('/api/v1/inbound?partner=eurotrade&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edifact' }, body: orders });
    const ediBody = (await edi.json()) as any;
    expect(ediBody.status).toBe('processed');
    ids.orders = ediBody.messageId;
    await f.gw.idle();

    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    await page.goto(f.gw.url + '/');
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    await see('Signed in as test-operator (operator)');
  });

  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('overview: not "ok" while SFTP pollers are down and documents wait; each problem is named', async () => {
    // the poller of sftpdown tries port 1 and fails; sftpnokey's never starts (its password is not set)
    await expect.poll(async () => (await api('/api/v1/status')).sftp.find((s: any) => s.partnerId === 'sftpdown')?.consecutiveFailures ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const status = await api('/api/v1/status');
    expect(status.status).toBe('ok'); // the probe's readiness: the store takes writes
    expect(status.counts.documents_ready).toBe(3); // PO-1001, the ship notice, PO-0301

    await open('#/');
    await page.locator('#verdict').waitFor();
    expect(await page.textContent('#verdict-word')).toBe('needs attention');
    const problems = (await page.locator('#problems li').allTextContents()).join('\n');
    expect(problems).toMatch(/SFTP poller sftpdown is down \(\d+ failure\(s\) in a row\)/);
    expect(problems).toContain('SFTP poller sftpnokey is down (not running)');
    expect(problems).toContain('partner sftpnokey: SFTPNOKEY_PASSWORD is not set');
    expect(problems).toContain('3 document(s) wait for the ERP to collect them');
    expect(problems).toContain('3 open exception(s)');
    await page.screenshot({ path: path.join(screenshotDir, 'overview-verdict.png'), fullPage: true });
  });

  it('the search box finds messages by business numbers, the second PO of a ship notice too', async () => {
    await find('PO-2002');
    await see('1 message(s) carry “PO-2002”');
    expect(await column(2)).toEqual([ids.asn]);
    expect(await column(3)).toEqual(['PO number']);
    await find('po-1001'); // case does not matter; the 850 and the ship notice both carry it
    expect(new Set(await column(2))).toEqual(new Set([ids.good, ids.asn]));
    for (const [q, kind] of [['SH-77', 'ship notice / shipment'], ['BOL-5', 'bill of lading'], ['1Z999AA10123456784', 'tracking number']] as const) {
      await find(q);
      expect(await column(2)).toEqual([ids.asn]);
      expect(await column(3)).toEqual([kind]);
    }
    await page.screenshot({ path: path.join(screenshotDir, 'search.png'), fullPage: true });
  });

  it('finds by control numbers and error codes, within a date range', async () => {
    await find('000000102'); // ISA13
    expect(await column(2)).toEqual([ids.purpose]);
    expect(await column(3)).toEqual(['interchange control number']);
    await find('ORD0301'); // UNB reference (interchange control reference)
    expect(await column(2)).toEqual([ids.orders]);
    expect(await column(3)).toEqual(['interchange control number']);
    await find('M0301'); // UNH message reference
    expect(await column(2)).toEqual([ids.orders]);
    await find('0001'); // ST02 of the four 850s
    expect(await column(2)).toEqual([ids.uom, ids.purpose2, ids.purpose, ids.good]);
    await find('mapping_failed');
    expect(new Set(await column(2))).toEqual(new Set([ids.purpose, ids.purpose2]));
    // the messages came on 2026-11-23 (the fixture's clock): a range from the 24th finds none
    await page.fill('#search-from', '2026-11-24');
    await page.click('#search-page-form button');
    await see('No message carries “mapping_failed” from 2026-11-24.');
    await page.fill('#search-from', '2026-11-23');
    await page.fill('#search-to', '2026-11-23');
    await page.click('#search-page-form button');
    await see('2 message(s) carry “mapping_failed” from 2026-11-23 to 2026-11-23 (inclusive)');
    expect(new URL(page.url()).hash).toBe('#/search?q=mapping_failed&from=2026-11-23&to=2026-11-23');
  });

  it('pages through a list with the API cursor, oldest or newest first, and sorts by a column', async () => {
    await open('#/messages?partner=buyerco&status=failed&order=asc&limit=2');
    await see('2 message(s), oldest first');
    expect(await column(2)).toEqual([ids.purpose, ids.purpose2]);
    await page.click('#next-page');
    await see('1 more message(s), oldest first');
    expect(await column(2)).toEqual([ids.uom]);
    expect(await page.locator('#next-page').count()).toBe(0);
    await page.click('a.first-page');
    await see('2 message(s), oldest first');
    // newest first, chosen in the form
    await page.selectOption('#filter-order', 'desc');
    await page.click('form.filters button');
    await see('The latest 2 message(s), newest first');
    expect(new URL(page.url()).hash).toBe('#/messages?status=failed&partner=buyerco&limit=2'); // the page size stays
    expect(await column(2)).toEqual([ids.uom, ids.purpose2]);

    // the search pages too: 0001 in four messages, two a page
    await open('#/search?q=0001&order=asc&limit=2');
    await see('2 message(s) carry “0001”');
    expect(await column(2)).toEqual([ids.good, ids.purpose]);
    await page.click('#next-page');
    await see('2 more message(s) carry “0001”');
    expect(await column(2)).toEqual([ids.purpose2, ids.uom]);

    // exceptions sorted by code: a click sorts a to z, another z to a
    await open('#/exceptions');
    await see('3 open exception(s), newest first');
    expect(await column(4)).toEqual(['x12_element_too_long', 'mapping_failed', 'mapping_failed']);
    await page.click('th button.sort:text("Code")');
    expect(await column(4)).toEqual(['mapping_failed', 'mapping_failed', 'x12_element_too_long']);
    await page.click('th button.sort:text("Code")');
    expect(await column(4)).toEqual(['x12_element_too_long', 'mapping_failed', 'mapping_failed']);
    expect(await page.getAttribute('th:has(button:text("Code"))', 'aria-sort')).toBe('descending');
  });

  it('says what the partner was told on the message and exception pages: the 997 in words, linked', async () => {
    await open(`#/messages/${ids.uom}`);
    const told = page.locator('section', { hasText: 'What the partner was told' });
    await told.locator('.told-item').first().waitFor();
    const item = told.locator('.told-item');
    expect(await item.count()).toBe(1);
    // AK3 PO1 at position 4 (ST is 1), AK4 element 3 code 5 (too long), AK5 R
    expect(await item.locator('strong').textContent()).toBe('997');
    expect(await item.locator('.badge').textContent()).toBe('rejected');
    expect(await item.locator('.told-words li').allTextContents()).toEqual(['transaction set 850 0001 rejected: segment PO1 at position 4, element 3 must be at most 2 characters (found "EACH")']);
    const ackId = (await item.locator('a').textContent())!.replace('acknowledgement ', '');
    expect(ackId).toMatch(/^msg_/);

    // the same on the exception page, and the link opens the 997 itself
    const [exc] = (await api(`/api/v1/messages/${ids.uom}`)).exceptions;
    await open(`#/exceptions/${exc.id}`);
    const onException = page.locator('section', { hasText: 'What the partner was told' }).locator('.told-item');
    await onException.first().waitFor();
    expect(await onException.locator('.told-words li').first().textContent()).toContain('rejected: segment PO1 at position 4');
    await onException.locator('a').click();
    await see('Answers message');
    expect(await page.textContent('main h1')).toContain(ackId);
    expect(await page.textContent('main')).toContain('AK5*R');

    // an EDIFACT interchange: the CONTRL we sent, in words
    await open(`#/messages/${ids.orders}`);
    const contrl = page.locator('section', { hasText: 'What the partner was told' }).locator('.told-item');
    await contrl.first().waitFor();
    expect(await contrl.locator('strong').textContent()).toBe('CONTRL');
    expect(await contrl.locator('.badge').textContent()).toBe('accepted');
    // UCI+ORD0301+…+7: the interchange we received (UNB reference ORD0301), action 7 (acknowledged)
    expect(await contrl.locator('.told-words li').first().textContent()).toContain('acknowledging interchange ORD0301 accepted (UCI action acknowledged');
  });

  it('a replay before the fix says the message still fails and links the exception open again (not "nothing to do")', async () => {
    const exc = (await api(`/api/v1/messages/${ids.purpose}`)).exceptions.find((e: any) => e.status === 'open');
    await open(`#/exceptions/${exc.id}`);
    await page.click('button:text("Replay")');
    await see('now failed');
    expect(await page.textContent('.action-result')).toContain('The message still fails; open again as mapping_failed');
    await expect.poll(() => page.locator('main h1 .badge').textContent()).toBe('replayed');
    const still = page.locator('.still-failing');
    await still.waitFor();
    expect(await still.textContent()).toMatch(/^Replayed, but message msg_\S+ still fails \(failed\): the failure is open again as mapping_failed \(exc_\S+\)\. Fix the cause/);
    expect(await page.textContent('main')).not.toContain('nothing to do');
    // the API agrees: the old exception replayed, a new one open, the message failed
    const m = await api(`/api/v1/messages/${ids.purpose}`);
    expect(m.status).toBe('failed');
    const reopened = m.exceptions.filter((e: any) => e.status === 'open');
    expect(reopened).toHaveLength(1);
    expect(reopened[0].id).not.toBe(exc.id);
    await still.locator('a', { hasText: 'mapping_failed' }).click();
    await see('Replay or discard');
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/exceptions/${reopened[0].id}`);
  });

  it('bulk-replays the filtered set after the fix: a dry run shows the count, the operator confirms', async () => {
    await open('#/exceptions');
    await page.selectOption('#filter-partner', 'buyerco');
    await page.fill('#filter-code', 'mapping_failed');
    await page.click('form.filters button');
    await see('2 open exception(s) for buyerco with code mapping_failed');
    f.writeMapping('buyerco/x12-850.inbound.yaml', buyerMapping);
    expect(f.gw.reloadConfig()).toBe(true);
    await page.click('#bulk-dry-run');
    await see('Dry run: 2 open exception(s) match (partner buyerco, code mapping_failed). Nothing was changed yet.');
    expect((await api('/api/v1/console/exceptions?partner=buyerco&code=mapping_failed')).exceptions).toHaveLength(2); // the dry run changed nothing
    expect(await page.textContent('#bulk-confirm')).toBe('Replay 2');
    await page.click('#bulk-confirm');
    await see('Replayed 2 message(s): 2 processed.');
    await page.screenshot({ path: path.join(screenshotDir, 'bulk-replay.png'), fullPage: true });
    expect((await api(`/api/v1/messages/${ids.purpose}`)).status).toBe('processed');
    expect((await api(`/api/v1/messages/${ids.purpose2}`)).status).toBe('processed');
    await page.click('#bulk-refresh');
    await see('No open exceptions for buyerco with code mapping_failed.');
  });

  it('bulk-discards with a reason; without one it says a discard needs it', async () => {
    await open('#/exceptions');
    await see('1 open exception(s), newest first');
    await page.selectOption('#bulk-action', 'discard');
    await page.click('#bulk-dry-run');
    await see('A discard says why');
    await page.fill('#bulk-reason', 'buyer resends with EA');
    await page.click('#bulk-dry-run');
    await see('Dry run: 1 open exception(s) match (every partner, any code).');
    await page.click('#bulk-confirm:text("Discard 1")');
    await see('Discarded the open exceptions of 1 message(s): 1 discarded.');
    expect((await api('/api/v1/exceptions?status=open')).exceptions).toEqual([]);
  });

  it('charts a partner\'s volume, failures and ack latency per day as SVG', async () => {
    await open('#/partners/buyerco');
    await page.locator('svg.chart').first().waitFor();
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(3);
    // 30 days ending on the fixture's day; buyerco sent 4 that day, 3 failed (once each, replays do not count again)
    const received = charts.nth(0);
    expect(await received.locator('rect.bar').count()).toBe(30);
    expect(await received.locator('rect.bar').last().locator('title').textContent()).toBe('2026-11-23: 4');
    expect(await received.getAttribute('aria-label')).toBe('Messages received per day, 2026-10-25 to 2026-11-23: 4 in all, most 4 on 2026-11-23');
    expect(await charts.nth(1).locator('rect.bar').last().locator('title').textContent()).toBe('2026-11-23: 3');
    // latency: only the day with acknowledgements has a bar
    const latency = charts.nth(2).locator('rect.bar');
    expect(await latency.count()).toBe(1);
    expect(await latency.locator('title').textContent()).toMatch(/^2026-11-23: \d+(\.\d)? (ms|s|min)$/);
    await page.screenshot({ path: path.join(screenshotDir, 'partner-charts.png'), fullPage: true });
    await page.click('a:text("7 days")');
    await expect.poll(() => page.locator('svg.chart').first().locator('rect.bar').count()).toBe(7);
  });

  it('shows the audit log: who replayed and discarded what, filtered and paged', async () => {
    await open('#/audit');
    await see('entries, newest first');
    const actions = await column(3);
    expect(actions.slice(0, 2)).toEqual(['bulk_discard', 'discard']);
    expect(actions).toContain('bulk_replay');
    expect(actions.filter((a) => a === 'replay')).toHaveLength(3); // one by hand, two in bulk
    // each replay and discard names the operator who did it (the configuration reload is the gateway's own)
    const actors = await column(2);
    expect(actions.map((a, i) => [a, actors[i]]).filter(([a]) => /replay|discard/.test(a!)).every(([, by]) => by === 'operator:test-operator')).toBe(true);
    await page.fill('#filter-action', 'bulk_discard');
    await page.click('form.filters button');
    await see('1 entry, newest first');
    expect(await page.textContent('main tbody tr td:nth-child(5)')).toContain('reason: buyer resends with EA');
    await open('#/audit?action=replay&limit=2');
    await see('2 entries');
    await page.click('#next-page');
    await see('1 more entry');
    expect(await column(4)).toEqual([ids.purpose]); // the first replay, by hand
    await page.screenshot({ path: path.join(screenshotDir, 'audit.png'), fullPage: true });
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
