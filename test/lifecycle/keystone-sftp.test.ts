/**
 * The 3PL over SFTP (a real OpenSSH server): the ERP's 940 is uploaded into Keystone's /in folder,
 * and Keystone's 945 (fixtures/keystone/945-shipped-to-customer), dropped into its /out folder, is
 * taken by the gateway's poller, archived on the server, and correlated to the order the 940 sent.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../outbound/harness.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let f: GatewayFixture;
let dirs: { in: string; out: string; archive: string };

/** the example profile with its server, folders and poll interval pointed at the test's sshd */
const keystone = (s: TestSshd) => readFileSync(path.join(repoRoot, 'partners/keystone.yaml'), 'utf8')
  .replace(/^sftp:[\s\S]*?(?=^outbound:)/m, `sftp:
  host: ${s.host}
  port: ${s.port}
  username: ${s.username}
  privateKeyFile: ./secrets/keystone_ed25519
  hostKeySha256: "${s.hostKeySha256}"
  inbox: ${dirs.out}
  archive: ${dirs.archive}
  outbox: ${dirs.in}
  pollSeconds: 0.5
`).replace('outbound: { channel: sftp, remoteDir: /in }', `outbound: { channel: sftp, remoteDir: ${dirs.in} }`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!sshdAvailable())('Keystone (3PL) over SFTP: 940 out, 945 in', () => {
  beforeAll(async () => {
    sshd = await startSshd();
    const root = path.join(sshd.filesDir, 'keystone');
    dirs = { in: path.join(root, 'in'), out: path.join(root, 'out'), archive: path.join(root, 'archive') };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    const base = (m: string) => [`_base/x12-004010-${m}.yaml`, readFileSync(path.join(repoRoot, `mappings/_base/x12-004010-${m}.yaml`), 'utf8')];
    f = await startGatewayFixture({
      partners: { keystone: keystone(sshd) },
      mappings: Object.fromEntries([base('940.outbound'), base('945.inbound')]),
      files: { 'partners/secrets/keystone_ed25519': sshd.privateKey },
      realClock: true,
    });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await sshd?.dispose();
  });

  it('uploads the 940, takes the 945 from the server and ties it to the order', async () => {
    const res = await f.fetch('/api/v1/erp/outbound', {
      method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partnerId: 'keystone', type: 'warehouse_order', document: {
        orderNumber: 'WO-5001', poNumber: 'CUST-88', shipTo: { name: 'GLOBEX RETAIL 12' },
        lines: [{ lineNumber: '1', vendorPartNumber: 'AC-W100', quantityOrdered: 12, unitOfMeasure: 'EA' }],
      } }),
    });
    const sent = await res.json() as any;
    expect(res.status, JSON.stringify(sent)).toBe(202);
    expect(sent).toMatchObject({ type: 'warehouse_order', poNumber: 'WO-5001', channel: 'sftp' });
    await f.gw.idle();
    const [file] = await until('the 940 on the server', async () => { const l = readdirSync(dirs.in); return l.length ? l : undefined; });
    const x12 = readFileSync(path.join(dirs.in, file!), 'latin1');
    expect(x12).toContain('GS*OW*');
    expect(x12).toContain('ST*940*0001~');
    expect(x12).toContain('W05*N*WO-5001*CUST-88~');

    writeFileSync(path.join(dirs.out, 'ks_945_9451.edi'), readFileSync(path.join(repoRoot, 'fixtures/keystone/945-shipped-to-customer/input.edi')));
    const msg = await until('the 945 taken and processed', async () => {
      const list = (await (await f.fetch('/api/v1/messages?partner=keystone', { token: tokens.operator })).json() as any).messages as any[];
      return list.find((m) => m.direction === 'inbound' && m.transport === 'sftp' && m.status === 'processed');
    });
    expect(existsSync(path.join(dirs.out, 'ks_945_9451.edi'))).toBe(false);
    expect(readdirSync(dirs.archive)).toContain('ks_945_9451.edi');
    const m = await (await f.fetch(`/api/v1/messages/${msg.id}`, { token: tokens.operator })).json() as any;
    expect(m.documents).toMatchObject([{ type: 'warehouse_shipment', status: 'ready', businessKey: 'KS-SHP-5001' }]);
    expect(m.exceptions).toEqual([]);
    const t = await (await f.fetch('/api/v1/orders/CUST-88', { token: tokens.operator })).json() as any;
    expect(t.documents.map((d: any) => [d.direction, d.type, d.businessKey])).toEqual([['outbound', 'warehouse_order', 'WO-5001'], ['inbound', 'warehouse_shipment', 'KS-SHP-5001']]);
    expect(t.stage).toBe('shipped');
  }, 40_000);
});
