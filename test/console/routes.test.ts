/**
 * The console's HTTP side without a browser: the page and its assets with strict security
 * headers and ETags, and who a token belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f.close(); });

describe('console page and assets', () => {
  it('serves the page at / with a CSP that allows no inline script, nosniff, and no framing', async () => {
    const res = await f.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'frame-ancestors': "'none'", 'object-src': "'none'" });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/console/main.js"></script>');
    // no inline script or style anywhere in the page
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
  });

  it('serves the ES modules as JavaScript with the same headers, and answers 304 to a known ETag', async () => {
    const res = await f.fetch('/console/pages/exceptions.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(await res.text()).toContain('export async function exceptionPage');
    const again = await f.fetch('/console/pages/exceptions.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await f.fetch('/console/console.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves only its own asset files: anything else under /console is 404', async () => {
    for (const p of ['/console/nope.js', '/console/../routes.ts', '/console/%2e%2e/routes.ts', '/console/..%2froutes.ts', '/console/pages']) {
      const res = await f.fetch(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('createConsoleRoutes');
    }
  });
});

describe('GET /api/v1/console/whoami', () => {
  it('names the operator and the admin', async () => {
    expect(await (await f.fetch('/api/v1/console/whoami', { token: tokens.operator })).json()).toEqual({ role: 'operator', name: 'test-operator' });
    expect(await (await f.fetch('/api/v1/console/whoami', { token: tokens.admin })).json()).toEqual({ role: 'admin', name: 'test-admin' });
  });

  it('refuses no token and a wrong one with 401, the ERP token and a partner key with 403', async () => {
    expect((await f.fetch('/api/v1/console/whoami')).status).toBe(401);
    const wrong = await f.fetch('/api/v1/console/whoami', { token: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'the token or API key is not valid' } });
    expect((await f.fetch('/api/v1/console/whoami', { token: tokens.erp })).status).toBe(403);
    expect((await f.fetch('/api/v1/console/whoami', { key: f.keys.RESTCO_API_KEY })).status).toBe(403);
  });
});
