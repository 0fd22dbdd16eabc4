/**
 * What both ERP adapters (the pull feed and the REST push) offer the rest of the gateway: a
 * document is released to the ERP, and the adapter reports back once the ERP has it. Kept small on
 * purpose: the push adapter satisfies it with the dispatcher, the pull feed by putting the
 * document in the feed.
 */
import type { CanonicalEnvelope } from '../canonical/types.ts';

export interface ErpAdapter {
  readonly kind: 'pull' | 'push';
  /** makes the document available to the ERP; resolves when it is durably queued, not delivered */
  release(envelope: CanonicalEnvelope): Promise<void>;
}
