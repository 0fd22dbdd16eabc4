import { GatewayError } from '../../../core/errors.ts';
import { documentTypes, isDocumentType, type DocumentType } from '../../../canonical/schemas.ts';
import type { ConfigView, MappingView } from '../config-port.ts';
import type { TranslationUnit } from '../units.ts';
import { controlNumbers } from './identify.ts';
import { treeForDirectory } from '../../../formats/edifact/grammars/relabel.ts';
import type { WireTree } from '../../../formats/wire.ts';

export interface Translated {
  type: DocumentType;
  document: unknown;
  mapping?: MappingView;
  /** the mapping rules that produced a value (for `edigw check` coverage) */
  usedRules: string[];
}

/** Translate: the partner's (or base) mapping turns the unit's wire tree into a canonical document. */
export async function translateUnit(config: ConfigView, partnerId: string | undefined, unit: TranslationUnit): Promise<Translated> {
  if (unit.canonicalType !== undefined) {
    if (!isDocumentType(unit.canonicalType)) {
      throw new GatewayError('canonical_type_unknown', `"${unit.canonicalType}" is not a canonical document type`, { partnerId, expected: documentTypes.join(', '), found: unit.canonicalType });
    }
    return { type: unit.canonicalType, document: unit.input, usedRules: [] };
  }
  const key = { format: unit.format, message: unit.message, version: unit.version, direction: 'inbound' as const };
  const mapping = config.mappingFor(partnerId, key);
  if (!mapping) {
    throw new GatewayError('mapping_missing',
      partnerId
        ? `no inbound mapping for ${unit.format} ${unit.message}${unit.version ? ' ' + unit.version : ''} (partner ${partnerId}); add mappings/${partnerId}/${unit.format}-${unit.message}.inbound.yaml`
        : `no base mapping for ${unit.format} ${unit.message}${unit.version ? ' ' + unit.version : ''} and no partner matches the envelope; pass --partner <id>`,
      { partnerId, ...controlNumbers(unit), format: unit.format, messageType: unit.message, version: unit.version });
  }
  // EDIFACT: a mapping written for another directory (the D96A base for a D01B message) addresses groups by its numbers
  const mappingVersion = (mapping as { version?: string }).version;
  const input = unit.format === 'edifact' ? treeForDirectory(unit.input as WireTree, mappingVersion) : unit.input;
  const out = await mapping.toCanonical(input);
  if (out.problems.length > 0) {
    const first = out.problems[0]!;
    throw new GatewayError('mapping_failed',
      `${first.file}:${first.line}:${first.col} ${first.message}${out.problems.length > 1 ? ` (and ${out.problems.length - 1} more)` : ''}`,
      { partnerId, ...controlNumbers(unit), problems: out.problems });
  }
  if (!isDocumentType(mapping.documentType)) {
    throw new GatewayError('mapping_invalid', `${mapping.file} produces unknown document type ${mapping.documentType}`, { partnerId });
  }
  return { type: mapping.documentType, document: out.value, mapping, usedRules: [...(out.usedRules ?? [])] };
}
