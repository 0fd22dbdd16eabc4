/**
 * Several gateway nodes (real `src/main.ts` processes) on one real PostgreSQL database, with
 * EDIGW_LEASE_SECONDS=2 so leases run out quickly:
 * - messages stored while no node ran, then two nodes starting at once: each message is processed
 *   by one node (one 997 per interchange, one document per transaction set);
 * - kill -9 of a node in the middle of a burst: the other node picks up the messages it left
 *   (queued or half processed) once their claims run out, without a restart;
 * - two nodes polling one real OpenSSH server for one partner: one node polls (it holds the
 *   partner's lease), each file is ingested once; kill -9 of that node and the other takes over;
 * - two nodes pushing to one real ERP endpoint: one node pushes (it holds the `erp-push` lease, so
 *   the per-partner throttle and order hold for the cluster); kill -9 of it and the other takes over.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore } from '../../src/db/pg/pg-store.ts';
import { startErpServer } from '../support/erp-server.ts';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { base850, buyerYaml } from '../support/buyer.ts';

const availability = postgresAvailability();
if (!availability.ok) console.warn(availability.reason);

const apiKey = 'buyerco-mn-key-0123456789';
const tokens = { admin: 'admin-mn-token-0123456789', erp: 'erp-mn-token-0123456789' };

/** one interchange (ISA13 = n) with `sets` 850s, PO numbers PO-<n>-<k> */
const interchange = (n: number, sets = 1) => {
  const cn = String(n).padStart(9, '0');
  const body: string[] = [];
  for (let k = 1; k <= sets; k++) {
    const st = String(k).padStart(4, '0');
    body.push(`ST*850*${st}`, `BEG*00*SA*PO-${n}-${k}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042',
      'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', `SE*6*${st}`);
  }
  return [
    `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>`,
    `GS*PO*BUYERCO*GATEWAY*20261120*1030*${n}*X*004010`, ...body, `GE*${sets}*${n}`, `IEA*1*${cn}`,
  ].join('~\n') + '~\n';
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!availability.ok)('several gateway nodes on one PostgreSQL database', () => {
  let server: TestPostgres;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-multinode-'));
  const running: GatewayProcess[] = [];
  const partnersDir = path.join(dir, 'partners');
  const mappingsDir = path.join(dir, 'mappings');

  const start = async (databaseUrl: string, nodeId: string, partners = partnersDir, extraEnv: Record<string, string> = {}) => {
    const gw = await spawnGateway({
      ...extraEnv,
      EDIGW_DATABASE_URL: databaseUrl, EDIGW_PARTNERS_DIR: partners, EDIGW_MAPPINGS_DIR: mappingsDir,
      EDIGW_ADMIN_TOKEN: tokens.admin, EDIGW_ERP_TOKEN: tokens.erp, BUYERCO_API_KEY: apiKey,
      EDIGW_NODE_ID: nodeId, EDIGW_LEASE_SECONDS: '2', EDIGW_LOG_LEVEL: 'info',
    });
    running.push(gw);
    return gw;
  };
  const query = async <R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { return (await c.query<R>(text, values)).rows; } finally { await c.end(); }
  };
  const pending = async (url: string) =>
    (await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM messages WHERE status = 'received' AND direction = 'inbound'`))[0]!.n;
  const waitUntil = async (what: string, done: () => Promise<boolean>, tries = 300) => {
    for (let i = 0; i < tries; i++) {
      if (await done()) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting until ${what}`);
  };
  /** per inbound message: its status, its 997s (ISA13 of each) and its documents */
  const outcomes = async (url: string) => {
    const rows = await query<{ id: string; status: string; acks: string[] | null; docs: number }>(url, `
      SELECT m.id, m.status,
        (SELECT array_agg(split_part(encode(a.raw, 'escape'), '*', 14)) FROM messages a WHERE a.related_message_id = m.id) AS acks,
        (SELECT count(*)::int FROM documents d WHERE d.message_id = m.id) AS docs
      FROM messages m WHERE m.direction = 'inbound' ORDER BY m.seq`);
    return rows.map((r) => ({ ...r, acks: r.acks ?? [] }));
  };
  /** "functional ack stored" lines of a node's log: the messages it answered */
  const answeredBy = (gw: GatewayProcess) => gw.stderr.flatMap((l) => {
    try {
      const j = JSON.parse(l) as { msg?: string; ackFor?: string };
      return j.msg === 'functional ack stored' && j.ackFor ? [j.ackFor] : [];
    } catch { return []; }
  });

  beforeAll(async () => {
    server = await startTestPostgres();
    mkdirSync(partnersDir);
    mkdirSync(path.join(mappingsDir, '_base'), { recursive: true });
    writeFileSync(path.join(partnersDir, 'buyerco.yaml'), buyerYaml);
    writeFileSync(path.join(mappingsDir, '_base', 'x12-004010-850.inbound.yaml'), base850);
  });
  afterAll(async () => {
    for (const gw of running) await gw.kill('SIGKILL');
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('messages stored while no node ran, then two nodes starting at once: each processed once, one 997 per interchange', async () => {
    const url = await server.createDatabase('mn_start');
    // stored by a node that stopped before processing them (five minutes ago)
    const store = await createPgStore({ url });
    const total = 80;
    const receivedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    for (let n = 1; n <= total; n++) {
      const raw = Buffer.from(interchange(n));
      await store.insertMessage({
        id: `msg_stored_${n}`, receivedAt, direction: 'inbound', transport: 'http', partnerId: 'buyerco',
        metadata: { contentType: 'application/edi-x12' }, contentSha256: createHash('sha256').update(raw).digest('hex'), raw, test: false,
      });
    }
    await store.close();

    const [a, b] = await Promise.all([start(url, 'node-a'), start(url, 'node-b')]);
    await waitUntil('every stored message is processed', async () => (await pending(url)) === 0);
    // the final status clears the claim in the same statement: no processed message keeps one
    expect(await query(url, 'SELECT id, status, claimed_by FROM messages WHERE claimed_by IS NOT NULL')).toEqual([]);

    const result = await outcomes(url);
    expect(result).toHaveLength(total);
    for (const m of result) {
      expect(m, m.id).toMatchObject({ status: 'processed', docs: 1 });
      expect(m.acks, m.id).toHaveLength(1);
    }
    // 80 997s drawn from one sequence: ISA13 1..80, none twice
    expect(result.map((m) => Number(m.acks[0])).sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // both nodes resumed every message, and between them answered each exactly once
    const byA = answeredBy(a!);
    const byB = answeredBy(b!);
    expect([...byA, ...byB].sort()).toEqual(result.map((m) => m.id).sort());
    await Promise.all([a!.kill('SIGTERM'), b!.kill('SIGTERM')]);
  });

  it('kill -9 of a node mid-burst: the other node processes what it left once the claims run out, without a restart', async () => {
    const url = await server.createDatabase('mn_kill');
    const [a, b] = await Promise.all([start(url, 'node-a'), start(url, 'node-b')]);
    // interchanges of 25 purchase orders each, posted to node A faster than it processes them
    const accepted: string[] = [];
    let next = 1;
    let killed = false;
    const sender = async () => {
      while (next <= 60 && !killed) {
        const n = next++;
        try {
          const res = await fetch(`${a!.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/edi-x12', 'x-api-key': apiKey }, body: interchange(n, 25) });
          if (res.status === 202) accepted.push(((await res.json()) as { messageId: string }).messageId);
        } catch { /* node A died with the request open: never acknowledged */ }
        if (!killed && accepted.length >= 24) {
          killed = true;
          await a!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, sender));
    expect(killed).toBe(true);
    const leftByA = await pending(url);
    expect(leftByA).toBeGreaterThan(0);

    await waitUntil('node B processed everything node A left', async () => (await pending(url)) === 0);
    // no stale claim: node A died with messages half processed (their claims were taken over by node
    // B once they ran out) and messages processed (the final status cleared each claim in the same
    // statement, so a kill between committing and releasing leaves none behind)
    expect(await query(url, 'SELECT id, status, claimed_by FROM messages WHERE claimed_by IS NOT NULL')).toEqual([]);
    expect(b!.stderr.some((l) => l.includes('"msg":"resume scan: messages whose node is gone enqueued"'))).toBe(true);

    const result = new Map((await outcomes(url)).map((m) => [m.id, m]));
    for (const id of accepted) {
      const m = result.get(id);
      expect(m, id).toMatchObject({ status: 'processed', docs: 25 });
      expect(m!.acks, id).toHaveLength(1);
    }
    // what node A had not finished was answered by node B
    expect(answeredBy(b!).length).toBeGreaterThan(0);
    const docs = await query<{ n: number; distinct_po: number }>(url, `SELECT count(*)::int AS n, count(DISTINCT business_key)::int AS distinct_po FROM documents`);
    expect(docs[0]!.n).toBe(docs[0]!.distinct_po);
    await b!.kill('SIGTERM');
  });

  it('ERP push from two nodes: one node pushes, each document once; kill -9 of it and the other takes over', async () => {
    const url = await server.createDatabase('mn_push');
    const erp = await startErpServer({ token: 'push-mn-token' });
    try {
      const env = { EDIGW_ERP_URL: erp.url, EDIGW_ERP_PUSH_TOKEN: 'push-mn-token' };
      const nodes = await Promise.all([start(url, 'node-a', partnersDir, env), start(url, 'node-b', partnersDir, env)]);
      const byId = new Map([['node-a', nodes[0]!], ['node-b', nodes[1]!]]);
      const post = async (gw: GatewayProcess, n: number) => {
        const res = await fetch(`${gw.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/edi-x12', 'x-api-key': apiKey }, body: interchange(n) });
        expect(res.status).toBe(202);
      };
      const pushedPOs = () => erp.accepted().map((p) => (p.body as { document: { poNumber: string } }).document.poNumber);
      for (let n = 1; n <= 20; n++) await post(nodes[n % 2]!, n);
      await waitUntil('the ERP has 20 documents', async () => erp.accepted().length >= 20);
      const holder = (await query<{ holder: string }>(url, `SELECT holder FROM leases WHERE name = 'erp-push'`))[0]?.holder;
      const pushing = byId.get(holder!)!;
      const standby = byId.get(holder === 'node-a' ? 'node-b' : 'node-a')!;
      const health = async (gw: GatewayProcess) => ((await (await fetch(`${gw.url}/api/v1/status`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json()) as { erpPush: { lease: string } }).erpPush;
      expect(await health(pushing)).toMatchObject({ lease: 'held' });
      // /healthz names the node that answered (behind a load balancer)
      expect(((await (await fetch(`${pushing.url}/healthz`)).json()) as { node: string }).node).toBe(holder);
      expect(await health(standby)).toMatchObject({ lease: 'standby' });

      await pushing.kill('SIGKILL');
      for (let n = 21; n <= 30; n++) await post(standby, n);
      await waitUntil('the node left takes over and pushes the next 10', async () => erp.accepted().length >= 30);
      expect(await health(standby)).toMatchObject({ lease: 'held' });
      await sleep(300);
      expect(pushedPOs().sort()).toEqual(Array.from({ length: 30 }, (_, i) => `PO-${i + 1}-1`).sort());
      // every Idempotency-Key (document id) was posted once: no node pushed what the other did
      const keys = erp.received.map((p) => p.idempotencyKey);
      expect(new Set(keys).size).toBe(keys.length);
      await standby.kill('SIGTERM');
    } finally {
      await erp.close();
    }
  });

  describe.skipIf(!sshdAvailable())('SFTP polling', () => {
    let sshd: TestSshd;
    beforeAll(async () => { sshd = await startSshd(); });
    afterAll(async () => { await sshd?.dispose(); });

    it('two nodes, one partner server: one node polls, each file is ingested once; kill -9 of that node and the other takes over', async () => {
      const url = await server.createDatabase('mn_sftp');
      const inbox = path.join(sshd.filesDir, 'restco', 'outbound');
      const archive = path.join(sshd.filesDir, 'restco', 'archive');
      mkdirSync(inbox, { recursive: true });
      mkdirSync(archive, { recursive: true });
      const sftpPartners = path.join(dir, 'partners-sftp');
      mkdirSync(path.join(sftpPartners, 'secrets'), { recursive: true });
      writeFileSync(path.join(sftpPartners, 'secrets', 'restco_key'), sshd.privateKey, { mode: 0o600 });
      writeFileSync(path.join(sftpPartners, 'restco.yaml'), `id: restco
name: RestCo over SFTP
status: production
identifiers: {}
formats:
  json: { canonical: true }
sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/restco_key
  hostKeySha256: "${sshd.hostKeySha256}"
  inbox: ${inbox}
  archive: ${archive}
  pollSeconds: 0.2
  stableRule: { minAgeSeconds: 0 }
`);
      const put = (n: number) => writeFileSync(path.join(inbox, `asn-${n}.json`), JSON.stringify({
        type: 'ship_notice', document: { shipmentId: `SH-${n}`, shipDate: '2026-11-20', orders: [{ poNumber: `PO-${n}`, lines: [{ lineNumber: '1', quantityShipped: n, unitOfMeasure: 'EA' }] }] },
      }));
      const taken = async () => query<{ file: string; status: string }>(url,
        `SELECT metadata::json->>'fileName' AS file, status FROM messages WHERE transport = 'sftp' ORDER BY seq`);
      const holder = async () => (await query<{ holder: string }>(url, `SELECT holder FROM leases WHERE name = 'sftp:restco'`))[0]?.holder;

      const nodes = await Promise.all([start(url, 'node-a', sftpPartners), start(url, 'node-b', sftpPartners)]);
      const byId = new Map([['node-a', nodes[0]!], ['node-b', nodes[1]!]]);
      for (let n = 1; n <= 20; n++) {
        put(n);
        if (n % 5 === 0) await sleep(150); // files arrive while polls run
      }
      await waitUntil('the first 20 files are archived', async () => readdirSync(archive).length === 20);
      const firstRows = await taken();
      expect(firstRows.map((r) => r.file).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `asn-${i + 1}.json`).sort());
      expect(firstRows.filter((r) => r.status === 'duplicate')).toEqual([]);
      const first = await holder();
      expect(first === 'node-a' || first === 'node-b').toBe(true);
      const polling = byId.get(first!)!;
      const standby = byId.get(first === 'node-a' ? 'node-b' : 'node-a')!;
      const health = async (gw: GatewayProcess) => ((await (await fetch(`${gw.url}/api/v1/status`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json()) as { sftp: Array<{ partnerId: string; running: boolean; lease?: string; filesTaken: number }> })
        .sftp.find((p) => p.partnerId === 'restco');
      expect(await health(polling)).toMatchObject({ running: true, lease: 'held', filesTaken: 20 });
      expect(await health(standby)).toMatchObject({ running: false, lease: 'standby', filesTaken: 0 });

      await polling.kill('SIGKILL');
      for (let n = 21; n <= 30; n++) put(n);
      await waitUntil('the node left takes over and archives the next 10 files', async () => readdirSync(archive).length === 30);
      expect(await holder()).toBe(first === 'node-a' ? 'node-b' : 'node-a');
      expect(await health(standby)).toMatchObject({ running: true, lease: 'held', filesTaken: 10 });

      const rows = await taken();
      expect(rows.map((r) => r.file).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `asn-${i + 1}.json`).sort());
      expect(rows.every((r) => r.status !== 'duplicate')).toBe(true);
      expect(readdirSync(inbox)).toEqual([]);
      await standby.kill('SIGTERM');
    });
  });
});
