import { GatewayError } from '../../../core/errors.ts';
import type { ConfigView, DisabledPartnerView, PartnerView } from '../config-port.ts';
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
      const off = config.disabled?.partner(authenticatedId);
      if (off) throw partnerDisabled(off, `the message was received for partner ${off.id}`, unit);
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
  const off = sender ? disabledBySender(config, unit.format, sender) : undefined;
  if (off) throw partnerDisabled(off, `its sender ${describe(sender)} is partner ${off.id}'s`, unit);
  throw new GatewayError('partner_unknown',
    sender ? `no partner is configured for sender ${describe(sender)}` : 'the message names no sender and came without partner credentials',
    { found: describe(sender), ...controlNumbers(unit) });
}

function disabledBySender(config: ConfigView, format: WireFormat, sender: EnvelopeParty): DisabledPartnerView | undefined {
  if (format === 'x12') return config.disabled?.byX12(sender.qualifier ?? '', sender.id);
  if (format === 'edifact') return config.disabled?.byEdifact(sender.id, sender.qualifier);
  return undefined;
}

/**
 * A message of a disabled partner: refused by name, with why (the conflicting identifier and the
 * other file that claims it) and what is expected. The message stays stored; once one of the two
 * files is fixed, replaying the exception processes it.
 */
function partnerDisabled(d: DisabledPartnerView, how: string, unit: TranslationUnit): GatewayError {
  const why = d.problems.map((p) => p.message).join('; ');
  return new GatewayError('partner_disabled',
    `partner "${d.id}" is disabled (${how}): ${d.file}: ${why}; expected each identifier in exactly one partner file: fix one of the two files, then replay this message`,
    { partnerId: d.id, file: d.file, reason: 'identifier_conflict', conflicts: d.problems.map((p) => p.text), expected: 'each identifier claimed by exactly one partner file', ...controlNumbers(unit) });
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
