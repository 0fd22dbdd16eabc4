/**
 * Replay and discard for the exception queue. A replay re-runs the stored raw message with the
 * current configuration (after a mapping fix, say) and shows what it produced before and now.
 * Document ids are derived from the message, so replaying twice never yields two documents.
 */
import type { Clock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import type { MessageOutcome } from './process-message.ts';

export interface ReplayResult {
  messageId: string;
  before: { status: string; exceptions: Array<{ id: string; stage: string; code: string; message: string }>; documents: Array<{ id: string; status: string; envelope: unknown }> };
  after: MessageOutcome;
}

export function createExceptionQueue(deps: { store: Store; clock: Clock; run(messageId: string, by: string): Promise<MessageOutcome> }) {
  const { store } = deps;

  async function messageOf(ref: string): Promise<string> {
    if (ref.startsWith('exc_')) {
      const exc = await store.getException(ref);
      if (!exc) throw new GatewayError('exception_not_found', `exception ${ref} does not exist`);
      return exc.messageId;
    }
    const msg = await store.getMessage(ref);
    if (!msg) throw new GatewayError('message_not_found', `message ${ref} does not exist (give an exc_… or msg_… id)`);
    return msg.id;
  }

  return {
    async replay(ref: string, by: string): Promise<ReplayResult> {
      const messageId = await messageOf(ref);
      const exc = ref.startsWith('exc_') ? await store.getException(ref) : undefined;
      if (exc && exc.status === 'discarded') {
        throw new GatewayError('exception_discarded', `exception ${ref} was discarded by ${exc.resolvedBy ?? 'someone'} and cannot be replayed`);
      }
      const msg = (await store.getMessage(messageId))!;
      const before = {
        status: msg.status,
        exceptions: (await store.listExceptions({ messageId, status: 'open', limit: 1000 })).map((e) => ({ id: e.id, stage: e.stage, code: e.code, message: e.message })),
        documents: (await store.documentsForMessage(messageId)).map((d) => ({ id: d.id, status: d.status, envelope: JSON.parse(d.envelope) })),
      };
      const after = await deps.run(messageId, by);
      await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: 'replay', subject: messageId, detail: { ref, status: after.status } });
      return { messageId, before, after };
    },
    async discard(ref: string, by: string, reason?: string): Promise<{ messageId: string; discarded: number }> {
      const messageId = await messageOf(ref);
      const n = await store.resolveExceptions(messageId, 'discarded', by, deps.clock.now().toISOString());
      await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: 'discard', subject: messageId, detail: { ref, reason } });
      return { messageId, discarded: n };
    },
  };
}
