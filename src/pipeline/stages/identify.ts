import { GatewayError } from '../../core/errors.ts';
import type { ConfigView, PartnerView } from '../config-port.ts';
import type { EnvelopeParty, TranslationUnit, WireFormat } from '../units.ts';

/** The partner whose envelope id (X12 ISA05/06, EDIFACT UNB S002) this is, if any. */
export function partnerBySender(config: ConfigView, format: WireFormat, sender: EnvelopeParty | undefined): PartnerView | undefined {
  if (!sender) return undefined;
  if (format === 'x12') return config.byX12(sender.qualifier ?? '', sender.id);
  if (format === 'edifact') return config.byEdifact(sender.id, sender.qualifier);
  return undefined;
}

/**
 * Identify: the partner a unit belongs to. The transport may have authenticated the sender (API
 * key, AS2 certificate, SFTP account); the envelope names a sender too. When both are known they
 * must agree: a partner's key cannot submit another partner's interchange (anti-spoofing).
 */
export function identifyPartner(config: ConfigView, authenticatedId: string | null, unit: TranslationUnit): PartnerView {
  const sender = unit.envelope.sender;
  const byEnvelope = partnerBySender(config, unit.format, sender);
  if (authenticatedId) {
    const authenticated = config.partner(authenticatedId);
    if (!authenticated) {
      throw new GatewayError('partner_unknown', `partner "${authenticatedId}" is not configured (no partners/${authenticatedId}.yaml)`, { partnerId: authenticatedId });
    }
    if (byEnvelope && byEnvelope.id !== authenticated.id) {
      throw new GatewayError('sender_mismatch',
        `partner "${authenticated.id}" submitted an interchange whose sender ${describe(sender)} belongs to partner "${byEnvelope.id}"`,
        { partnerId: authenticated.id, expected: `a sender id of partner ${authenticated.id}`, found: describe(sender), ...controlNumbers(unit) });
    }
    return authenticated;
  }
  if (byEnvelope) return byEnvelope;
  throw new GatewayError('partner_unknown',
    sender ? `no partner is configured for sender ${describe(sender)}` : 'the message names no sender and came without partner credentials',
    { found: describe(sender), ...controlNumbers(unit) });
}

function describe(p: { qualifier?: string; id: string } | undefined): string {
  if (!p) return '(none)';
  return p.qualifier ? `${p.qualifier}:${p.id}` : p.id;
}

export function controlNumbers(unit: TranslationUnit): Record<string, string> {
  const e = unit.envelope;
  const out: Record<string, string> = {};
  if (e.interchangeControlNumber) out.interchangeControlNumber = e.interchangeControlNumber;
  if (e.groupControlNumber) out.groupControlNumber = e.groupControlNumber;
  if (e.transactionControlNumber) out.transactionControlNumber = e.transactionControlNumber;
  return out;
}
