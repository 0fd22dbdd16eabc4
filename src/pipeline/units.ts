/**
 * A translation unit is one business document inside a message: an X12 transaction set, an
 * EDIFACT message, a CSV row group, an XML or JSON document. Format readers split a message's
 * bytes into units; every later stage works unit by unit, so one bad transaction set does not
 * stop the good ones beside it.
 */
import type { GatewayError } from '../core/errors.ts';

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
}

export interface SplitResult {
  units: TranslationUnit[];
  /** errors that concern the whole message or interchange (bad envelope, unreadable bytes) */
  errors: GatewayError[];
  /** functional acknowledgements to send back (built by the format's codec), as wire bytes */
  acks?: Array<{ format: WireFormat; message: string; bytes: Uint8Array; partnerHint?: EnvelopeParty }>;
}

export interface SplitContext {
  partnerId?: string;
  /** the partner's format options from its profile (csv delimiter, json canonical...) */
  formatOptions?: Record<string, unknown>;
  metadata: Record<string, string>;
}

export interface FormatReader {
  format: WireFormat;
  split(bytes: Uint8Array, ctx: SplitContext): Promise<SplitResult>;
}
