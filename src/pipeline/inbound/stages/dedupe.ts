import { GatewayError } from '../../../core/errors.ts';
import type { Store } from '../../../db/store.ts';
import type { PartnerView } from '../config-port.ts';
import type { TranslationUnit } from '../units.ts';
import { controlNumbers } from './identify.ts';

const dayMs = 86_400_000;

/**
 * Dedupe by interchange control number: the same sender/receiver pair sending an ISA13 (or UNB
 * 0020) again within the partner's window is a duplicate. Policy per partner: reject (exception,
 * naming the original message), skip (drop silently, recorded), or process anyway.
 * Returns false when the unit must be skipped. `seen` holds, per interchange of this message, the
 * original message found (or null): the lookup runs once per interchange, not once per set.
 */
export async function dedupeInterchange(
  store: Store, partner: PartnerView, messageId: string, unit: TranslationUnit, now: Date, seen: Map<string, string | null>,
): Promise<boolean> {
  if (unit.duplicate && !dedupeInMessage(partner.duplicates?.policy ?? 'reject', partner.id, messageId, unit)) return false;
  const e = unit.envelope;
  if (!e.interchangeControlNumber || !e.sender || !e.receiver) return true;
  const key = {
    standard: unit.format,
    sender: `${e.sender.qualifier ?? ''}:${e.sender.id}`,
    receiver: `${e.receiver.qualifier ?? ''}:${e.receiver.id}`,
    controlNumber: e.interchangeControlNumber,
  };
  const localKey = `${key.sender}|${key.receiver}|${key.controlNumber}`;
  const policy = partner.duplicates?.policy ?? 'reject';
  const windowDays = partner.duplicates?.windowDays ?? 30;
  let original = seen.get(localKey);
  if (original === undefined) {
    await store.recordInterchange(messageId, partner.id, key, now.toISOString());
    const since = new Date(now.getTime() - windowDays * dayMs).toISOString();
    original = (await store.findInterchange(key, since, messageId)) ?? null;
    seen.set(localKey, original);
  }
  if (!original || policy === 'process') return true;
  if (policy === 'skip') return false;
  throw new GatewayError('duplicate_interchange',
    `interchange ${key.controlNumber} from ${key.sender} to ${key.receiver} was already received in message ${original} (within ${windowDays} days)`,
    { partnerId: partner.id, ...controlNumbers(unit), originalMessageId: original });
}

/**
 * A repeat inside the message itself (the reader marked it): the same policy as across messages.
 * reject throws (the first occurrence went through), skip drops it, process lets it pass. The
 * verdict is written on the mark, which the acknowledgement reads. Also what `edigw translate`
 * applies to a file (messageId undefined: nothing stored).
 */
export function dedupeInMessage(policy: 'reject' | 'skip' | 'process', partnerId: string | undefined, messageId: string | undefined, unit: TranslationUnit): boolean {
  const d = unit.duplicate!;
  if (policy === 'process') { d.verdict = 'processed'; return true; }
  if (policy === 'skip') { d.verdict = 'skipped'; return false; }
  d.verdict = 'rejected';
  throw new GatewayError(d.code, `${d.description}: duplicates are rejected for ${partnerId ? `partner ${partnerId}` : 'a file of no partner (the default policy)'}, only the first reaches the ERP`,
    { ...(partnerId ? { partnerId } : {}), ...controlNumbers(unit), ...(messageId ? { originalMessageId: messageId } : {}), level: d.level, found: d.controlNumber, expected: `a ${d.level} control number not used earlier in this message` });
}
