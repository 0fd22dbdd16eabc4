/**
 * The console's Jobs page (admin) in a real Chromium against a real gateway: BuyerCo collects its
 * 997s (pickup: the ack.send job is done at once), Globex's profile names an SFTP key file that
 * does not exist (its ack send fails for good: secret_unreadable). The page lists both with state,
 * attempts and last error, filters by state, and Cancel / Retry act on the failed one. An
 * operator's token does not see jobs.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const globexYaml = `id: globex
name: Globex
status: production
identifiers:
  x12: { qualifier: ZZ, id: GLOBEX }
http:
  apiKeyEnv: GLOBEX_API_KEY
sftp:
  host: 127.0.0.1
  port: 9
  username: edi
  privateKeyFile: ./secrets/globex_key_missing
  hostKeySha256: "SHA256:${Buffer.alloc(32, 1).toString('base64').replace(/=+$/, '')}"
  inbox: /in
  pollSeconds: 3600
outbound: { channel: sftp, remoteDir: /out }
acks: { x12: "997", ta1: never }
`;
const keys = { BUYERCO_API_KEY: 'buyerco-console-jobs', GLOBEX_API_KEY: 'globex-console-jobs' };
const x12 = (from: string, n: number) => [
  `ISA*00*          *00*          *ZZ*${from.padEnd(15)}*ZZ*GATEWAY        *261123*0900*U*00401*00000080${n}*0*P*>`,
  `GS*PO*${from}*GATEWAY*20261123*0900*80${n}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO-CJ-${n}**20261123`,
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*80${n}`, `IEA*1*00000080${n}`, '',
].join('~\n');

describe.skipIf(chromiumMissing)('console: jobs', () => {
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;
  let ids: number[];

  beforeAll(async () => {
    f = await startGatewayFixture({ partners: { buyerco: buyerYaml, globex: globexYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: keys });
    for (const [from, key, n] of [['BUYERCO', keys.BUYERCO_API_KEY, 1], ['GLOBEX', keys.GLOBEX_API_KEY, 2]] as const) {
      const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': 'application/edi-x12' }, body: x12(from, n) });
      expect(res.status).toBe(200);
      await f.gw.idle();
    }
    ids = ((await (await f.fetch('/api/v1/jobs', { token: tokens.admin })).json()) as { jobs: Array<{ id: number }> }).jobs.map((j) => j.id);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const rows = () => page.locator('#view tbody tr');
  const cells = async (i: number) => (await rows().nth(i).locator('td').allTextContents()).map((t) => t.trim());

  it('lists the jobs newest first with state, attempts and last error, and filters by state', async () => {
    await page.goto(`${f.gw.url}/#/jobs`);
    await page.fill('#token', tokens.admin);
    await page.click('#sign-in-form button[type=submit]');
    await rows().first().waitFor();
    expect(await rows().count()).toBe(2);
    const [globex, buyerco] = [await cells(0), await cells(1)];
    expect(globex.slice(0, 5)).toEqual([String(ids[0]), 'ack.send', 'globex', 'failed', '1/10']);
    expect(globex[7]).toContain('secret_unreadable');
    expect(buyerco.slice(0, 5)).toEqual([String(ids[1]), 'ack.send', 'buyerco', 'done', '1/10']);
    expect(buyerco[7]).toBe('');

    await page.selectOption('#filter-state', 'done');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(() => location.hash === '#/jobs?state=done');
    await page.getByText('1 job(s) done').waitFor();
    expect((await cells(0)).slice(0, 4)).toEqual([String(ids[1]), 'ack.send', 'buyerco', 'done']);
  });

  it('cancels the failed job, then retries it: the runner runs it again (and it fails again, the key is still missing)', async () => {
    await page.evaluate(() => { location.hash = '#/jobs?state=failed'; });
    await page.getByText('1 job(s) failed').waitFor();
    await rows().first().locator('button:text("Cancel")').click();
    await page.locator('#action-result').getByText(`Job ${ids[0]} (ack.send): cancelled.`).waitFor();
    expect((await (await f.fetch(`/api/v1/jobs/${ids[0]}`, { token: tokens.admin })).json())).toMatchObject({ state: 'cancelled' });

    await page.evaluate(() => { location.hash = '#/jobs?state=cancelled'; });
    await page.getByText('1 job(s) cancelled').waitFor();
    await rows().first().locator('button:text("Retry")').click();
    await page.locator('#action-result').getByText(`Job ${ids[0]} (ack.send): waiting, due now.`).waitFor();
    await f.gw.idle();
    expect((await (await f.fetch(`/api/v1/jobs/${ids[0]}`, { token: tokens.admin })).json())).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('an operator is told jobs need an admin token', async () => {
    await page.evaluate(() => { sessionStorage.clear(); location.hash = '#/jobs'; location.reload(); });
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#view .alert.error').waitFor();
    expect(await page.locator('#view .alert.error').textContent()).toContain('403');
  });
});
