/**
 * Each document a partner declares (documents.inbound / documents.outbound) should resolve to a
 * mapping; one that does not is reported as a warning (documents would go to the exception queue).
 * JSON partners posting canonical documents as-is need no mapping.
 */
import { problem } from './problems.ts';
import type { Locate } from './yaml-locate.ts';
import type { CompiledMappingLike, ConfigProblem, Direction, GatewayConfig } from './types.ts';

export function checkMappingCoverage<M extends CompiledMappingLike>(
  config: GatewayConfig<M>, locators: ReadonlyMap<string, Locate>,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const p of config.partners) {
    for (const direction of ['inbound', 'outbound'] as Direction[]) {
      (p.documents?.[direction] ?? []).forEach((d, i) => {
        if (d.format === 'json' && p.formats?.json?.canonical) return;
        const message = d.message ?? d.type;
        if (config.mappingFor(p.id, { format: d.format, message, version: d.version, direction })) return;
        const pointer = `/documents/${direction}/${i}`;
        out.push(problem({
          file: p.file, ...(locators.get(p.id)?.(pointer) ?? {}), pointer, severity: 'warning', rule: 'mapping_resolves',
          message: `no mapping found for ${direction} ${d.format} ${message}${d.version ? ` ${d.version}` : ''}`,
          hint: `add mappings/${p.id}/${d.format}-${message}.${direction}.yaml or a base mapping under mappings/_base/`,
        }));
      });
    }
  }
  return out;
}
