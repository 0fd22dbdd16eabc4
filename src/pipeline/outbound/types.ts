/**
 * What the outbound path needs of the running configuration (src/config's GatewayConfig with the
 * gateway's compiled mappings satisfies it structurally).
 */
import type { PartnerProfile } from '../../config/types.ts';

export type OutboundPartner = Pick<PartnerProfile, 'id' | 'status' | 'identifiers' | 'documents' | 'formats' | 'outbound' | 'acks' | 'as2' | 'sftp'>
  & Partial<Pick<PartnerProfile, 'secrets' | 'file' | 'name' | 'us'>>;

export interface OutboundMappingProblem { file: string; line: number; col: number; rule: string; message: string }

export interface OutboundMapping {
  file: string;
  version?: string;
  fromCanonical(doc: unknown): Promise<{ value: unknown; problems: OutboundMappingProblem[] }>;
}

export interface OutboundConfig {
  partner(id: string): OutboundPartner | undefined;
  partners: ReadonlyArray<OutboundPartner>;
  mappingFor(partnerId: string | undefined, key: { format: string; message: string; version?: string; direction: 'inbound' | 'outbound' }): OutboundMapping | undefined;
  byX12(qualifier: string, id: string): OutboundPartner | undefined;
  byEdifact(id: string, qualifier?: string): OutboundPartner | undefined;
}
