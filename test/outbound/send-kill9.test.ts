/**
 * An outbound 850 survives kill -9 between its commit and its send. The real gateway process
 * (`node --import tsx src/main.ts`, SQLite) takes the ERP's purchase order on
 * POST /api/v1/erp/outbound and stores the rendered X12 850 together with its partner.send job;
 * ACME's channel is SFTP to a real OpenSSH server.
 *
 * How the kill lands in the window, deterministically: ACME's remote folder does not exist yet, so
 * every upload fails and the job waits for its retry. Nothing can reach the server before the test
 * creates the folder, which it does only after the process is dead. The test checks in the database
 * that the send job is committed and waiting (an attempt counted, the SFTP error recorded), kills
 * the process, creates the folder, starts the gateway on the same database and counts the files
 * ACME's server received: exactly one, under the name the first run gave it (its interchange
 * control number: the receiver's idempotency key), byte for byte the stored 850.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { startSshd, sshdAvailable, type TestSshd } from '../support/sshd.ts';
import { baseMappings, purchaseOrder } from './harness.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-po-kill9-'));
const db = path.join(dir, 'gateway.db');
const ERP = 'erp-po-kill9-token';
let sshd: TestSshd;
let remote: string;
let env: Record<string, string>;
let gw: GatewayProcess | undefined;

beforeAll(async () => {
  if (!sshdAvailable()) return;
  sshd = await startSshd();
  remote = path.join(sshd.filesDir, 'acme-inbound'); // not created yet: ACME's server refuses uploads
  mkdirSync(path.join(dir, 'partners', 'secrets'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'secrets', 'key'), sshd.privateKey, { mode: 0o600 });
  for (const [rel, text] of Object.entries(baseMappings())) {
    mkdirSync(path.dirname(path.join(dir, 'mappings', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'mappings', rel), text);
  }
  writeFileSync(path.join(dir, 'partners', 'acme.yaml'), `id: acme
name: ACME over SFTP
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
formats:
  x12: { elementSeparator: "*", componentSeparator: ">", segmentTerminator: "~" }
sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/key
  hostKeySha256: "${sshd.hostKeySha256}"
  inbox: ${path.join(sshd.filesDir, 'from-acme')}
  outbox: ${remote}
  pollSeconds: 3600
outbound: { channel: sftp }
acks: { x12: "997", expectWithinMinutes: 60 }
`);
  env = {
    EDIGW_DATABASE_URL: db,
    EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: 'admin-po-kill9-token',
    EDIGW_ERP_TOKEN: ERP,
    EDIGW_LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  await gw?.kill('SIGKILL');
  await sshd?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sendJob = (messageId: string) => {
  const r = new Database(db, { readonly: true });
  try {
    return r.prepare(`SELECT id, state, attempts, last_error FROM jobs WHERE key = ?`).get(`partner.send:${messageId}`) as { id: number; state: string; attempts: number; last_error: string | null } | undefined;
  } finally {
    r.close();
  }
};
const storedRaw = (messageId: string) => {
  const r = new Database(db, { readonly: true });
  try {
    return (r.prepare('SELECT raw FROM messages WHERE id = ?').get(messageId) as { raw: Buffer }).raw;
  } finally {
    r.close();
  }
};
const until = async (cond: () => boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!sshdAvailable())('kill -9 between an outbound 850\'s commit and its send (real OpenSSH server)', () => {
  it('after the restart the partner\'s server has the 850 exactly once, the stored bytes under the first run\'s file name', async () => {
    gw = await spawnGateway(env);
    const res = await fetch(`${gw.url}/api/v1/erp/outbound`, {
      method: 'POST', headers: { authorization: `Bearer ${ERP}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partnerId: 'acme', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-KILL-850' } }),
    });
    expect(res.status).toBe(202);
    const submitted = await res.json() as { messageId: string; fileName: string; interchangeControlNumber: string };
    expect(submitted.fileName).toBe(`acme_850_${submitted.interchangeControlNumber}.edi`);
    // committed and not sent: the job tried once, the SFTP upload refused, waiting for its retry
    await until(() => (sendJob(submitted.messageId)?.attempts ?? 0) >= 1 && sendJob(submitted.messageId)!.state === 'waiting', 'the first upload to fail');
    expect(sendJob(submitted.messageId)!.last_error).toMatch(/^sftp_/);
    await gw.kill('SIGKILL');
    gw = undefined;

    mkdirSync(remote, { recursive: true });       // ACME's server takes uploads from now on
    gw = await spawnGateway(env);
    // the retry is due within the backoff (full jitter under 2 s for the first retry)
    await until(() => sendJob(submitted.messageId)?.state === 'done', 'the send after the restart');
    await new Promise((r) => setTimeout(r, 500)); // a second upload would show here
    expect(readdirSync(remote)).toEqual([submitted.fileName]);
    const sent = readFileSync(path.join(remote, submitted.fileName));
    expect(sent.equals(storedRaw(submitted.messageId))).toBe(true);
    expect(sent.toString('latin1')).toContain('BEG*00*SA*PO-KILL-850**');
  }, 120_000);
});
