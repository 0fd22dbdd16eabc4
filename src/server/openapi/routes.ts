import type { Hono } from 'hono';
import { mountDocs } from '../docs/routes.ts';
import { mountCanonicalSchemas } from './canonical-schemas.ts';
import { openApiDocument } from './document.ts';

/**
 * GET /api/v1/openapi.json (and /openapi.json, where tools look first): the API's contract, and
 * GET /schemas/<name>.v1.json: the canonical schemas it refers to, GET /docs: its reference page (all public)
 */
export function mountOpenApi(app: Hono): void {
  for (const path of ['/api/v1/openapi.json', '/openapi.json']) app.get(path, (c) => c.json(openApiDocument(), 200, { 'cache-control': 'no-cache' }));
  mountCanonicalSchemas(app);
  mountDocs(app);
}
