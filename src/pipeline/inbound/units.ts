/**
 * A translation unit is one business document inside a message: an X12 transaction set, an
 * EDIFACT message, a CSV row group, an XML or JSON document. Format readers split a message's
 * bytes into units; every later stage works unit by unit, so one bad transaction set does not
 * stop the good ones beside it.
 */
import type { GatewayError } from '../../core/errors.ts';

export type WireFormat = 'x12' | 'edifact' | 'csv' | 'xml' | 'json';

export interface EnvelopeParty {
  qualifier?: string;
  id: string;
}

export interface UnitEnvelope {
  sender?: EnvelopeParty;
  receiver?: EnvelopeParty;
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  transactionControlNumber?: string;
  /** ISA15 = T, UNB 0035 = 1 */
  test?: boolean;
}

export interface TranslationUnit {
  /** 0-based position of the unit in the message: part of the document id, so replays are idempotent */
  position: number;
  format: WireFormat;
  /** '850', 'ORDERS', or the partner's name for a csv/xml/json message */
  message: string;
  version?: string;
  envelope: UnitEnvelope;
  /** the wire tree or object tree the mapping reads; for canonical JSON, the canonical document itself */
  input: unknown;
  /** set when the partner sent the canonical model as-is (no mapping) */
  canonicalType?: string;
  /** syntax errors found in this unit; a unit with errors is not translated */
  errors: GatewayError[];
  /** set when this unit repeats an interchange, group or set earlier in the same message (stages/dedupe.ts) */
  duplicate?: DuplicateMark;
  /** findings that do not stop translation (EDIFACT: a directory read with the nearest one we ship) */
  warnings?: GatewayError[];
  /** the message names a subset of its standard ('EANCOM EAN008') */
  subset?: string;
}

/**
 * A unit whose envelope repeats one earlier in the same message: the same ISA13 / UNB 0020 (with
 * the same sender and receiver), the same GS06 / UNG 0048 in one interchange, the same ST02 in
 * one group or UNH 0062 in one interchange. One mark is shared by every unit of the repeated
 * interchange or group; the dedupe stage writes the partner policy's verdict on it, and the
 * reader's acknowledgement reads it (TA1 025, AK9 19, AK5 23, CONTRL 26 when rejected).
 */
export interface DuplicateMark {
  level: 'interchange' | 'group' | 'set';
  /** stable error code when the policy rejects it: duplicate_interchange_in_message, duplicate_group, duplicate_transaction, duplicate_message */
  code: string;
  /** what is repeated and where it was first, e.g. "ISA13 '000003438' (interchange 2 of this message repeats interchange 1)" */
  description: string;
  controlNumber: string;
  verdict?: 'rejected' | 'skipped' | 'processed';
}

export interface SplitResult<U extends Iterable<TranslationUnit> = Iterable<TranslationUnit>> {
  /**
   * The documents, in order. A reader may yield them while it reads (X12 does, so a big interchange
   * is processed one transaction set at a time); the other fields are complete once `units` has been
   * iterated to the end.
   */
  units: U;
  /** errors that concern the whole message or interchange (bad envelope, unreadable bytes) */
  errors: GatewayError[];
  /** builds the functional acknowledgements (997/999/TA1, CONTRL) for this message, per the partner's policy */
  acknowledge?: (ctx: AckContext) => Promise<FunctionalAck[]>;
  /** functional acknowledgements received (997/999/TA1, CONTRL): not documents, not errors */
  receiptCount?: number;
  /** the envelope sender acks go back to, when the message names one */
  sender?: EnvelopeParty;
}

export interface AckContext {
  policy: { x12?: '997' | '999' | 'none'; ta1?: 'always' | 'on_error' | 'never'; edifact?: 'contrl' | 'none' };
  /** interchange control numbers the dedupe stage rejected as duplicates (answered with TA1 note 025) */
  duplicateInterchanges: ReadonlySet<string>;
  /** issues the next persisted control number of a kind for the partner */
  issue(kind: 'isa' | 'gs' | 'unb', max: number): Promise<number>;
  now: Date;
}

export interface FunctionalAck {
  format: WireFormat;
  message: string;
  interchangeControlNumber: string;
  /** the inbound interchange control number it answers */
  inReplyTo: string;
  /** the text; '' when `body` gives it */
  text: string;
  /** the exact bytes to send when the text is not UTF-8 (EDIFACT in a Latin charset) */
  bytes?: Uint8Array;
  /** the text in chunks, written as they are read (X12: a 997 of a million sets); stored through the spool (file store past its threshold) */
  body?: () => Iterable<string>;
}

export interface SplitContext {
  partnerId?: string;
  /** the partner's format options from its profile (csv delimiter, json canonical...) */
  formatOptions?: Record<string, unknown>;
  /** the messages the partner's profile says it sends in this format (documents.inbound) */
  inboundMessages?: string[];
  metadata: Record<string, string>;
}

/** U: what `units` is (readers that read the whole message first return an array) */
export interface FormatReader<U extends Iterable<TranslationUnit> = Iterable<TranslationUnit>> {
  format: WireFormat;
  split(bytes: Uint8Array, ctx: SplitContext): Promise<SplitResult<U>>;
  /**
   * the same, reading the message from `slices` as it goes (a large message in the file store,
   * pipeline/inbound/raw-source.ts): memory stays one slice and one unit whatever the message's size
   */
  splitSlices?(slices: Iterable<Uint8Array>, ctx: SplitContext): Promise<SplitResult<U>>;
}
