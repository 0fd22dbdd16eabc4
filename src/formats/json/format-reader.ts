import { GatewayError } from '../../core/errors.ts';
import type { FormatReader, SplitResult, TranslationUnit } from '../../pipeline/inbound/units.ts';
import { documentTypes } from '../../canonical/schemas.ts';

export interface JsonLimits {
  maxDepth: number;
}

/**
 * Partner JSON. A body is one document or an array of documents. With `canonical: true` in the
 * partner's json options, each document is canonical: `{ "type": "ship_notice", "document": {...} }`.
 * Otherwise each is the partner's own shape, mapped by the partner's json mapping; the message name
 * comes from the `message` metadata (query ?message= or header X-EDI-Message) or the partner's
 * single configured json message.
 */
export function createJsonReader(limits: JsonLimits = { maxDepth: 64 }): FormatReader<TranslationUnit[]> {
  return {
    format: 'json',
    async split(bytes, ctx): Promise<SplitResult<TranslationUnit[]>> {
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        return { units: [], errors: [jsonSyntaxError(text, e)] };
      }
      const depth = maxDepth(parsed, limits.maxDepth + 1);
      if (depth > limits.maxDepth) {
        return { units: [], errors: [new GatewayError('json_too_deep', `JSON nesting deeper than ${limits.maxDepth} levels is refused`, { expected: `at most ${limits.maxDepth} levels` })] };
      }
      const docs = Array.isArray(parsed) ? parsed : [parsed];
      const canonical = ctx.formatOptions?.canonical === true;
      const declared = ctx.inboundMessages?.length === 1 ? ctx.inboundMessages[0] : undefined;
      const message = ctx.metadata.message ?? declared ?? 'json';
      const units: TranslationUnit[] = docs.map((doc, position) => canonical ? canonicalUnit(doc, position) : {
        position, format: 'json', message, envelope: {}, input: doc, errors: [],
      });
      return { units, errors: [] };
    },
  };
}

function canonicalUnit(doc: unknown, position: number): TranslationUnit {
  const unit: TranslationUnit = { position, format: 'json', message: 'canonical', envelope: {}, input: undefined, errors: [] };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    unit.errors.push(new GatewayError('json_not_object', `document ${position + 1} must be a JSON object with "type" and "document"`, { pointer: `/${position}` }));
    return unit;
  }
  const { type, document } = doc as { type?: unknown; document?: unknown };
  if (typeof type !== 'string' || typeof document !== 'object' || document === null) {
    unit.errors.push(new GatewayError('canonical_shape', `document ${position + 1}: a canonical post is {"type": "<${documentTypes.join('|')}>", "document": {...}}`, { pointer: `/${position}`, expected: 'type and document' }));
    return unit;
  }
  unit.canonicalType = type;
  unit.message = type;
  unit.input = document;
  return unit;
}

function maxDepth(v: unknown, stopAt: number, d = 0): number {
  if (d >= stopAt || typeof v !== 'object' || v === null) return d;
  let m = d + 1;
  for (const c of Object.values(v)) {
    m = Math.max(m, maxDepth(c, stopAt, d + 1));
    if (m >= stopAt) break;
  }
  return m;
}

function jsonSyntaxError(text: string, e: unknown): GatewayError {
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg);
  let line: number | undefined;
  let column: number | undefined;
  if (pos?.[1]) {
    const before = text.slice(0, Number(pos[1]));
    line = before.split('\n').length;
    column = Number(pos[1]) - before.lastIndexOf('\n');
  }
  const where = line ? ` at line ${line}, column ${column}` : '';
  return new GatewayError('json_malformed', `malformed JSON${where}: ${msg}`, { line, column });
}
