/**
 * Generates src/canonical/types.ts from the JSON Schemas, so the schemas stay the one source of
 * truth. Run `node --import tsx src/canonical/gen-types.ts --write`; a test fails when types.ts is stale.
 * Handles the subset our schemas use: object, array, string, number, integer, boolean, enum,
 * const, $ref into common.schema.json#/$defs or to another document schema.
 */
import { commonSchema, documentSchemas, envelopeSchema } from './schemas.ts';

type Schema = Record<string, any>;

const refNames: Record<string, string> = {
  'purchase-order.schema.json': 'PurchaseOrder',
  'purchase-order-ack.schema.json': 'PurchaseOrderAck',
  'ship-notice.schema.json': 'ShipNotice',
  'invoice.schema.json': 'Invoice',
  'warehouse-order.schema.json': 'WarehouseOrder',
  'warehouse-shipment.schema.json': 'WarehouseShipment',
  'receipt.schema.json': 'Receipt',
  'stock-transfer.schema.json': 'StockTransfer',
  'inventory-advice.schema.json': 'InventoryAdvice',
  'shipment-status.schema.json': 'ShipmentStatus',
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function refType(ref: string): string {
  const local = /#\/\$defs\/(\w+)$/.exec(ref);
  if (local?.[1]) {
    const def = (commonSchema.$defs as Schema)[local[1]] as Schema;
    return def.type === 'object' ? pascal(local[1]) : typeOf(def, '', []);
  }
  const name = refNames[ref];
  if (!name) throw new Error(`gen-types: unknown $ref ${ref}`);
  return name;
}

function typeOf(s: Schema, indent: string, named: Array<[string, Schema]>): string {
  if (s.$ref) return refType(s.$ref);
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  switch (s.type) {
    case 'string': return 'string';
    case 'number': case 'integer': return 'number';
    case 'boolean': return 'boolean';
    case 'array': {
      const item = s.items as Schema;
      if (item.title && item.type === 'object') { named.push([item.title, item]); return `${item.title}[]`; }
      const inner = typeOf(item, indent, named);
      return inner.includes('|') || inner.includes('{') ? `Array<${inner}>` : `${inner}[]`;
    }
    case 'object': return objectBody(s, indent, named);
    default: return 'unknown';
  }
}

function objectBody(s: Schema, indent: string, named: Array<[string, Schema]>): string {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(s.required ?? []);
  const lines = Object.entries(props).map(([k, v]) => {
    const doc = v.description ? `${indent}  /** ${v.description} */\n` : '';
    return `${doc}${indent}  ${k}${required.has(k) ? '' : '?'}: ${typeOf(v, indent + '  ', named)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function declare(name: string, s: Schema, out: string[], done: Set<string>): void {
  if (done.has(name)) return;
  done.add(name);
  const named: Array<[string, Schema]> = [];
  const body = objectBody(s, '', named);
  out.push(`export interface ${name} ${body}\n`);
  for (const [n, sub] of named) declare(n, sub, out, done);
}

export function generateTypes(): string {
  const out: string[] = ['// Generated from the *.schema.json files by gen-types.ts. Do not edit by hand.\n'];
  const done = new Set<string>();
  for (const [name, def] of Object.entries(commonSchema.$defs as Schema)) {
    if ((def as Schema).type === 'object') declare(pascal(name), def as Schema, out, done);
  }
  for (const s of Object.values(documentSchemas)) declare(String(s.title), s, out, done);
  const env = { ...envelopeSchema, properties: { ...(envelopeSchema.properties as Schema), document: { type: 'string' } } };
  const envBody = objectBody(env, '', []).replace('document: string;', 'document: D;').replace(/\n  type: [^;]+;/, '\n  type: T;');
  const byType = Object.entries(documentSchemas).map(([t, s]) => `  ${t}: ${String(s.title)};`);
  out.push(`export interface DocumentByType {\n${byType.join('\n')}\n}\n`);
  out.push(`export interface CanonicalEnvelope<T extends keyof DocumentByType = keyof DocumentByType, D = DocumentByType[T]> ${envBody}\n`);
  return out.join('\n');
}

if (process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(new URL('./types.ts', import.meta.url), generateTypes());
}
