/**
 * The operations console in real Chromium against a real gateway: sign in with the operator
 * token, find the failed purchase orders, fix a mapping and replay, discard, browse messages,
 * documents, orders and partners. Partner data with markup must render as text.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerKey, buyerMapping, buyerYaml, interchange, postX12, xss } from './scenario.ts';

export const screenshotDir = path.join(tmpdir(), 'edigw-console-screenshots');

describe.skipIf(chromiumMissing)('operations console in Chromium', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const msg = { good: '', purpose: '', markup: '' };

  const api = async (p: string) => (await f.fetch(p, { token: tokens.operator })).json() as Promise<any>;
  const see = (text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
  const open = async (hash: string) => { await page.evaluate((h) => { location.hash = h; }, hash); };

  beforeAll(async () => {
    f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: buyerKey } });
    const good = await postX12(f, interchange('000000101', { poNumber: 'PO-1001' }));
    expect(good.status).toBe(200);
    // BEG01 06 (confirmation) is not in the base mapping's purpose table: the set waits in the queue
    const purpose = await postX12(f, interchange('000000102', { poNumber: 'PO-1002', purpose: '06' }));
    expect(purpose.body.errors[0]).toMatchObject({ stage: 'translate', code: 'mapping_failed' });
    // PO103 (unit of measure, ID 2/2) holds markup: an X12 syntax error whose message quotes it
    const markup = await postX12(f, interchange('000000103', { poNumber: 'PO-1003', uom: xss }));
    expect(markup.body.errors[0]).toMatchObject({ stage: 'split', code: 'x12_element_too_long', detail: { segment: 'PO1', elementPosition: 3, found: xss } });
    msg.good = good.body.messageId;
    msg.purpose = purpose.body.messageId;
    msg.markup = markup.body.messageId;

    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    await page.goto(f.gw.url + '/');
  });

  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('refuses a wrong token with the 401 message and keeps nothing', async () => {
    await page.fill('#token', 'not-a-token');
    await page.click('#sign-in-form button[type=submit]');
    await see('401 unauthorized');
    expect(await page.textContent('#sign-in-error')).toBe('The gateway refused this token (401 unauthorized): the token or API key is not valid.');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.isVisible('#nav')).toBe(false);
    // the ERP token is valid but may not use the console
    await page.fill('#token', tokens.erp);
    await page.click('#sign-in-form button[type=submit]');
    await see('403 forbidden');
  });

  it('signs in with the operator token (kept in sessionStorage, not the URL) and shows who and the counts', async () => {
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    await see('Signed in as test-operator (operator)');
    expect(page.url()).not.toContain(tokens.operator);
    expect(await page.evaluate(() => Object.values({ ...sessionStorage }))).toEqual([tokens.operator]);
    await see('open exceptions');
    const tile = (label: string) => page.locator('.tile', { hasText: label }).locator('.tile-value').textContent();
    expect(await tile('open exceptions')).toBe('2');
    expect(await tile('failed')).toBe('2');
    expect(await tile('ready (not yet delivered)')).toBe('1');
    // a reload keeps the tab signed in
    await page.reload();
    await see('Signed in as test-operator (operator)');
    await see('open exceptions');
  });

  it('breaks X12 and EDIFACT into one segment per line for reading, keeping a released apostrophe inside its segment', async () => {
    // a string, so the test runner does not rewrite the browser's import()
    const split = (text: string) => page.evaluate(`import('/console/raw.js').then((raw) => { const t = ${JSON.stringify(text)}; return raw.segmentsPerLine(t, raw.segmentSyntax(t)); })`) as Promise<string>;
    const edifact = "UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+261120:1030+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++IT?'S FINE'UNT+3+1'UNZ+1+1'";
    expect(await split(edifact)).toBe("UNA:+.? '\nUNB+UNOC:3+SENDER+RECEIVER+261120:1030+1'\nUNH+1+ORDERS:D:96A:UN'\nFTX+AAI+++IT?'S FINE'\nUNT+3+1'\nUNZ+1+1'\n");
    const x12 = interchange('000000999', { poNumber: 'PO-9' });
    expect(await split(x12)).toBe(x12); // already one per line: unchanged
    expect(await split(x12.replaceAll('~\n', '~'))).toBe(x12);
  });

  it('lists the open exceptions with markup from the partner shown as text, never run', async () => {
    await open('#/exceptions');
    await see('x12_element_too_long');
    const rows = page.locator('main tbody tr');
    expect(await rows.count()).toBe(2);
    await expect.poll(() => page.locator('main td', { hasText: `PO103: '${xss}' is longer than 2` }).count()).toBe(1);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });

  it('shows an exception with its segment, element, expected and found, and the raw message as text', async () => {
    await page.click('main a:text("x12_element_too_long")');
    await see('Where');
    const field = (label: string) => page.locator('.where dl.fields dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]').textContent();
    expect(await field('Segment')).toBe('PO1 at segment position 4 (loop PO1)');
    expect(await field('Element')).toBe('PO103: element 03, data element 355');
    expect(await field('Expected')).toBe('2..2');
    expect(await field('Found')).toBe(xss);
    expect(await field('Interchange control number')).toBe('000000103');
    await page.locator('pre.raw-text').waitFor();
    const raw = await page.textContent('pre.raw-text');
    expect(raw).toContain(`PO1*1*24*${xss}*12.50**BP*WID-100*VP*AC-W100~\n`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'exception-detail.png'), fullPage: true });
  });

  it('discards that exception with a reason; the API shows it discarded by the operator', async () => {
    const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await page.fill('#discard-reason', 'customer resends with a valid unit of measure');
    await page.click('form.discard button');
    await see('Discarded 1 open exception(s)');
    await see('This exception is discarded');
    expect(await page.locator('main h1 .badge').textContent()).toBe('discarded');
    expect(await api(`/api/v1/exceptions/${id}`)).toMatchObject({ status: 'discarded', resolvedBy: 'operator:test-operator' });
  });

  it('replays the mapping failure after the partner mapping is fixed; the page and the API show the change', async () => {
    await open('#/exceptions');
    await see('mapping_failed');
    await page.click('main a:text("mapping_failed")');
    await see('Mapping problems');
    await see('add "06" to the table');
    // the mapping problem's place (BEG01, the purpose code) in the Where fields
    const field = (label: string) => page.locator('.where dl.fields dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]').textContent();
    expect(await field('Segment')).toBe('BEG at segment position 2');
    expect(await field('Element')).toBe('BEG01: element 01');
    f.writeMapping('buyerco/x12-850.inbound.yaml', buyerMapping);
    expect(f.gw.reloadConfig()).toBe(true);
    const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await page.click('button:text("Replay")');
    await see('now processed');
    expect(await page.textContent('.action-result')).toContain('before failed (1 open exception(s): mapping_failed)');
    await expect.poll(() => page.locator('main h1 .badge').textContent()).toBe('replayed');
    await page.screenshot({ path: path.join(screenshotDir, 'exception-replayed.png'), fullPage: true });
    expect((await api(`/api/v1/exceptions/${id}`)).status).toBe('replayed');
    expect((await api(`/api/v1/messages/${msg.purpose}`)).status).toBe('processed');
    const [doc] = (await api('/api/v1/documents?number=PO-1002')).documents;
    expect(doc.envelope.document).toMatchObject({ poNumber: 'PO-1002', purpose: 'original' });
    expect((await api('/api/v1/exceptions')).exceptions).toEqual([]);
  });

  it('filters messages and shows one with its documents, its 997 and the raw bytes', async () => {
    await open('#/messages');
    await see('The latest');
    await page.selectOption('#filter-partner', 'buyerco');
    await page.selectOption('#filter-status', 'failed');
    await page.click('form.filters button');
    await see('The latest 1 message(s)');
    expect(new URL(page.url()).hash).toBe('#/messages?status=failed&partner=buyerco');
    expect(await page.locator('main tbody tr').count()).toBe(1);
    expect(await page.textContent('main tbody tr')).toContain(msg.markup);

    await open(`#/messages/${msg.good}`);
    await see('Acknowledgements sent');
    expect(await page.locator('section', { hasText: 'Documents' }).locator('tbody tr').first().textContent()).toContain('PO-1001');
    const ack = page.locator('section', { hasText: 'Acknowledgements sent' });
    expect(await ack.locator('tbody tr td').first().textContent()).toBe('997');
    await ack.locator('button:text("Show")').click();
    await ack.locator('pre.raw-text').waitFor();
    expect(await ack.locator('pre.raw-text').textContent()).toContain('AK1*PO*101~\n');
    expect(await page.locator('section', { hasText: 'Raw message' }).last().locator('pre.raw-text').first().textContent()).toContain('BEG*00*SA*PO-1001**20261120~\n');
    // the unmapped data: the base 850 reads everything of this PO but BEG02 (SA), which it declares
    const unmapped = page.locator('section', { hasText: 'Unmapped data' });
    await unmapped.locator('.unmapped-summary').waitFor();
    expect(await unmapped.locator('.unmapped-summary').textContent()).toBe('1 set(s) read: 0 element(s) no mapping reads and none declares, 1 dropped as declared (ignore:).');
    await unmapped.locator('summary').click();
    expect(await unmapped.locator('details tbody tr').allTextContents()).toEqual([expect.stringMatching(/^BEG\/021purchase order type code/)]);
    // a set refused by its syntax is named, and the markup it quotes stays text
    await open(`#/messages/${msg.markup}`);
    const refused = page.locator('section', { hasText: 'Unmapped data' });
    await refused.locator('tbody tr').first().waitFor();
    expect(await refused.locator('tbody tr').first().textContent()).toContain(xss);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('finds a purchase order by number and shows its timeline', async () => {
    await open('#/documents');
    await page.fill('#search-number', 'PO-1001');
    await page.click('form.filters button');
    await see('Purchase order PO-1001 is');
    expect(await page.locator('main tbody tr').count()).toBe(1);
    await page.click('a:text("Open its timeline")');
    await see('Timeline');
    // the heading can render before the timeline's rows: wait for the last event the test reads
    await see(`997 sent for message ${msg.good}`);
    const events = await page.locator('section', { hasText: 'Timeline' }).locator('tbody tr').allTextContents();
    expect(events.some((e) => e.includes('inbound purchase_order PO-1001'))).toBe(true);
    expect(events.some((e) => e.includes(`997 sent for message ${msg.good}`))).toBe(true);
    await open('#/orders/overdue');
    await see('Ship notices without an invoice');
  });

  it('lists partners with status, identifiers and transports; a name with markup stays text', async () => {
    await open('#/partners');
    await see('partner profile(s) loaded');
    const row = await page.locator('main tbody tr', { hasText: 'buyerco' }).textContent();
    expect(row).toContain('BuyerCo <b>Retail</b>');
    expect(row).toContain('production');
    expect(row).toContain('X12 ZZ:BUYERCO');
    expect(row).toContain('HTTP intake (key from BUYERCO_API_KEY)');
    expect(await page.locator('main b').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshotDir, 'partners.png'), fullPage: true });
  });

  it('a token the gateway no longer accepts sends the user back to sign in with the 401 message', async () => {
    const kept = await page.evaluate(() => sessionStorage.getItem('edigw.console.token'));
    await page.evaluate(() => sessionStorage.setItem('edigw.console.token', 'revoked-token'));
    await open('#/messages');
    await see('Your token is no longer accepted (401 unauthorized)');
    expect(await page.isVisible('#sign-in-form')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.fill('#token', kept!);
    await page.click('#sign-in-form button[type=submit]');
    await see('The latest');
  });

  it('signs out: the token leaves sessionStorage and the sign-in form is back', async () => {
    await page.click('#sign-out');
    await see('Signed out.');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.isVisible('#sign-in-form')).toBe(true);
    expect(await page.textContent('#view')).toBe('');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
