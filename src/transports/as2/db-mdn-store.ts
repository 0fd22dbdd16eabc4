/**
 * MDNs kept in the gateway's database as outbound messages, so a partner resending a Message-ID
 * after a restart still gets the original MDN back and nothing is ingested twice.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Store } from '../../db/store.ts';
import { keyOfStored, mdnKey, type MdnStore, type StoredMdn } from './mdn-store.ts';

export function createDbMdnStore(deps: { store: Store; clock: Clock; ids: IdGenerator; partnerIdFor(as2From: string): string | undefined }): MdnStore {
  return {
    async get(originalMessageId, as2From, payloadSha256) {
      const row = await deps.store.findByExternalId(mdnKey(originalMessageId, as2From, payloadSha256));
      if (!row) return undefined;
      const meta = JSON.parse(row.metadata) as { mdn: string };
      const saved = JSON.parse(meta.mdn) as Omit<StoredMdn, 'body'>;
      // MDNs stored before the content was recorded: the ingested message's hash is the payload's
      if (!saved.payloadSha256 && saved.ingestedMessageId) {
        const ingested = await deps.store.getMessage(saved.ingestedMessageId);
        if (ingested) saved.payloadSha256 = ingested.contentSha256;
      }
      return { ...saved, body: new Uint8Array(row.raw) };
    },
    async put(mdn) {
      const { body, ...rest } = mdn;
      await deps.store.insertMessage({
        id: deps.ids('msg'), receivedAt: deps.clock.now().toISOString(), direction: 'outbound', transport: 'as2-mdn',
        partnerId: deps.partnerIdFor(mdn.as2From) ?? null, status: 'processed', externalId: keyOfStored(mdn),
        metadata: { kind: 'MDN', as2MessageId: mdn.originalMessageId, disposition: mdn.disposition, mdn: JSON.stringify(rest) },
        contentSha256: createHash('sha256').update(body).digest('hex'), raw: body, test: false,
      });
    },
  };
}
