/**
 * A purchase order we sent (EDIFACT ORDERS, picked up by the partner) and the partner's CONTRL:
 * the console's message page shows the send outcome, the functional ack state with a link to
 * the CONTRL message, and the interchange one segment per line.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const partner = `id: eurotrade
name: EuroTrade
status: production
identifiers:
  edifact: { id: "4012345000009", qualifier: "14" }
documents:
  outbound:
    - { type: purchase_order, format: edifact, message: ORDERS, version: D96A }
outbound: { channel: pickup }
acks: { edifact: contrl }
`;
const po = { poNumber: 'PO-EU-7', poDate: '2026-11-23', currency: 'EUR', lines: [{ lineNumber: '1', vendorPartNumber: 'V-1', quantity: 5, unitOfMeasure: 'EA', unitPrice: 2.5 }] };

/** the partner's CONTRL accepting our interchange `ref` (UCI 0083 = 7: acknowledged) */
const contrl = (ref: string) => [
  "UNA:+.? '", "UNB+UNOC:3+4012345000009:14+EDIGW:ZZ+261123:1200+C1'", "UNH+1+CONTRL:D:3:UN'",
  `UCI+${ref}+EDIGW:ZZ+4012345000009:14+7'`, "UNT+3+1'", "UNZ+1+C1'",
].join('');

describe.skipIf(chromiumMissing)('console: a purchase order we sent, and its CONTRL', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;

  beforeAll(async () => {
    f = await startGatewayFixture({
      partners: { eurotrade: partner },
      mappings: { '_base/edifact-d96a-orders.outbound.yaml': readFileSync(new URL('../../mappings/_base/edifact-d96a-orders.outbound.yaml', import.meta.url), 'utf8') },
    });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('shows the send outcome, the CONTRL that accepted it, and the ORDERS one segment per line', async () => {
    const res = await f.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId: 'eurotrade', type: 'purchase_order', document: po }) });
    expect(res.status).toBe(202);
    const sent = await res.json() as { messageId: string; interchangeControlNumber: string };
    const up = await f.fetch('/api/v1/inbound?partner=eurotrade&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edifact' }, body: contrl(sent.interchangeControlNumber) });
    expect(up.status).toBe(200);
    const contrlMessageId = ((await up.json()) as any).messageId;
    await f.gw.idle();

    await page.goto(`${f.gw.url}/#/messages/${sent.messageId}`);
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    const outcome = page.locator('section', { hasText: 'Send outcome' });
    await outcome.waitFor();
    const field = (label: string) => outcome.locator('dt', { hasText: new RegExp(`^${label}`) }).locator('xpath=following-sibling::dd[1]').textContent();
    // pickup: the interchange is stored for the partner to fetch, delivered once the partner acks it (its outbox)
    expect(await field('Send')).toBe('pending (stored)');
    expect(await field('Functional ack')).toBe('accepted');
    expect(await field('Ack message')).toBe(contrlMessageId);
    const raw = await page.locator('pre.raw-text').textContent();
    expect(raw).toMatch(/^UNB\+UNOC:3\+EDIGW:ZZZ\+4012345000009:14\+\d{6}:\d{4}\+\d+'\nUNH\+1\+ORDERS:D:96A:UN'\n/);
    expect(raw).toContain(`UNH+1+ORDERS:D:96A:UN'\nBGM+220+PO-EU-7`);
  });
});
