/**
 * What the pipeline needs from the running configuration (src/config's GatewayConfig satisfies it
 * structurally). Read through a getter on every message, so a hot reload applies to the next one.
 */
export interface PartnerView {
  id: string;
  name?: string;
  status: 'test' | 'production';
  formats?: Record<string, Record<string, unknown> | undefined>;
  duplicates?: { policy?: 'reject' | 'skip' | 'process'; windowDays?: number };
  rules?: { priceTolerancePercent?: number; quantityTolerancePercent?: number; onViolation?: 'hold' | 'warn' };
  acks?: { x12?: '997' | '999' | 'none'; ta1?: 'always' | 'on_error' | 'never'; edifact?: 'contrl' | 'none' };
}

export interface MappingProblemView {
  file: string;
  line: number;
  col: number;
  rule: string;
  message: string;
  hint?: string;
}

export interface MappingView {
  file: string;
  documentType: string;
  toCanonical(input: unknown): Promise<{ value: unknown; problems: MappingProblemView[] }>;
  ruleFor(pointer: string): { id: string; file: string; line: number; col: number } | undefined;
}

export interface MappingKey {
  format: string;
  message: string;
  version?: string;
  direction: 'inbound' | 'outbound';
}

export interface ConfigView {
  partner(id: string): PartnerView | undefined;
  byX12(qualifier: string, id: string): PartnerView | undefined;
  byEdifact(id: string, qualifier?: string): PartnerView | undefined;
  mappingFor(partnerId: string | undefined, key: MappingKey): MappingView | undefined;
}
