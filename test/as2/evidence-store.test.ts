/** store.as2Evidence (as2_evidence, sqlite 0015 / postgres 0013) on SQLite and on a real PostgreSQL server. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { PartnerProfile } from '../../src/config/types.ts';
import { openStore } from '../../src/db/open-store.ts';
import { createRetentionPass } from '../../src/retention/retention-pass.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

/** every byte value, CR/LF and NUL included: the evidence is byte for byte or worthless */
const BYTES = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 13, 10, 0, 13, 10]);

function contract(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe(`AS2 evidence store: ${name}`, () => {
    let s: { store: Store; cleanup(): Promise<void> };
    beforeAll(async () => { s = await open(); });
    afterAll(async () => { await s?.cleanup(); });

    it('keeps each part byte for byte with its detail, in order; finds a send by its AS2 Message-ID', async () => {
      const e = s.store.as2Evidence;
      const base = { direction: 'outbound' as const, partnerId: 'globex', as2MessageId: '<po-msg_1@edigw>', contentType: 'multipart/signed; boundary="b"' };
      await e.addEvidence({ ...base, messageId: 'msg_1', part: 'message', body: BYTES, detail: { mic: 'abc=, sha-256', signed: true }, at: '2026-12-07T10:00:00.000Z' });
      await e.addEvidence({ ...base, messageId: 'msg_1', part: 'mdn', body: BYTES.subarray(3, 10), detail: { disposition: 'automatic-action/MDN-sent-automatically; processed' }, at: '2026-12-07T10:00:01.000Z' });
      await e.addEvidence({ ...base, direction: 'inbound', messageId: 'msg_2', as2MessageId: '<x@partner>', part: 'message', body: BYTES, detail: {}, at: '2026-12-07T10:00:02.000Z' });
      const rows = await e.evidenceFor('msg_1');
      expect(rows.map((r) => [r.part, r.messageId, r.direction, r.partnerId, r.as2MessageId, r.contentType, r.at])).toEqual([
        ['message', 'msg_1', 'outbound', 'globex', '<po-msg_1@edigw>', 'multipart/signed; boundary="b"', '2026-12-07T10:00:00.000Z'],
        ['mdn', 'msg_1', 'outbound', 'globex', '<po-msg_1@edigw>', 'multipart/signed; boundary="b"', '2026-12-07T10:00:01.000Z'],
      ]);
      expect(new Uint8Array(rows[0]!.body)).toEqual(BYTES);
      expect(new Uint8Array(rows[1]!.body)).toEqual(BYTES.subarray(3, 10));
      expect(rows[0]!.detail).toEqual({ mic: 'abc=, sha-256', signed: true });
      expect(await e.outboundMessageFor('<po-msg_1@edigw>')).toBe('msg_1');
      // an inbound message is never taken for one of our sends
      expect(await e.outboundMessageFor('<x@partner>')).toBeUndefined();
      expect(await e.evidenceFor('msg_none')).toEqual([]);
    });

    it("a retention purge takes the message's evidence with its bytes; another message's evidence stays", async () => {
      const T0 = '2026-06-01T00:00:00.000Z';
      const raw = Buffer.from('ISA*00*~');
      for (const id of ['msg_old', 'msg_new']) {
        await s.store.insertMessage({ id, receivedAt: id === 'msg_old' ? T0 : '2026-12-01T00:00:00.000Z', direction: 'inbound', transport: 'as2', partnerId: 'initech', metadata: {},
          contentSha256: createHash('sha256').update(raw).digest('hex'), raw, test: false, status: 'processed' });
        await s.store.as2Evidence.addEvidence({ messageId: id, direction: 'inbound', partnerId: 'initech', as2MessageId: `<${id}@initech>`, part: 'message', contentType: 'application/edi-x12', body: BYTES, detail: {}, at: T0 });
        await s.store.as2Evidence.addEvidence({ messageId: id, direction: 'inbound', partnerId: 'initech', as2MessageId: `<${id}@initech>`, part: 'mdn', contentType: 'multipart/signed', body: BYTES, detail: {}, at: T0 });
      }
      const clock = fixedClock('2026-12-07T00:00:00.000Z');
      const partner = { id: 'initech', name: 'Initech', status: 'production', identifiers: {}, file: '/p/initech.yaml', retention: { archiveAfterDays: 30, purgeAfterDays: 90 } } as unknown as PartnerProfile;
      const pass = createRetentionPass({ store: s.store, clock, logger: silentLogger, holder: 'node-a', config: () => ({ partners: [partner], defaults: {} }) });
      const report = await pass();
      expect(report.purged.messages).toBe(1);
      expect(await s.store.as2Evidence.evidenceFor('msg_old')).toEqual([]);
      expect((await s.store.as2Evidence.evidenceFor('msg_new')).map((r) => r.part)).toEqual(['message', 'mdn']);
    });
  });
}

contract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-evidence-'));
  const store = await openStore(path.join(dir, 'gateway.db'));
  return { store, async cleanup() { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

const availability = postgresAvailability();
if (!availability.ok) console.warn(availability.reason);

describe.skipIf(!availability.ok)('PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });
  contract('PostgreSQL', async () => {
    const blobDir = mkdtempSync(path.join(tmpdir(), 'edigw-evidence-blobs-'));
    const store = await openStore(await server.createDatabase('evidence'), { blobDir });
    return { store, async cleanup() { await store.close(); rmSync(blobDir, { recursive: true, force: true }); } };
  });
});
