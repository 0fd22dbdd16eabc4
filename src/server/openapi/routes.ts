import type { Hono } from 'hono';
import { mountCanonicalSchemas } from './canonical-schemas.ts';
import { openApiDocument } from './document.ts';

/** GET /api/v1/openapi.json: the API's contract, and GET /schemas/<name>.v1.json: the canonical schemas it refers to (both public) */
export function mountOpenApi(app: Hono): void {
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument(), 200, { 'cache-control': 'no-cache' }));
  mountCanonicalSchemas(app);
}
