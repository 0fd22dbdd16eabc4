/**
 * The operations console at `/`: a static page (HTML, CSS, ES modules; no build step) that calls
 * the admin/operator HTTP API with a bearer token the user types in, plus one read-only endpoint
 * the API lacked: who the token belongs to (`GET /api/v1/console/whoami`).
 *
 * The assets are read once, when the routes are created, and served from memory with a strong
 * ETag (a 304 for a browser that already has them) and strict security headers.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

export interface ConsoleRouteDeps {
  /** admits operator and admin tokens and sets `c.get('principal')` (the app's `auth.require(['operator'])`) */
  requireStaff: MiddlewareHandler;
  /** where the assets are; default: `assets/` beside this file */
  assetsDir?: string;
}

export interface ConsoleAsset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  etag: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** No inline script or style, nothing from elsewhere, never framed. */
export const consoleSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Reads every asset under `dir` once; keys are URL paths below `/console/` (e.g. `pages/exceptions.js`). */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, rel);
    const type = contentTypes[path.extname(rel)];
    if (!type || !statSync(file).isFile()) continue;
    const body = new Uint8Array(readFileSync(file)) as Uint8Array<ArrayBuffer>;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(rel.split(path.sep).join('/'), { body, contentType: type, etag });
  }
  if (!assets.has('index.html')) throw new Error(`console assets in ${dir} have no index.html`);
  return assets;
}

/** Registers `GET /` (the console page), `GET /console/*` (its assets) and `GET /api/v1/console/whoami`. */
export function createConsoleRoutes(deps: ConsoleRouteDeps): (app: Hono) => void {
  const dir = deps.assetsDir ?? fileURLToPath(new URL('./assets/', import.meta.url));
  const assets = loadConsoleAssets(dir);

  const send = (c: Context, asset: ConsoleAsset) => {
    const headers: Record<string, string> = { ...consoleSecurityHeaders, etag: asset.etag, 'cache-control': 'no-cache' };
    if (c.req.header('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
    return c.body(asset.body, 200, { ...headers, 'content-type': asset.contentType });
  };
  const notFound = (c: Context) => c.json(errorBody('route_not_found', `no console file ${c.req.path}`), 404, { ...consoleSecurityHeaders });

  return (app) => {
    app.get('/', (c) => send(c, assets.get('index.html')!));
    app.get('/console', (c) => c.redirect('/', 301));
    app.get('/console/*', (c) => {
      const asset = assets.get(c.req.path.slice('/console/'.length));
      return asset ? send(c, asset) : notFound(c);
    });
    app.get('/api/v1/console/whoami', deps.requireStaff, (c) => {
      const p = c.get('principal');
      return c.json(p.kind === 'staff' ? { role: p.role, name: p.name } : { role: 'partner', name: p.partnerId });
    });
  };
}
