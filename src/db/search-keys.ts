/**
 * The numbers a stored document can be found by in the console's search (search_keys, migration
 * sqlite 0018 / postgres 0016): its business numbers (PO, every PO of a multi-PO ship notice,
 * shipment/ASN, invoice, order, bill of lading, PRO, tracking), its control numbers and its
 * business key, trimmed and upper-cased, each once.
 *
 * On SQLite the store writes them with the document (sqlite-store.ts): the trigger that did it
 * re-parsed the envelope's JSON for each of its 15 json_extract calls, about 100 µs a document of
 * the 140 its INSERT cost (bench: .prof/sk.mts in decisions.md). PostgreSQL keeps its trigger
 * (search_keys_document in postgres 0016), which runs on the server inside the INSERT's round trip;
 * test/db/search-keys-parity.test.ts holds this list and that SQL to the same answers.
 */
export interface SearchKey { kind: string; key: string }

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
/** a scalar as SQLite's CAST(v AS TEXT) gives it (objects and arrays are not numbers) */
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return undefined;
};

/** `envelope`: the canonical envelope as stored; `businessKey`: the document row's business_key */
export function documentSearchKeys(envelope: unknown, businessKey: string | null | undefined): SearchKey[] {
  const env = obj(envelope) ?? {};
  const doc = obj(env.document) ?? {};
  const source = obj(env.source) ?? {};
  const found: Array<[string, unknown]> = [
    ['po', doc.poNumber], ['shipment', doc.shipmentId], ['invoice', doc.invoiceNumber], ['shipment', doc.asnNumber],
    ['order', doc.orderNumber], ['bol', doc.billOfLading], ['pro', doc.proNumber], ['tracking', obj(doc.carrier)?.trackingNumber],
  ];
  if (Array.isArray(doc.orders)) for (const o of doc.orders) if (obj(o)) found.push(['po', (o as Obj).poNumber]);
  if (Array.isArray(doc.poNumbers)) for (const p of doc.poNumbers) found.push(['po', p]);
  if (Array.isArray(doc.trackingNumbers)) for (const t of doc.trackingNumbers) found.push(['tracking', t]);
  found.push(['interchange', source.interchangeControlNumber], ['group', source.groupControlNumber],
    ['transaction', source.transactionControlNumber], ['number', businessKey]);
  const out: SearchKey[] = [];
  const seen = new Set<string>();
  for (const [kind, v] of found) {
    const t = text(v)?.trim();
    if (!t) continue;
    const key = t.toUpperCase();
    // (key, message) is unique: the first kind a number is found under is the one kept, as INSERT OR IGNORE did
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, key });
  }
  return out;
}
