/**
 * GET /schemas/<name>.v1.json: the canonical JSON Schemas (src/canonical/*.schema.json) for ERP
 * developers and their tools, one per document type (purchase_order.v1.json…) plus envelope.v1.json
 * and common.v1.json. Served copies carry a relative `$id` (their own file name) and refer to each
 * other by the served names, so a validator that fetches one resolves the rest from the same place.
 * The OpenAPI document refers to /schemas/envelope.v1.json for the envelopes it answers with.
 */
import type { Hono } from 'hono';
import { commonSchema, documentSchemas, documentTypes, envelopeSchema } from '../../canonical/schemas.ts';
import { apiError } from '../errors.ts';

/** src/canonical file name -> served name: purchase-order.schema.json -> purchase_order.v1.json */
const servedName = (file: string) => `${file.replace(/\.schema\.json$/, '').replace(/-/g, '_')}.v1.json`;

function served(schema: Record<string, unknown>): Record<string, unknown> {
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (k === '$ref' && typeof x === 'string' && /^[a-z-]+\.schema\.json(#|$)/.test(x)) {
        const [file, fragment] = x.split('#');
        return [k, `${servedName(file!)}${fragment !== undefined ? `#${fragment}` : ''}`];
      }
      if (k === '$id' && typeof x === 'string') return [k, servedName(x.split('/').pop()!)];
      return [k, rewrite(x)];
    }));
  };
  return rewrite(schema) as Record<string, unknown>;
}

let byName: Map<string, Record<string, unknown>> | undefined;

/** the served schemas by file name (envelope.v1.json, common.v1.json, <type>.v1.json) */
export function canonicalSchemaFiles(): Map<string, Record<string, unknown>> {
  if (byName) return byName;
  byName = new Map<string, Record<string, unknown>>([['envelope.v1.json', served(envelopeSchema)], ['common.v1.json', served(commonSchema)]]);
  for (const type of documentTypes) byName.set(`${type}.v1.json`, served(documentSchemas[type]));
  return byName;
}

export function mountCanonicalSchemas(app: Hono): void {
  app.get('/schemas/:name', (c) => {
    const schema = canonicalSchemaFiles().get(c.req.param('name'));
    if (!schema) return apiError(c, 'route_not_found', `no schema ${c.req.param('name')}; there are ${[...canonicalSchemaFiles().keys()].join(', ')}`);
    return c.json(schema, 200, { 'content-type': 'application/schema+json', 'cache-control': 'public, max-age=300' });
  });
}
