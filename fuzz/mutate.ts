/**
 * Mutations as fast-check arbitraries: a generated value is a seed index plus a short list of
 * operations, so every input is reproducible from (--seed, run number) and small to print.
 * Byte flips, truncation, deletion, segment duplication, delimiter swaps, long runs of one
 * character class, deep nesting and splices from another seed.
 */
import fc from 'fast-check';
import type { Dialect, Seed } from './types.ts';

export type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'dupSegment'; at: number; times: number }
  | { kind: 'swapDelimiters'; a: number; b: number; all: boolean }
  | { kind: 'longRun'; at: number; cls: number; len: number }
  | { kind: 'nest'; at: number; style: number; depth: number }
  | { kind: 'splice'; at: number; seed: number; from: number; len: number }
  | { kind: 'insert'; at: number; text: string };

export interface Mutation { seed: number; ops: Op[] }

/** the largest input a mutation makes (a long pass grew one past 512 MB and crashed the runner) */
export const MAX_INPUT_BYTES = 8 << 20;

/** characters whose long runs have made parsers quadratic (digits after a sign, spaces, releases...) */
const RUN_CLASSES = ['9', ' ', 'A', '\n', '\r\n', '\0', '\u00ff', '.', '-', 'e', '"', '\\', '?', '<', '&amp;', '\t', ',', '*', '~', "'", ':', '+', '%', '0'];

export function mutationArb(maxRun: number, maxDepth: number): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat(7) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at, byte: fc.nat(255) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('dupSegment' as const), at, times: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('swapDelimiters' as const), a: fc.nat(), b: fc.nat(), all: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('longRun' as const), at, cls: fc.nat(), len: fc.integer({ min: 1, max: Math.max(1, maxRun) }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at, style: fc.nat(), depth: fc.integer({ min: 2, max: Math.max(2, maxDepth) }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('splice' as const), at, seed: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 2048 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: fc.string({ maxLength: 16, unit: 'binary' }) }) },
  );
  return fc.record({ seed: fc.nat(), ops: fc.array(op, { minLength: 1, maxLength: 5 }) });
}

const enc = new TextEncoder();

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function repeat(unit: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(unit.length * times);
  for (let i = 0; i < times; i++) out.set(unit, i * unit.length);
  return out;
}

/** the [start, end) of the segment around `pos`: bytes after the previous segment end up to and including the next */
function segmentAround(b: Uint8Array, pos: number, ends: Uint8Array): [number, number] {
  const isEnd = (x: number) => ends.includes(x);
  let s = pos;
  while (s > 0 && !isEnd(b[s - 1]!)) s--;
  let e = pos;
  while (e < b.length && !isEnd(b[e]!)) e++;
  return [s, Math.min(b.length, e + 1)];
}

export function applyOps(seeds: readonly Seed[], m: Mutation, d: Dialect): { bytes: Uint8Array; seed: Seed } {
  const seed = seeds[m.seed % seeds.length]!;
  let b = seed.bytes;
  const ends = enc.encode(d.segmentEnds.join(''));
  for (const op of m.ops) {
    const at = b.length === 0 ? 0 : op.kind === 'swapDelimiters' ? 0 : op.at % (b.length + 1);
    switch (op.kind) {
      case 'flip': if (at < b.length) { b = new Uint8Array(b); b[at] = b[at]! ^ (1 << op.bit); } break;
      case 'set': if (at < b.length) { b = new Uint8Array(b); b[at] = op.byte; } break;
      case 'truncate': b = b.subarray(0, at); break;
      case 'delete': b = cat(b.subarray(0, at), b.subarray(at + op.len)); break;
      case 'dupSegment': {
        if (b.length === 0) break;
        const [s, e] = segmentAround(b, Math.min(at, b.length - 1), ends);
        b = cat(b.subarray(0, e), repeat(b.subarray(s, e), op.times), b.subarray(e));
        break;
      }
      case 'swapDelimiters': {
        if (d.delimiters.length < 2) break;
        const from = enc.encode(d.delimiters[op.a % d.delimiters.length]!)[0]!;
        const to = enc.encode(d.delimiters[op.b % d.delimiters.length]!)[0]!;
        b = new Uint8Array(b);
        for (let i = 0; i < b.length; i++) {
          if (b[i] === from) { b[i] = to; if (!op.all) break; } else if (op.all && b[i] === to) b[i] = from;
        }
        break;
      }
      case 'longRun': {
        const classes = [...RUN_CLASSES, ...d.delimiters];
        const unit = enc.encode(classes[op.cls % classes.length]!);
        b = cat(b.subarray(0, at), repeat(unit, Math.ceil(op.len / unit.length)), b.subarray(at));
        break;
      }
      case 'nest': {
        if (d.nesting.length === 0) break;
        const [open, close] = d.nesting[op.style % d.nesting.length]!;
        b = cat(b.subarray(0, at), repeat(enc.encode(open), op.depth), repeat(enc.encode(close), op.depth), b.subarray(at));
        break;
      }
      case 'splice': {
        const other = seeds[op.seed % seeds.length]!.bytes;
        const from = other.length === 0 ? 0 : op.from % other.length;
        b = cat(b.subarray(0, at), other.subarray(from, from + op.len), b.subarray(at));
        break;
      }
      case 'insert': b = cat(b.subarray(0, at), enc.encode(op.text), b.subarray(at)); break;
    }
    // duplications compound (40 copies of a 100 KB "segment", five times): keep inputs at a size a partner sends
    if (b.length > MAX_INPUT_BYTES) b = b.subarray(0, MAX_INPUT_BYTES);
  }
  return { bytes: b, seed };
}
