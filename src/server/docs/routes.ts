/**
 * GET /docs: the API reference page for the OpenAPI document (/openapi.json), Swagger UI from the
 * swagger-ui-dist package (its prebuilt bundle, served from node_modules as it is installed) with
 * this folder's page, start script and style. Public, as /openapi.json is: the page holds no data,
 * and "Try it out" calls the API with the token the reader types in.
 *
 * Everything comes from this gateway (the page works offline): the Content-Security-Policy allows
 * scripts, styles, fonts and fetches from 'self' only, images from 'self' and data: (Swagger UI's
 * icons are data: SVGs), no inline script or style, never framed. Files are read on first request
 * (the bundle is 1.8 MB: a gateway that never serves /docs never reads it), then kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { apiError } from '../errors.ts';

export const docsSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const here = path.dirname(fileURLToPath(import.meta.url));
const swaggerDir = () => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** URL path below /docs/ → where the file is and its content type ('' is the page itself) */
const FILES: Record<string, { file: () => string; type: string }> = {
  '': { file: () => path.join(here, 'page.html'), type: 'text/html; charset=utf-8' },
  'docs.js': { file: () => path.join(here, 'docs.js'), type: 'text/javascript; charset=utf-8' },
  'docs.css': { file: () => path.join(here, 'docs.css'), type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: () => path.join(swaggerDir(), 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { file: () => path.join(swaggerDir(), 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { file: () => path.join(swaggerDir(), 'favicon-32x32.png'), type: 'image/png' },
};

interface Loaded { body: Uint8Array<ArrayBuffer>; etag: string; type: string }
const loaded = new Map<string, Loaded>();
function load(name: string): Loaded | undefined {
  const known = FILES[name];
  if (!known) return undefined;
  let f = loaded.get(name);
  if (!f) {
    const body = new Uint8Array(readFileSync(known.file())) as Uint8Array<ArrayBuffer>;
    f = { body, type: known.type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    loaded.set(name, f);
  }
  return f;
}

function send(c: Context, name: string): Response {
  const f = load(name);
  if (!f) return apiError(c, 'route_not_found', `no /docs file ${c.req.path}`, undefined, { ...docsSecurityHeaders });
  const headers = { ...docsSecurityHeaders, etag: f.etag, 'cache-control': 'no-cache' };
  if (c.req.header('if-none-match') === f.etag) return new Response(null, { status: 304, headers });
  return c.body(f.body, 200, { ...headers, 'content-type': f.type });
}

/** GET /docs (the page), GET /docs/<file> (its script, styles, the Swagger UI bundle) */
export function mountDocs(app: Hono): void {
  app.get('/docs', (c) => send(c, ''));
  app.get('/docs/:file', (c) => send(c, c.req.param('file')));
}
