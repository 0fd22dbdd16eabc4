/**
 * Anti-spoofing and test traffic. A partner authenticated by its API key or AS2 certificate may
 * only submit interchanges whose envelope sender is one of its own identifiers.
 */
import { GatewayError } from '../core/errors.ts';
import type { PartnerProfile } from './types.ts';

export interface EnvelopeSender {
  x12?: { qualifier: string; id: string };
  edifact?: { id: string; qualifier?: string };
}

const norm = (s: string) => s.trim().toUpperCase();

export function assertSenderMatches(authenticated: PartnerProfile, envelopeSender: EnvelopeSender): void {
  const { x12, edifact } = envelopeSender;
  if (x12) {
    const own = authenticated.identifiers.x12;
    const ok = own !== undefined && norm(own.qualifier) === norm(x12.qualifier)
      && (norm(own.id) === norm(x12.id) || (own.gsId !== undefined && norm(own.gsId) === norm(x12.id)));
    if (!ok) {
      const expected = own ? `${own.qualifier}/${own.id}` : 'no X12 identifier';
      throw new GatewayError('sender_mismatch',
        `partner "${authenticated.id}" submitted an interchange whose X12 sender ${x12.qualifier}/${x12.id} (ISA05/ISA06) is not its own (${expected})`,
        { partnerId: authenticated.id, segment: 'ISA', expected, found: `${x12.qualifier}/${x12.id}` });
    }
  }
  if (edifact) {
    const own = authenticated.identifiers.edifact;
    const ok = own !== undefined && norm(own.id) === norm(edifact.id)
      && (own.qualifier === undefined || edifact.qualifier === undefined || norm(own.qualifier) === norm(edifact.qualifier));
    if (!ok) {
      const show = (s: { id: string; qualifier?: string }) => `${s.id}${s.qualifier ? `:${s.qualifier}` : ''}`;
      const expected = own ? show(own) : 'no EDIFACT identifier';
      throw new GatewayError('sender_mismatch',
        `partner "${authenticated.id}" submitted an interchange whose EDIFACT sender ${show(edifact)} (UNB S002) is not its own (${expected})`,
        { partnerId: authenticated.id, segment: 'UNB', expected, found: show(edifact) });
    }
  }
}

/** Test traffic: a partner in test status, ISA15 = T, or UNB 0035 = 1. */
export function isTestTraffic(partner: PartnerProfile | undefined, flags: { isa15?: string; unb0035?: string } = {}): boolean {
  return partner?.status === 'test' || flags.isa15?.trim().toUpperCase() === 'T' || flags.unb0035?.trim() === '1';
}
