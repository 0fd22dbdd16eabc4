/**
 * The canonical model's field tree, read from the JSON Schemas (the single source of truth), so
 * a mapping naming a field that does not exist is refused with the nearest valid name.
 */
import { commonSchema, documentSchemas, type DocumentType } from '../canonical/schemas.ts';

export interface FieldShape {
  type: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'any';
  properties?: Record<string, FieldShape>;
  items?: FieldShape;
  enum?: string[];
}

type Schema = Record<string, unknown>;

function resolveRef(ref: string, inCommon: boolean): { schema: Schema; inCommon: boolean } {
  const m = /^(common\.schema\.json)?#\/\$defs\/(\w+)$/.exec(ref);
  const defs = (commonSchema.$defs ?? {}) as Record<string, Schema>;
  if (m && (m[1] || inCommon)) {
    const s = defs[m[2] ?? ''];
    if (s) return { schema: s, inCommon: true };
  }
  return { schema: {}, inCommon };
}

function shapeOf(schema: Schema, inCommon: boolean): FieldShape {
  if (typeof schema.$ref === 'string') {
    const r = resolveRef(schema.$ref, inCommon);
    return shapeOf(r.schema, r.inCommon);
  }
  if (Array.isArray(schema.enum)) return { type: 'string', enum: schema.enum.map(String) };
  const t = schema.type;
  if (t === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const properties: Record<string, FieldShape> = {};
    for (const [k, v] of Object.entries(props)) properties[k] = shapeOf(v, inCommon);
    return { type: 'object', properties };
  }
  if (t === 'array') return { type: 'array', items: shapeOf((schema.items ?? {}) as Schema, inCommon) };
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return { type: t };
  return { type: 'any' };
}

/** The field tree of one canonical document type. */
export function canonicalShape(type: DocumentType): FieldShape {
  return shapeOf(documentSchemas[type], false);
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      prev[j] = Math.min((prev[j - 1] ?? 0) + 1, tmp + 1, diag + cost);
      diag = tmp;
    }
  }
  return prev[b.length] ?? 0;
}

/** The candidate nearest to name, or undefined when nothing is reasonably close. */
export function nearest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}
