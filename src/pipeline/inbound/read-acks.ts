/**
 * Acknowledgements read as such: a TA1, 997, 999 or CONTRL is not a document, so `edigw translate`
 * (and the reconciler's log when nothing of ours matches) says what it is, what it acknowledges,
 * its disposition with the standard's codes spelled out, and whether it matched one of our
 * interchanges. Pure: the lookup of our outbound interchanges is passed in.
 */
import { parseContrl, parseEdifact, type ContrlReport } from '../../formats/edifact/index.ts';
import { createX12Reader, parseAck, parseTa1, type AckReconciliation } from '../../formats/x12/index.ts';

export interface AckReading {
  type: 'acknowledgement';
  /** TA1, 997, 999 or CONTRL */
  message: 'TA1' | '997' | '999' | 'CONTRL';
  standard: 'x12' | 'edifact';
  /** the acknowledgement's own envelope: who sent it to whom, in which interchange */
  from: string;
  to: string;
  interchangeControlNumber: string;
  /** what it acknowledges: our interchange (TA1 TA101, CONTRL UCI 0020) or group (AK101/AK102) and sets/messages */
  acknowledges: { interchange?: string; functionalId?: string; group?: string; version?: string; sets: Array<{ id: string; controlNumber: string; disposition: string; codes: string[] }> };
  /** accepted, accepted_with_errors, partially_accepted, rejected, received */
  disposition: string;
  /** the codes the partner gave, each with the standard's meaning */
  codes: string[];
  /** one sentence for a person */
  summary: string;
  /** true/false when our outbound interchanges were looked up, undefined when they were not (no database) */
  matched?: boolean;
  /** our outbound message it matched */
  outboundMessageId?: string;
  /** what is wrong with the acknowledgement itself (its own syntax: SE01, AK101 codes, segment order), first ones */
  defects?: string[];
}

/** TA105 interchange note codes (X12 I18) */
const I18: Record<string, string> = {
  '000': 'no error', '001': 'ISA13 and IEA02 do not match', '002': 'standard in ISA11 not supported', '003': 'version of the controls not supported',
  '004': 'segment terminator invalid', '005': 'invalid interchange ID qualifier for sender', '006': 'invalid interchange sender ID',
  '007': 'invalid interchange ID qualifier for receiver', '008': 'invalid interchange receiver ID', '009': 'unknown interchange receiver ID',
  '010': 'invalid authorization information qualifier', '011': 'invalid authorization information value', '012': 'invalid security information qualifier',
  '013': 'invalid security information value', '014': 'invalid interchange date', '015': 'invalid interchange time', '016': 'invalid interchange standards identifier',
  '017': 'invalid interchange version ID', '018': 'invalid interchange control number', '019': 'invalid acknowledgment requested value',
  '020': 'invalid test indicator value', '021': 'invalid number of included groups value', '022': 'invalid control structure',
  '023': 'improper (premature) end-of-file', '024': 'invalid interchange content', '025': 'duplicate interchange control number',
  '026': 'invalid data element separator', '027': 'invalid component element separator',
};
/** AK5/IK5 transaction set syntax error codes (718) */
const S718: Record<string, string> = {
  '1': 'transaction set not supported', '2': 'transaction set trailer missing', '3': 'ST02 and SE02 do not match', '4': 'number of included segments does not match actual count',
  '5': 'one or more segments in error', '6': 'missing or invalid transaction set identifier', '7': 'missing or invalid transaction set control number',
  '18': 'transaction set not in functional group', '19': 'invalid implementation convention reference', '23': 'transaction set control number not unique within the functional group',
  I5: 'implementation: one or more segments in error', I6: 'implementation convention not supported',
};
/** AK9/IK9 functional group syntax error codes (716); 19 only from 005010 */
const G716: Record<string, string> = {
  '1': 'functional group not supported', '2': 'functional group version not supported', '3': 'functional group trailer missing',
  '4': 'GS06 and GE02 do not agree', '5': 'number of included transaction sets does not match actual count', '6': 'group control number violates syntax',
};
/** ISO 9735 0085 syntax error codes most often seen in a CONTRL */
const E0085: Record<string, string> = {
  '2': 'syntax version or level not supported', '7': 'interchange recipient not actual recipient', '12': 'invalid value', '13': 'missing',
  '14': 'value not supported in this position', '15': 'not supported in this position', '16': 'too many constituents', '17': 'no agreement',
  '18': 'unspecified error', '21': 'invalid character(s)', '26': 'duplicate detected', '28': 'references do not match', '29': 'control count does not match number of instances received',
  '30': 'groups and messages/packages mixed', '35': 'too many segment repetitions', '36': 'too many segment group repetitions', '37': 'invalid type of character(s)', '39': 'data element too long', '40': 'data element too short',
};

const spelled = (table: Record<string, string>, label: string) => (c: string): string => `${label} ${c}${table[c] ? ` (${table[c]})` : ''}`;
const x12Status: Record<string, string> = { A: 'accepted', E: 'accepted_with_errors', P: 'partially_accepted', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected' };

/** Reads every TA1, 997/999 and CONTRL in a file; documents in it are ignored here. */
export function readAcknowledgements(format: 'x12' | 'edifact', bytes: Uint8Array): AckReading[] {
  return format === 'x12' ? readX12Acks(bytes) : readContrls(bytes);
}

function readX12Acks(bytes: Uint8Array): AckReading[] {
  const reader = createX12Reader();
  const out: AckReading[] = [];
  for (const item of [...reader.push(bytes), ...reader.end()]) {
    if (item.kind === 'transaction' && (item.transaction.id === '997' || item.transaction.id === '999')) {
      const ic = item.interchange;
      const a = functionalAck(parseAck(item.tree), `${ic.senderQualifier}:${ic.senderId}`, `${ic.receiverQualifier}:${ic.receiverId}`, ic.controlNumber);
      // a 997/999 is read with its own grammar: a broken one is said to be broken, not trusted silently
      const defects = item.errors.filter((e) => e.severity !== 'warning' && e.error !== 'x12_segments_in_error').map((e) => `${e.error}: ${e.message}`);
      if (defects.length > 0) a.defects = defects.slice(0, 5);
      out.push(a);
    } else if (item.kind === 'interchange_end') {
      const ic = item.interchange;
      for (const seg of item.ta1) {
        const t = parseTa1(seg);
        const disposition = x12Status[t.ackCode] ?? 'rejected';
        const codes = t.noteCode ? [spelled(I18, 'TA105')(t.noteCode)] : [];
        out.push({
          type: 'acknowledgement', message: 'TA1', standard: 'x12', from: `${ic.senderQualifier}:${ic.senderId}`, to: `${ic.receiverQualifier}:${ic.receiverId}`, interchangeControlNumber: ic.controlNumber,
          acknowledges: { interchange: t.interchangeControlNumber, sets: [] }, disposition, codes,
          summary: `TA1 interchange acknowledgement from ${ic.senderQualifier}:${ic.senderId} acknowledging interchange ${t.interchangeControlNumber} of ${t.date} ${t.time} ${disposition} (TA104 ${t.ackCode}${codes.length ? `, ${codes[0]}` : ''})`,
        });
      }
    }
  }
  return out;
}

/** One 997/999 described (also what the reconciler logs for an ack that matches nothing of ours). */
export function functionalAck(a: AckReconciliation, from: string, to: string, icn: string): AckReading {
  const setLabel = a.type === '999' ? 'IK5' : 'AK5';
  const sets = a.sets.map((s) => ({ id: s.id, controlNumber: s.controlNumber, disposition: s.status, codes: s.codes.map(spelled(S718, `${setLabel}`)) }));
  const codes = a.groupCodes.map(spelled(a.version && a.version < '005010' && a.type === '997' ? { ...G716 } : { ...G716, '19': 'functional group control number not unique within interchange' }, 'AK9'));
  const counts = a.included !== undefined ? `, ${a.accepted ?? '?'} of ${a.included} sets accepted` : '';
  const rejectedSets = sets.filter((s) => s.disposition === 'rejected').map((s) => `${s.id} ${s.controlNumber}${s.codes.length ? ` (${s.codes.join(', ')})` : ''}`);
  return {
    type: 'acknowledgement', message: a.type, standard: 'x12', from, to, interchangeControlNumber: icn,
    acknowledges: { functionalId: a.functionalId, group: a.groupControlNumber, ...(a.version ? { version: a.version } : {}), sets },
    disposition: a.groupStatus, codes,
    summary: `${a.type} functional acknowledgement from ${from} acknowledging group ${a.functionalId} ${a.groupControlNumber}${a.version ? ` (${a.version})` : ''} ${a.groupStatus} (AK9 ${a.groupAckCode}${codes.length ? `, ${codes.join(', ')}` : ''}${counts})${rejectedSets.length ? `; rejected: ${rejectedSets.join('; ')}` : ''}`,
  };
}

function readContrls(bytes: Uint8Array): AckReading[] {
  const out: AckReading[] = [];
  let interchanges;
  try { interchanges = parseEdifact(bytes); } catch { return out; }
  for (const ic of interchanges) {
    for (const m of ic.messages) {
      if (m.header.type !== 'CONTRL') continue;
      let r: ContrlReport;
      try { r = parseContrl(m); } catch { continue; }
      const rejected = r.action === 'rejected' || r.messages.some((x) => x.action === 'rejected');
      const disposition = rejected ? (r.action === 'rejected' || r.messages.every((x) => x.action === 'rejected') ? 'rejected' : 'partially_accepted') : r.action === 'received' ? 'received' : 'accepted';
      const code = spelled(E0085, '0085');
      const codes = [
        ...(r.error ? [`UCI ${code(r.error.code)}${r.error.serviceSegment ? ` at ${r.error.serviceSegment}${r.error.elementPosition ? ` element ${r.error.elementPosition}` : ''}` : ''}`] : []),
        ...r.messages.filter((x) => x.error).map((x) => `UCM ${x.reference} ${code(x.error!.code)}`),
      ];
      const from = `${ic.header.sender.id}${ic.header.sender.qualifier ? `:${ic.header.sender.qualifier}` : ''}`;
      out.push({
        type: 'acknowledgement', message: 'CONTRL', standard: 'edifact', from, to: `${ic.header.recipient.id}${ic.header.recipient.qualifier ? `:${ic.header.recipient.qualifier}` : ''}`,
        interchangeControlNumber: ic.header.controlReference,
        acknowledges: { interchange: r.interchangeReference, sets: r.messages.map((x) => ({ id: x.type, controlNumber: x.reference, disposition: x.action === 'acknowledged' ? 'accepted' : x.action, codes: x.error ? [code(x.error.code)] : [] })) },
        disposition, codes,
        summary: `CONTRL syntax and service report from ${from} acknowledging interchange ${r.interchangeReference} ${disposition} (UCI action ${r.action}${codes.length ? `; ${codes.join('; ')}` : ''}${r.messages.length ? `; ${r.messages.length} message(s) reported` : ''})`,
      });
    }
  }
  return out;
}
