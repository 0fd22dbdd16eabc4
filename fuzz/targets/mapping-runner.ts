/**
 * Mapping runner: the compiled mappings (base and partner, from the repository's configuration)
 * over wire trees the readers build from mutated bytes, including trees of units the pipeline
 * would refuse, then mutated again as trees (leaves replaced by hostile values, nodes dropped
 * or duplicated, arrays and objects swapped), deterministically from a hash of the bytes.
 */
import { createHash } from 'node:crypto';
import type { FuzzTarget } from '../types.ts';
import { Untyped } from '../types.ts';
import { isTypedError } from './common.ts';
import { repoDeps } from './repo-config.ts';
import { translationSeeds } from './translate.ts';
import { detectFormat } from '../../src/pipeline/inbound/detect-format.ts';
import type { TranslationUnit } from '../../src/pipeline/inbound/units.ts';

let root = '';
const HOSTILE_TEXT = ['', ' ', '-', '.', '1e309', '-0', 'NaN', '0x1F', '1,5', '9'.repeat(400), '__proto__', 'constructor', '20261399', '00000000', '\u221e', '\u0000'];
const HOSTILE_ANY: unknown[] = [...HOSTILE_TEXT, 0, -1, null, true, [], {}];

/** a small deterministic generator from the input's hash, so a crash file replays exactly */
function rng(bytes: Uint8Array): () => number {
  const h = createHash('sha256').update(bytes).digest();
  let s = h.readUInt32LE(0) || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 2 ** 32; };
}

/** own fields plus prototype getters: a reader's segment keeps its elements behind a lazy getter */
function entriesOf(node: object): Array<[string, unknown]> {
  const out = Object.entries(node);
  const proto = Object.getPrototypeOf(node) as object | null;
  if (proto && proto !== Object.prototype) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (d.get) out.push([k, (node as Record<string, unknown>)[k]]);
  }
  return out;
}

/**
 * Tree mutations. A wire tree (X12/EDIFACT) keeps the shape the grammar gives it (a loop always
 * starts with its trigger segment): only element text changes, and elements or components go
 * missing or repeat.
 * An object tree (JSON, XML, CSV rows) is the partner's own shape, so anything goes there.
 */
function mutateTree(node: unknown, r: () => number, free: boolean, depth = 0, key = '', inElements = false): unknown {
  if (depth > 40) return node;
  if (Array.isArray(node)) {
    const within = inElements || key === 'elements';
    const out = node.map((c) => mutateTree(c, r, free, depth + 1, '', within));
    const splice = free || within;
    if (!splice) return out;
    if (out.length > 0 && r() < 0.05) out.splice(Math.floor(r() * out.length), 1);
    if (out.length > 0 && r() < 0.05) { const i = Math.floor(r() * out.length); out.splice(i, 0, out[i]); }
    return free && r() < 0.01 ? Object.fromEntries(out.map((v, i) => [String(i), v])) : out;
  }
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entriesOf(node)) if (!free || r() >= 0.02) out[k] = mutateTree(v, r, free, depth + 1, k, inElements);
    return free && r() < 0.01 ? Object.values(out) : out;
  }
  if (free) return r() < 0.08 ? HOSTILE_ANY[Math.floor(r() * HOSTILE_ANY.length)] : node;
  return inElements && typeof node === 'string' && r() < 0.08 ? HOSTILE_TEXT[Math.floor(r() * HOSTILE_TEXT.length)] : node;
}

export const target: FuzzTarget = {
  name: 'mapping-runner',
  description: 'compiled mappings (src/mapping runner via config.mappingFor) over reader-built, then tree-mutated, wire trees',
  dialect: { delimiters: ['*', '~', '+', ':', "'", ';', ',', '<', '>', '"'], segmentEnds: ['~', "'", '\n', '>'], nesting: [['HL*1**S~', ''], ['<a>', '</a>'], ['[', ']']] },
  ratio: 20000,
  floorMs: 200,
  isTyped: isTypedError,
  async setup(src) {
    root = src.repoRoot;
    repoDeps(root);
    return translationSeeds(src.repoRoot, src.files);
  },
  async run(bytes, meta) {
    const deps = repoDeps(root);
    const format = detectFormat(bytes, meta.contentType ?? (meta.message ? 'text/csv' : ''));
    const reader = format ? deps.readers[format] : undefined;
    if (!format || !reader) return;
    const partner = meta.partnerId ? deps.config.partner(meta.partnerId) : undefined;
    const split = await reader.split(bytes, { ...(meta.partnerId ? { partnerId: meta.partnerId } : {}), formatOptions: partner?.formats?.[format], metadata: meta.message ? { message: meta.message } : {} });
    const r = rng(bytes);
    for (const unit of split.units as Iterable<TranslationUnit>) {
      const key = { format: unit.format, message: unit.message, version: unit.version, direction: 'inbound' as const };
      const mapping = deps.config.mappingFor(meta.partnerId, key) ?? deps.config.mappingFor(undefined, key);
      if (!mapping) continue;
      for (const input of [unit.input, mutateTree(unit.input, r, unit.format !== 'x12' && unit.format !== 'edifact')]) {
        const out = await mapping.toCanonical(input);
        for (const p of out.problems) if (/\b(TypeError|RangeError|Cannot read properties|is not a function|is not iterable)\b/.test(p.message)) throw new Untyped(`problem: ${p.message}`);
      }
    }
  },
};
