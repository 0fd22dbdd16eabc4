/**
 * No hot-path query may cost more as history grows (issue 11). A real gateway on a SQLite file
 * filled with 1M messages and 1M documents (plus exceptions, jobs and interchanges) takes traffic
 * through every hot path: intake over HTTP (X12 850 with its 997, JSON ship notices and invoices
 * that correlate against a purchase order, a duplicate, a refused message), processing, the ERP
 * feed (lease + ack), /healthz and /metrics, and the admin lists operators use. Every statement
 * prepared meanwhile is recorded; each one's EXPLAIN QUERY PLAN must read the large tables only
 * through an index (SEARCH), never SCAN them, unless listed below with the reason it stays bounded.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { fillHistory } from '../support/fill-history.ts';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const ROWS = 1_000_000;
const LARGE = ['messages', 'documents', 'exceptions', 'delivery_jobs', 'interchanges', 'audit_log', 'jobs'];

/**
 * Statements allowed to SCAN a large table, each with why its cost does not grow with history.
 * Matched against the SQL text.
 */
const BOUNDED_SCANS: Array<{ sql: RegExp; why: string }> = [
  // newest-first pages walk the rowid backwards and stop at LIMIT (admin lists, console)
  { sql: /^select .* from "(messages|documents|exceptions)"( where .*)? order by "\1"\."seq" desc limit \?$/i, why: 'newest first, stops after LIMIT rows' },
  // GET /api/v1/jobs without filters: the rowid backwards, stops at LIMIT
  { sql: /^SELECT \* FROM jobs ORDER BY id DESC LIMIT @limit$/, why: 'newest first, stops after LIMIT rows' },
];

const recorded = new Set<string>();
const realPrepare = Database.prototype.prepare;
let f: GatewayFixture;

beforeAll(async () => {
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    recorded.add(source);
    return realPrepare.call(this, source);
  } as typeof realPrepare;
  f = await startGatewayFixture({
    partners: { buyerco: `${buyerYaml}retention: { archiveAfterDays: 30, purgeAfterDays: 365 }\n`, restco: restcoYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    env: { BUYERCO_API_KEY: 'buyerco-key' },
  });
  fillHistory(`${f.dir}/gateway.db`, ROWS); // statements prepared at start (the intake's) stay recorded: they serve traffic
  await traffic();
}, 240_000);

afterAll(async () => {
  Database.prototype.prepare = realPrepare;
  await f?.close();
});

async function traffic(): Promise<void> {
  const x12 = (cn: string, po: string) => [
    `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>`,
    'GS*PO*BUYERCO*GATEWAY*20261120*1030*77*X*004010', 'ST*850*0001', `BEG*00*SA*${po}**20261120`,
    'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', 'GE*1*77', `IEA*1*${cn}`, '',
  ].join('~\n');
  const send = async (body: string, key: string, type: string, expected: number[]) => {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': type }, body });
    expect(expected, await res.text()).toContain(res.status);
  };
  await send(x12('000000901', 'PO-9001'), 'buyerco-key', 'application/edi-x12', [200]);
  await send(x12('000000901', 'PO-9001'), 'buyerco-key', 'application/edi-x12', [200]); // the same bytes again: duplicate
  await send(x12('000000902', 'PO-9002'), 'buyerco-key', 'application/edi-x12', [200]);
  await send('ISA*00*broken', 'buyerco-key', 'application/edi-x12', [422]);
  const json = (type: string, document: unknown) => JSON.stringify({ type, document });
  await send(json('ship_notice', { shipmentId: 'SH-1', shipDate: '2026-11-20', orders: [{ poNumber: 'PO-9001', lines: [{ lineNumber: '1', quantityShipped: 24, unitOfMeasure: 'EA' }] }] }), 'restco-key-abcdef', 'application/json', [200]);
  await send(json('invoice', { invoiceNumber: 'INV-1', invoiceDate: '2026-11-21', poNumber: 'PO-9001', currency: 'USD', lines: [{ lineNumber: '1', quantityInvoiced: 24, unitOfMeasure: 'EA', unitPrice: 12.5, amount: 300 }], totalAmount: 300 }), 'restco-key-abcdef', 'application/json', [200, 422]);
  await f.gw.idle();
  // a retention pass over the 1M rows (src/retention: partners found by a loose index scan, candidates by partner and age)
  const retention = await f.gw.runRetention();
  expect(retention?.partners.map((p) => p.partnerId)).toContain('buyerco');
  const feed = await (await f.fetch('/api/v1/erp/documents?limit=100', { token: tokens.erp })).json() as { documents: Array<{ id: string }> };
  expect(feed.documents.length).toBeGreaterThan(0);
  const ack = await f.fetch('/api/v1/erp/documents/ack', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: feed.documents.map((d) => d.id) }) });
  expect(ack.status).toBe(200);
  const jobs = ['/api/v1/jobs', '/api/v1/jobs?limit=5&after=1000', '/api/v1/jobs?kind=ack.send&state=failed', '/api/v1/jobs?state=done&after=1000',
    '/api/v1/jobs?partner=buyerco', '/api/v1/jobs?partner=fill7&kind=ack.send&after=5000', '/api/v1/jobs?kind=ack.send', '/api/v1/jobs?partner=fill3&state=done'];
  for (const path of ['/healthz', '/metrics', '/api/v1/messages?partner=buyerco', '/api/v1/messages', '/api/v1/exceptions?status=open', '/api/v1/documents?poNumber=PO-9001', ...jobs]) {
    const res = await f.fetch(path, { token: tokens.admin });
    expect(res.status, path).toBe(200);
  }
}

/**
 * the plan's passes over a whole large table: `SCAN t` reads every row, and `SCAN t USING [COVERING]
 * INDEX i` every index entry (only `SEARCH` seeks)
 */
function scans(db: Database.Database, source: string): string[] {
  // the plan does not depend on the values: bind NULL to every parameter, positional or named
  const code = source.replace(/'(?:[^']|'')*'/g, "''");
  const positional = new Array<null>(code.split('?').length - 1).fill(null);
  const named = Object.fromEntries([...code.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => [m[1], null]));
  const args: unknown[] = Object.keys(named).length > 0 ? [...positional, named] : positional;
  const stmt = realPrepare.call(db, `EXPLAIN QUERY PLAN ${source}`);
  const plan = (stmt.all as (...values: unknown[]) => unknown[]).apply(stmt, args) as Array<{ detail: string }>;
  return plan.map((r) => r.detail).filter((d) => {
    const table = /^SCAN (\w+)/.exec(d)?.[1];
    return table !== undefined && LARGE.includes(table);
  });
}

describe(`every statement serving traffic on a database of ${ROWS.toLocaleString('en-US')} messages and documents`, () => {
  it('reads large tables through an index', () => {
    const db = new Database(`${f.dir}/gateway.db`, { readonly: true });
    try {
      const statements = [...recorded].filter((s) => /^\s*(select|update|delete|insert|with)/i.test(s) && !/^\s*(pragma|explain)/i.test(s));
      expect(statements.length).toBeGreaterThan(30); // the recording saw the traffic
      expect(statements.filter((s) => /messages_(hot|unpurged|raw_ref)/.test(s)).length).toBeGreaterThanOrEqual(9); // retention's statements
      const offenders: string[] = [];
      const bounded: string[] = [];
      for (const s of statements) {
        const found = scans(db, s);
        if (found.length === 0) continue;
        if (BOUNDED_SCANS.some((b) => b.sql.test(s.replace(/\s+/g, ' ').trim()))) { bounded.push(s); continue; }
        offenders.push(`${found.join('; ')}\n    ${s.replace(/\s+/g, ' ').slice(0, 400)}`);
      }
      console.log(`${statements.length} statements checked; ${bounded.length} scan newest-first under a LIMIT`);
      expect(offenders, `full scans of large tables:\n  ${offenders.join('\n  ')}`).toEqual([]);
    } finally {
      db.close();
    }
  });
});
