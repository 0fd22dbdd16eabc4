/**
 * Mapping files the resolver (mapping-resolve.ts) would never pick, as warnings at the file: a
 * folder under mappings/ named for no partner (`mappings/nwcomponent/` beside partner
 * `nwcomponents`), a name whose direction or format is no valid one (`x12-855.inbund.yaml`), a
 * name that matches none of its partner's documents, a name that says another message than the
 * file's own header, a file outside `<partner>/` and `_base/`. Each says what the name matched,
 * the nearest valid name, and what the partner uses meanwhile. Files a partner names in its
 * `mappings:` or that another mapping `extends:` are used by path and are not judged by name.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { nearest } from './nearest.ts';
import { mappingName } from './mapping-files.ts';
import { normaliseVersion, pathKey } from './mapping-resolve.ts';
import { problem } from './problems.ts';
import type { CompiledMappingLike, ConfigProblem, Direction, GatewayConfig, PartnerProfile } from './types.ts';

const FORMATS = ['x12', 'edifact', 'csv', 'xml', 'json'];
const DIRECTIONS: Direction[] = ['inbound', 'outbound'];
const YAML = /\.ya?ml$/;

export interface NameCheckInput<M extends CompiledMappingLike> {
  mappingsDir: string;
  /** ids of every partners/<id>.yaml, loaded or not (a profile with errors still owns its folder) */
  partnerIds: readonly string[];
  config: GatewayConfig<M>;
  /** absolute paths used by path: partners' explicit mappings: and extends: targets */
  usedByPath: ReadonlySet<string>;
  /** files the compiler refused: their errors say enough */
  refused: ReadonlySet<string>;
}

interface NameParts { format: string; version?: string; message: string; direction: string }

/** `x12-004010-850.inbound.yaml` -> { x12, 004010, 850, inbound }; `csv-invoice.inbound.yaml` has no version. */
export function parseMappingName(name: string): NameParts | undefined {
  const stem = name.replace(YAML, '');
  const dot = stem.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const parts = stem.slice(0, dot).split('-');
  const direction = stem.slice(dot + 1);
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  const [format, ...rest] = parts as [string, ...string[]];
  if (rest.length === 1) return { format, message: rest[0]!, direction };
  return { format, version: rest[0]!, message: rest.slice(1).join('-'), direction };
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else if (YAML.test(e.name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}

/** The names mappings/<partner>/ may hold for the partner's declared documents (lower case). */
function partnerNames(p: PartnerProfile): Array<{ name: string; format: string; message: string; version?: string; direction: Direction }> {
  const out: Array<{ name: string; format: string; message: string; version?: string; direction: Direction }> = [];
  for (const direction of DIRECTIONS) {
    for (const d of p.documents?.[direction] ?? []) {
      const message = d.message ?? d.type;
      const version = normaliseVersion(d.format, d.version);
      const key = { format: d.format, message, ...(d.version ? { version: d.version } : {}), direction };
      out.push({ name: `${d.format}-${message}.${direction}.yaml`, ...key });
      if (version) out.push({ name: `${d.format}-${version}-${message}.${direction}.yaml`, ...key });
    }
  }
  return out;
}

function baseFor<M extends CompiledMappingLike>(config: GatewayConfig<M>, partnerId: string, key: { format: string; message: string; version?: string; direction: Direction }): string {
  const m = config.mappingFor(partnerId, key);
  const what = `${partnerId}'s ${key.format} ${key.message} ${key.direction}`;
  if (!m) return `meanwhile ${what} has no mapping`;
  return m.file.startsWith('_base/')
    ? `meanwhile ${what} uses the shared base ${m.file} (to change it for ${partnerId} only, that file extends: it and overrides what differs)`
    : `meanwhile ${what} uses ${m.file}`;
}

export function mappingNameProblems<M extends CompiledMappingLike>(input: NameCheckInput<M>): ConfigProblem[] {
  const { mappingsDir, config } = input;
  const out: ConfigProblem[] = [];
  const ids = [...input.partnerIds];
  const byLower = new Map(ids.map((id) => [id.toLowerCase(), id]));
  const compiledByKey = new Map([...config.mappings.entries()].map(([f, m]) => [pathKey(f), m]));
  const reportedFolders = new Set<string>();
  for (const file of listYaml(mappingsDir)) {
    if (input.usedByPath.has(path.resolve(file)) || input.refused.has(path.resolve(file))) continue;
    const rel = mappingName(mappingsDir, file);
    const segs = rel.split('/');
    const name = segs[segs.length - 1]!;
    const at = { file, line: 1, col: 1, severity: 'warning' as const };
    if (segs.length === 1) {
      out.push(problem({ ...at, rule: 'mapping_location', message: `${rel} is directly in mappings/: the gateway looks for mappings in mappings/<partner id>/ and mappings/_base/ only, so it is never used`, hint: `move it to mappings/<partner id>/${name}` }));
      continue;
    }
    const folder = segs[0]!;
    const partnerId = folder === '_base' ? undefined : byLower.get(folder.toLowerCase());
    if (folder !== '_base' && partnerId === undefined) {
      if (reportedFolders.has(folder)) continue;
      reportedFolders.add(folder);
      const near = nearest(folder, ids);
      out.push(problem({
        ...at, rule: 'mapping_folder_unknown',
        message: `mappings/${folder}/ matches no partner (no partners/${folder}.yaml): its mappings are never used`,
        hint: near ? `did you mean mappings/${near}/ (partners/${near}.yaml)?` : `a partner's folder is named by its id (${ids.join(', ') || 'no partners yet'})`,
      }));
      continue;
    }
    if (segs.length > 2) {
      out.push(problem({ ...at, rule: 'mapping_location', message: `${rel} is in a subfolder: the gateway looks only at mappings/${folder}/<name>, so it is never used`, hint: `move it to mappings/${folder}/${name}, or name it in the partner's mappings: / another file's extends:` }));
      continue;
    }
    const parts = parseMappingName(name);
    const partner = partnerId === undefined ? undefined : config.partner(partnerId);
    const valid = partner ? partnerNames(partner) : [];
    const lower = name.replace(/\.yml$/, '.yaml').toLowerCase();
    const suggestion = (): string | undefined => {
      if (valid.length > 0) return valid.map((v) => v.name).find((v) => v.toLowerCase() === nearest(lower, valid.map((x) => x.name.toLowerCase())));
      if (!parts) return undefined;
      const fmt = FORMATS.includes(parts.format.toLowerCase()) ? parts.format : nearest(parts.format, FORMATS);
      const dir = DIRECTIONS.includes(parts.direction as Direction) ? parts.direction : nearest(parts.direction, DIRECTIONS);
      return fmt && dir ? `${fmt}-${parts.version ? `${parts.version}-` : ''}${parts.message}.${dir}.yaml` : undefined;
    };
    const matchedBy = partner ? valid.find((v) => v.name.toLowerCase() === lower) : undefined;
    const wrong = !parts ? 'it is not <format>[-<version>]-<message>.<inbound|outbound>.yaml'
      : !DIRECTIONS.includes(parts.direction as Direction) ? `direction "${parts.direction}" is neither inbound nor outbound`
        : !FORMATS.includes(parts.format.toLowerCase()) ? `format "${parts.format}" is not one of ${FORMATS.join(', ')}`
          : partner && !matchedBy ? `it matches none of the documents partners/${partner.id}.yaml declares (${[...new Set(valid.map((v) => `${v.format} ${v.message} ${v.direction}`))].join(', ') || 'none'})`
            : undefined;
    if (wrong) {
      const near = suggestion();
      const nearParts = near ? parseMappingName(near) : undefined;
      const meanwhile = partner && nearParts ? ` ${baseFor(config, partner.id, valid.find((v) => v.name === near) ?? { format: nearParts.format, message: nearParts.message, direction: nearParts.direction as Direction })}` : '';
      out.push(problem({
        ...at, rule: 'mapping_file_name',
        message: `${rel} is never used: ${wrong}${parts ? ` (the name reads as format ${parts.format}${parts.version ? `, version ${parts.version}` : ''}, message ${parts.message}, direction ${parts.direction})` : ''}`,
        hint: `${near ? `did you mean ${near}?` : 'name it <format>[-<version>]-<message>.<inbound|outbound>.yaml'}${meanwhile}`,
      }));
      continue;
    }
    // the name is valid: it must also say what the file maps, or it is picked for another message
    const m = compiledByKey.get(pathKey(file));
    if (m && parts && (m.format.toLowerCase() !== parts.format.toLowerCase() || m.message.toLowerCase() !== parts.message.toLowerCase() || m.direction !== parts.direction)) {
      const right = `${m.format}-${parts.version ? `${parts.version}-` : ''}${m.message}.${m.direction}.yaml`;
      out.push(problem({
        ...at, rule: 'mapping_name_mismatch',
        message: `${rel} is named for ${parts.format} ${parts.message} ${parts.direction} but maps ${m.format} ${m.message} ${m.direction} (its format:/message:/direction:): it is picked by its name`,
        hint: `rename it to ${right}, or correct the header`,
      }));
    }
  }
  return out;
}
