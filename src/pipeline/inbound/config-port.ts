/**
 * What the pipeline needs from the running configuration (src/config's GatewayConfig satisfies it
 * structurally). Read through a getter on every message, so a hot reload applies to the next one.
 */
import type { CompiledMapping, MappingOutput } from '../../mapping/index.ts';

export interface PartnerView {
  id: string;
  name?: string;
  status: 'test' | 'production';
  formats?: Record<string, Record<string, unknown> | undefined>;
  duplicates?: { policy?: 'reject' | 'skip' | 'process'; windowDays?: number };
  rules?: {
    priceTolerancePercent?: number; quantityTolerancePercent?: number; onViolation?: 'hold' | 'warn';
    /** receipt vs ASN (a warehouse's profile); invoice matched to received or shipped, receipt overdue (a supplier's): correlate/types.ts */
    receiptTolerancePercent?: number; matchInvoiceTo?: 'received' | 'shipped'; receiptOverdueDays?: number;
  };
  documents?: { inbound?: Array<{ type?: string; format: string; message?: string }> };
  /** the partner's own envelope ids (anti-spoofing: stages/authorize-sender.ts) */
  identifiers?: { x12?: { qualifier: string; id: string; gsId?: string }; edifact?: { id: string; qualifier?: string }; as2?: string };
  /** all of them when the profile lists several per format (identifiers holds the first) */
  identities?: { x12: Array<{ qualifier: string; id: string; gsId?: string }>; edifact: Array<{ id: string; qualifier?: string }>; as2: string[] };
  /** our identities toward the partner: the receivers its interchanges may name */
  us?: { x12?: Array<{ qualifier: string; id: string; gsId?: string }>; edifact?: Array<{ id: string; qualifier?: string }>; as2?: string[] };
  antiSpoofing?: { policy: 'reject' | 'warn' };
  acks?: { x12?: '997' | '999' | 'none'; ta1?: 'always' | 'on_error' | 'never'; edifact?: 'contrl' | 'none' };
  /** the http block (its signature: server/webhook-signature.ts) and the secrets resolved from `...Env` references */
  http?: Record<string, unknown>;
  secrets?: Readonly<Record<string, string>>;
}

/** What the pipeline uses of a compiled mapping (src/mapping's CompiledMapping). */
export type MappingView = Pick<CompiledMapping, 'file' | 'documentType' | 'ruleFor'> & {
  toCanonical(input: unknown): Promise<Pick<MappingOutput, 'value' | 'problems'> & Partial<Pick<MappingOutput, 'usedRules'>>>;
};

export interface MappingKey {
  format: string;
  message: string;
  version?: string;
  direction: 'inbound' | 'outbound';
}

/** A partner whose profile loaded but does not run (another file claims one of its identifiers). */
export interface DisabledPartnerView {
  id: string;
  file: string;
  /** why: each conflicting identifier as `file:line:col rule: message`, naming the other file */
  problems: ReadonlyArray<{ text: string; message: string }>;
}

export interface ConfigView {
  partner(id: string): PartnerView | undefined;
  byX12(qualifier: string, id: string): PartnerView | undefined;
  byEdifact(id: string, qualifier?: string): PartnerView | undefined;
  mappingFor(partnerId: string | undefined, key: MappingKey): MappingView | undefined;
  /** disabled partners, asked only when the running partners do not know the sender (absent: none) */
  disabled?: {
    partner(id: string): DisabledPartnerView | undefined;
    byX12(qualifier: string, id: string): DisabledPartnerView | undefined;
    byEdifact(id: string, qualifier?: string): DisabledPartnerView | undefined;
  };
}
