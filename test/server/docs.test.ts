/**
 * GET /docs, the API reference page, in Debian's Chromium against a real gateway: the page loads
 * the gateway's own OpenAPI document and lists its operations (the inbound POST, the ERP feed),
 * with no console error, no CSP violation and no failed request; every request the page makes
 * stays on the gateway (the machine has no internet: the page must work offline). Over plain
 * HTTP: public like /openapi.json, under a strict Content-Security-Policy, 404 for a file it
 * does not serve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f?.close(); });

describe('GET /docs over HTTP', () => {
  it('answers the page without a token, under a CSP with no inline script or style and nothing from elsewhere', async () => {
    const res = await f.fetch('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/unsafe-(inline|eval)|https?:/);
    const html = await res.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/<script>|<style>|style="|https?:\/\//);
  });

  it('serves the bundle with its etag (304 when unchanged) and 404 for anything else', async () => {
    const bundle = await f.fetch('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect((await f.fetch('/docs/swagger-ui-bundle.js', { headers: { 'if-none-match': bundle.headers.get('etag')! } })).status).toBe(304);
    const missing = await f.fetch('/docs/package.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect((await f.fetch('/docs/..%2Fpackage.json')).status).toBe(404);
  });
});

describe.skipIf(chromiumMissing)('/docs in Chromium', () => {
  let browser: RunningChromium;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  it('lists the operations of the gateway\'s document with no error and no request leaving the gateway', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    const requested: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });
    page.on('request', (r) => requested.push(r.url()));

    const started = Date.now();
    const res = await page.goto(`${f.gw.url}/docs`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    // Swagger UI renders an opblock per operation once it has fetched /openapi.json
    const inbound = page.locator('.opblock-post', { has: page.locator('[data-path="/api/v1/inbound"]') }).first();
    await inbound.waitFor({ timeout: 20_000 });
    const loadMs = Date.now() - started;
    const feed = page.locator('.opblock-get', { has: page.locator('[data-path="/api/v1/erp/documents"]') }).first();
    await feed.waitFor({ timeout: 5_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    expect(await page.locator('.info .title').innerText()).toContain('edi-gateway');
    // the document is taken as it is: no parse error box, no warning about it
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    expect(await page.getByText('Warning', { exact: true }).count()).toBe(0);

    // opening an operation shows its description from the document
    await inbound.locator('.opblock-summary').first().click();
    await page.locator('.opblock.is-open .opblock-body').first().waitFor({ timeout: 5_000 });

    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    const origin = new URL(f.gw.url).origin;
    const elsewhere = requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
    expect(elsewhere).toEqual([]);
    expect(requested.some((u) => u.endsWith('/openapi.json'))).toBe(true);
    console.info(`/docs: operations listed ${loadMs} ms after navigation, ${requested.length} requests`);
    await page.close();
  }, 60_000);
});
