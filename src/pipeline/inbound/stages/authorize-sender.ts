/**
 * Authorize (anti-spoofing), run right after identify: a partner's credentials (API key, SFTP
 * login, AS2 certificate) may submit only interchanges whose sender is one of that partner's
 * envelope ids, whose receiver is one of our identities toward it (`us:` in its profile), and only
 * the documents its profile declares (`documents.inbound`). Anything else is `sender_mismatch`,
 * `receiver_unknown` or `document_not_declared`: refused (policy reject, the default) or processed
 * with a warning on the document (`antiSpoofing: { policy: warn }`).
 *
 * What is not declared is not checked: without `us.x12` the ISA receiver is not checked, without
 * `documents.inbound` any document is taken (`edigw check` shows the profile as it is).
 */
import { GatewayError } from '../../../core/errors.ts';
import type { PartnerView } from '../config-port.ts';
import type { EnvelopeParty, TranslationUnit } from '../units.ts';
import { controlNumbers } from './identify.ts';

export type AuthorizeCode = 'sender_mismatch' | 'receiver_unknown' | 'document_not_declared';

export interface AuthorizeVerdict {
  /** set when the policy is reject: the unit is refused with this error */
  refuse?: GatewayError;
  /** set when the policy is warn: the document carries these */
  warnings: Array<{ code: AuthorizeCode; message: string }>;
}

const norm = (s: string | undefined) => (s ?? '').trim().toUpperCase();
const show = (p: EnvelopeParty | undefined) => (!p ? '(none)' : p.qualifier ? `${p.qualifier}:${p.id}` : p.id);

/** A party matches an id when ids are equal and, where both name one, the qualifiers are too (EDIFACT's is optional). */
function same(found: EnvelopeParty, own: { qualifier?: string; id: string }, qualifierRequired: boolean): boolean {
  if (norm(found.id) !== norm(own.id)) return false;
  if (qualifierRequired) return norm(found.qualifier) === norm(own.qualifier);
  return !own.qualifier || !found.qualifier || norm(found.qualifier) === norm(own.qualifier);
}

function senderProblem(partner: PartnerView, unit: TranslationUnit): GatewayError | undefined {
  const sender = unit.envelope.sender;
  if (!sender || (unit.format !== 'x12' && unit.format !== 'edifact')) return undefined;
  const single = unit.format === 'x12' ? partner.identifiers?.x12 : partner.identifiers?.edifact;
  const own: Array<{ qualifier?: string; id: string }> = (unit.format === 'x12' ? partner.identities?.x12 : partner.identities?.edifact) ?? (single ? [single] : []);
  if (own.some((o) => same(sender, o, unit.format === 'x12'))) return undefined;
  const where = unit.format === 'x12' ? 'ISA05/ISA06' : 'UNB S002';
  const expected = own.length > 0 ? own.map(show).join(' or ') : `no ${unit.format === 'x12' ? 'X12' : 'EDIFACT'} identifier in the profile`;
  return new GatewayError('sender_mismatch',
    `partner "${partner.id}" submitted an interchange whose sender ${show(sender)} (${where}) is not one of its ids (${expected})`,
    { partnerId: partner.id, segment: unit.format === 'x12' ? 'ISA' : 'UNB', element: unit.format === 'x12' ? 'ISA06' : 'S002', expected, found: show(sender), ...controlNumbers(unit) });
}

function receiverProblem(partner: PartnerView, unit: TranslationUnit): GatewayError | undefined {
  if (unit.format !== 'x12' && unit.format !== 'edifact') return undefined;
  const ours = unit.format === 'x12' ? partner.us?.x12 : partner.us?.edifact;
  if (!ours || ours.length === 0) return undefined;
  const receiver = unit.envelope.receiver;
  if (receiver && ours.some((o) => same(receiver, o, unit.format === 'x12'))) return undefined;
  const where = unit.format === 'x12' ? 'ISA07/ISA08' : 'UNB S003';
  const expected = ours.map(show).join(' or ');
  return new GatewayError('receiver_unknown',
    `partner "${partner.id}" sent an interchange addressed to ${show(receiver)} (${where}), which is not one of our ids toward it (${expected})`,
    { partnerId: partner.id, segment: unit.format === 'x12' ? 'ISA' : 'UNB', element: unit.format === 'x12' ? 'ISA08' : 'S003', expected, found: show(receiver), ...controlNumbers(unit) });
}

function documentProblem(partner: PartnerView, unit: TranslationUnit): GatewayError | undefined {
  const declared = partner.documents?.inbound;
  if (!declared || declared.length === 0) return undefined;
  const sameFormat = declared.filter((d) => d.format === unit.format);
  const ok = unit.canonicalType !== undefined
    ? sameFormat.some((d) => d.type === unit.canonicalType)
    // X12 and EDIFACT name their message; for CSV, XML and partner JSON the format is what is declared
    : unit.format === 'x12' || unit.format === 'edifact'
      ? sameFormat.some((d) => norm(d.message) === norm(unit.message))
      : sameFormat.length > 0;
  if (ok) return undefined;
  const found = unit.canonicalType !== undefined ? `canonical ${unit.canonicalType}` : `${unit.format} ${unit.message}`;
  const expected = declared.map((d) => `${d.format} ${d.message ?? d.type ?? ''}`.trim()).join(', ');
  return new GatewayError('document_not_declared',
    `partner "${partner.id}" sent a ${found} document, which its profile does not declare in documents.inbound (${expected})`,
    { partnerId: partner.id, expected, found, ...controlNumbers(unit) });
}

/**
 * The checks for one unit. `authenticated`: the partner came from credentials (not from the
 * envelope itself, whose sender then matches by definition).
 */
export function authorizeUnit(partner: PartnerView, unit: TranslationUnit, authenticated: boolean): AuthorizeVerdict {
  const problems = [authenticated ? senderProblem(partner, unit) : undefined, receiverProblem(partner, unit), documentProblem(partner, unit)]
    .filter((p): p is GatewayError => p !== undefined);
  if (problems.length === 0) return { warnings: [] };
  if (partner.antiSpoofing?.policy === 'warn') return { warnings: problems.map((p) => ({ code: p.code as AuthorizeCode, message: p.message })) };
  return { refuse: problems[0], warnings: [] };
}

/** One exception per kind of refusal per message: a 20 MB file of undeclared 850s is one exception, not 30,000. */
export function refusalKey(err: GatewayError, unit: TranslationUnit): string | undefined {
  if (err.code !== 'sender_mismatch' && err.code !== 'receiver_unknown' && err.code !== 'document_not_declared') return undefined;
  return `${err.code}|${String(err.detail.found ?? '')}|${unit.canonicalType ?? unit.message}`;
}
