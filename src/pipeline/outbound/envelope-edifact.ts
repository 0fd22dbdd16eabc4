/**
 * EDIFACT envelope for an outbound message: UNB (our id -> the partner's `identifiers.edifact`),
 * UNH (type from the mapping, version/release from e.g. 'D96A', agency UN), UNT/UNZ counts, with
 * fresh 0020 (interchange) and 0062 (message) references issued by the caller. Separators,
 * character set and syntax version: the partner's `formats.edifact`. A decimal mark other than '.'
 * is announced in UNA and written in the numeric (class n) elements of the message's grammar.
 */
import { GatewayError } from '../../core/errors.ts';
import { writeEdifact, type EdifactSeparators } from '../../formats/edifact/index.ts';
import type { WireTree } from '../../formats/wire.ts';
import { grammarFor } from '../inbound/grammars.ts';
import type { OutboundPartner } from './types.ts';

export interface OurEdifactId { id: string; qualifier?: string }

export const DEFAULT_OUR_EDIFACT: OurEdifactId = { id: 'EDIGW', qualifier: 'ZZZ' };

/** 0020 is an..14: references run 1..99999999999999 */
export const UNB_MAX = 99_999_999_999_999;
/** 0062 is an..14 */
export const UNH_MAX = 99_999_999_999_999;

export interface EdifactEnvelopeResult { bytes: Uint8Array; interchangeControlNumber: string; messageReference: string }

export async function envelopeEdifact(input: {
  partner: OutboundPartner;
  tree: WireTree;
  version: string;
  ourId: OurEdifactId;
  issue: (kind: 'unb' | 'unh', max: number) => Promise<number>;
  now: Date;
}): Promise<EdifactEnvelopeResult> {
  const { partner, tree } = input;
  const them = partner.identifiers.edifact;
  if (!them) {
    throw new GatewayError('edifact_identifiers_missing', `partner "${partner.id}" has no identifiers.edifact (UNB recipient) to address the interchange to`,
      { partnerId: partner.id, expected: 'identifiers: { edifact: { id, qualifier } }' });
  }
  const m = /^([A-Z])(\d{2}[A-Z])$/.exec(input.version);
  if (!m) throw new GatewayError('edifact_version_invalid', `EDIFACT version must look like D96A, got "${input.version}"`, { partnerId: partner.id, found: input.version, expected: 'D96A' });
  const f = partner.formats?.edifact ?? {};
  const separators: Partial<EdifactSeparators> = {
    ...(f.componentSeparator ? { component: f.componentSeparator } : {}),
    ...(f.elementSeparator ? { element: f.elementSeparator } : {}),
    ...(f.decimalMark ? { decimal: f.decimalMark } : {}),
    ...(f.releaseCharacter ? { release: f.releaseCharacter } : {}),
    ...(f.segmentTerminator ? { segment: f.segmentTerminator } : {}),
  };
  const syntaxVersion = f.syntaxVersion ?? '3';
  // which elements are numeric: the message's segment directory (the nearest release we hold)
  const segments = grammarFor('edifact', tree.message, input.version)?.segments;
  const unb = await input.issue('unb', UNB_MAX);
  const unh = await input.issue('unh', UNH_MAX);
  const iso = input.now.toISOString();
  const ccyymmdd = iso.slice(0, 10).replaceAll('-', '');
  const bytes = writeEdifact({
    header: {
      syntax: { id: f.charset ?? 'UNOC', version: syntaxVersion },
      sender: { id: input.ourId.id, ...(input.ourId.qualifier ? { qualifier: input.ourId.qualifier } : {}) },
      recipient: { id: them.id, ...(them.qualifier ? { qualifier: them.qualifier } : {}) },
      date: syntaxVersion === '4' ? ccyymmdd : ccyymmdd.slice(2), time: iso.slice(11, 16).replace(':', ''),
      controlReference: String(unb), testIndicator: partner.status === 'test',
    },
    separators,
    messages: [{ tree, ...(segments ? { segments } : {}), header: { reference: String(unh), type: tree.message, version: m[1]!, release: m[2]!, agency: 'UN' } }],
    lineEnding: '\n',
  });
  return { bytes, interchangeControlNumber: String(unb), messageReference: String(unh) };
}
