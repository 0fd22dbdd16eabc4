/**
 * Most-specific mapping first: the partner's explicit `mappings:` entry, then
 * mappings/<partner>/<format>[-<version>]-<message>.<direction>.yaml, then the shipped base for
 * the exact or nearest version (mappings/_base/<format>-<version>-<message>.<direction>.yaml;
 * X12 002000-004060 -> the nearest x12 base of that band present, 005010x -> 005010; an EDIFACT D directory -> the nearest base
 * present, e.g. D96A or D01B), then the version-less base (csv/json/xml).
 */
import path from 'node:path';
import type { MappingKey } from './types.ts';

export function normaliseVersion(format: string, version: string | undefined): string | undefined {
  if (!version) return undefined;
  const v = version.trim().toUpperCase().replace(/:/g, '');
  if (format === 'x12') return /^\d{6}/.test(v) ? v.slice(0, 6) : v;
  return v;
}

/** EDIFACT directory as an ordinal (D93A < D93B < ... < D99B < D00A ...), or undefined. */
export function edifactOrdinal(version: string): number | undefined {
  const m = /^D(\d{2})([AB])$/.exec(version);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  return year * 2 + (m[2] === 'B' ? 1 : 0);
}

/** Base versions to try after the exact one, nearest first, given the versions that exist. */
export function nearestBaseVersions(format: string, version: string, available: readonly string[]): string[] {
  if (format === 'x12') {
    // 002000..004060: the x12 bases of that band present, nearest first (002040 -> 003010 where a
    // 003010 base exists, else 004010); 005010 with any suffix -> 005010
    if (version.startsWith('005010')) return version === '005010' ? [] : ['005010'];
    const n = Number(version);
    if (!/^\d{6}$/.test(version) || n < 2000 || n > 4060) return [];
    return available
      .filter((v) => /^\d{6}$/.test(v) && Number(v) >= 2000 && Number(v) <= 4060 && v !== version)
      .sort((a, b) => Math.abs(Number(a) - n) - Math.abs(Number(b) - n) || Number(b) - Number(a));
  }
  if (format === 'edifact') {
    // any UN/EDIFACT D directory: the message is read with the nearest directory the codec ships
    // (a warning says so) and its groups are renamed to the base's numbers (formats/edifact/grammars/relabel.ts)
    const want = edifactOrdinal(version);
    if (want === undefined) return [];
    return available
      .map((v) => ({ v, o: edifactOrdinal(v) }))
      .filter((x): x is { v: string; o: number } => x.o !== undefined && x.v !== version)
      .sort((a, b) => Math.abs(a.o - want) - Math.abs(b.o - want) || a.o - b.o)
      .map((x) => x.v);
  }
  return [];
}

/** Candidate files (absolute), most specific first. `available` = versions of base files present. */
export function mappingCandidates(
  mappingsDir: string, partnerId: string | undefined, explicit: Record<string, string> | undefined,
  key: MappingKey, availableBaseVersions: readonly string[],
): string[] {
  const format = key.format.toLowerCase();
  const message = key.message;
  const version = normaliseVersion(format, key.version);
  const out: string[] = [];
  const explicitFile = explicit?.[`${format}-${message}.${key.direction}`]
    ?? Object.entries(explicit ?? {}).find(([k]) => k.toLowerCase() === `${format}-${message}.${key.direction}`.toLowerCase())?.[1];
  if (explicitFile) out.push(explicitFile);
  if (partnerId) {
    if (version) out.push(path.join(mappingsDir, partnerId, `${format}-${version}-${message}.${key.direction}.yaml`));
    out.push(path.join(mappingsDir, partnerId, `${format}-${message}.${key.direction}.yaml`));
  }
  const base = path.join(mappingsDir, '_base');
  if (version) {
    out.push(path.join(base, `${format}-${version}-${message}.${key.direction}.yaml`));
    for (const v of nearestBaseVersions(format, version, availableBaseVersions)) {
      out.push(path.join(base, `${format}-${v}-${message}.${key.direction}.yaml`));
    }
  }
  out.push(path.join(base, `${format}-${message}.${key.direction}.yaml`));
  return out;
}

/** Case-insensitive key for a mapping path (message names are written "856", "DESADV", "desadv"). */
export function pathKey(file: string): string {
  return file.replace(/\.yml$/, '.yaml').toLowerCase();
}
