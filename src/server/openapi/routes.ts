import type { Hono } from 'hono';
import { openApiDocument } from './document.ts';

/** GET /api/v1/openapi.json: the API's contract, public (as the routes it describes are documented in README) */
export function mountOpenApi(app: Hono): void {
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument(), 200, { 'cache-control': 'no-cache' }));
}
