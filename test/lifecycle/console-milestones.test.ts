/**
 * The console's order page in real Chromium: a shipment's carrier milestones, posted out of order
 * (canonical JSON), are listed in the order they happened with times in UTC, the delayed one marked;
 * the overdue page lists the shipment while the delay is its latest milestone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

describe.skipIf(chromiumMissing)('order timeline with carrier milestones in Chromium', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;
  const see = (text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });

  const post = async (type: string, document: unknown) => {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type, document }) });
    expect(res.status).toBe(200);
  };
  const status = (statusCode: string, event: string, occurredAt: string) => post('shipment_status', { shipmentId: 'SHP-77', milestones: [{ statusCode, event, occurredAt }] });

  beforeAll(async () => {
    f = await startGatewayFixture({ partners: { restco: restcoYaml } });
    await post('ship_notice', { shipmentId: 'SHP-77', shipDate: '2026-11-20', orders: [{ poNumber: 'PO-77', lines: [{ lineNumber: '1', quantityShipped: 5 }] }] });
    // arrival order: arrived, then the pickup two days earlier, then a delay in between (Chicago, UTC-6)
    await status('X1', 'arrived', '2026-11-22T09:00:00-05:00');
    await status('AF', 'pickup', '2026-11-20T08:00:00-05:00');
    await status('SD', 'delayed', '2026-11-21T18:30:00-06:00');
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    await page.goto(f.gw.url + '/');
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    await see('Signed in as');
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('lists the milestones when they happened, in UTC, the delay marked', async () => {
    await page.evaluate(() => { location.hash = '#/orders/PO-77'; });
    await see('Shipment milestones');
    const rows = await page.locator('section', { hasText: 'Shipment milestones' }).locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('2026-11-20 13:00:00 UTC');
    expect(rows[0]).toContain('pickup');
    expect(rows[1]).toContain('2026-11-22 00:30:00 UTC');
    expect(rows[1]).toContain('delayed');
    expect(rows[2]).toContain('2026-11-22 14:00:00 UTC');
    expect(await page.locator('section', { hasText: 'Shipment milestones' }).locator('strong', { hasText: 'delayed' }).count()).toBe(1);
  });

  it('the overdue page lists the shipment only while a delay is its latest milestone', async () => {
    // the latest milestone by event time is the arrival (after the delay): nothing to list
    await page.evaluate(() => { location.hash = '#/orders/overdue'; });
    await see('Shipments delayed, damaged, refused or late (0)');
    // a later delay makes it the latest: listed
    await status('SD', 'delayed', '2026-11-22T12:00:00-05:00');
    await page.evaluate(() => { location.hash = '#/documents'; });
    await page.evaluate(() => { location.hash = '#/orders/overdue'; });
    await see('Shipments delayed, damaged, refused or late (1)');
    const row = await page.locator('section', { hasText: 'Shipments delayed' }).locator('tbody tr').first().textContent();
    expect(row).toContain('SHP-77');
    expect(row).toContain('delayed (SD)');
    expect(row).toContain('2026-11-22 17:00:00 UTC');
  });
});
