/**
 * Runs one target: seeds as they are (which also warms the JIT), then fast-check-generated
 * mutations until --runs or --seconds. Every input is timed against a linear scan; untyped
 * throws, slow inputs and heap growth become findings, deduplicated by signature, and the
 * smallest input of each is written to fuzz/crashes/.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isGatewayError } from '../src/core/errors.ts';
import { applyOps, mutationArb, type Mutation } from './mutate.ts';
import { gcFunction, heapAfterGc, linearScanMs } from './measure.ts';
import { Untyped, type FuzzTarget, type Seed, type SeedSource } from './types.ts';

export interface EngineOptions {
  runs: number;
  seconds: number;
  seed: number;
  maxRun: number;
  maxDepth: number;
  /** heap growth after GC allowed between the warm start and the end of a target */
  memoryBoundMb: number;
  /** where failing inputs are written; undefined = not written (tests) */
  crashDir?: string;
  log?: (line: string) => void;
  /** a progress line this often (default 10 s) */
  progressEveryMs?: number;
  /** time spent shrinking each untyped crash (default 5 s; 0 = keep it as found) */
  minimizeMs?: number;
  /** an input this slow is a stall: saved at once, never re-timed (default 10 s) */
  stallMs?: number;
  /** the target stops after this many stalls (default 3) */
  maxStalls?: number;
}

export interface Finding {
  target: string;
  kind: 'untyped' | 'slow' | 'memory';
  signature: string;
  message: string;
  stack?: string;
  count: number;
  bytes?: Uint8Array;
  meta?: Record<string, string>;
  mutation?: Mutation;
  file?: string;
}

export interface TargetReport {
  target: string;
  seeds: number;
  inputs: number;
  findings: Finding[];
  slowest: { ms: number; bytes: number; allowedMs: number; scanMs: number };
  heapGrowthMb: number;
  wallMs: number;
  /** why the target stopped before --runs / --seconds */
  stopped?: string;
}

function firstFrame(stack: string | undefined): string {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:\/|file:)[^()]*?):(\d+):\d+\)?$/.exec(line.trim());
    if (m && !m[1]!.includes('/fuzz/')) return `${m[1]!.replace(/^.*\/(src|node_modules)\//, '$1/')}:${m[2]}`;
  }
  return '?';
}

const normalise = (s: string) => s.slice(0, 120).replace(/\d+/g, '#').replace(/"[^"]*"|'[^']*'/g, '""');

/** an untyped outcome's signature (error name, message shape, first frame outside fuzz/), or undefined when typed */
export function classify(target: FuzzTarget, error: unknown): { signature: string; message: string; stack?: string } | undefined {
  const isTyped = target.isTyped ?? isGatewayError;
  if (!(error instanceof Untyped) && isTyped(error)) return undefined;
  const e = error instanceof Untyped && error.original instanceof Error ? error.original : error;
  const name = e instanceof Error ? e.name : typeof e;
  const message = e instanceof Error ? e.message : typeof e === 'object' && e !== null ? JSON.stringify(e) ?? String(e) : String(e);
  const stack = e instanceof Error ? e.stack : undefined;
  return { signature: `untyped|${name}|${normalise(message)}|${firstFrame(stack)}`, message: `${name}: ${message}`, ...(stack ? { stack } : {}) };
}

/** the signature one input produces now (undefined when typed) */
async function signatureOf(target: FuzzTarget, bytes: Uint8Array, meta: Record<string, string>): Promise<string | undefined> {
  try { await target.run(bytes, meta); return undefined; } catch (e) { return classify(target, e)?.signature; }
}

/** delta debugging light: cut chunks (halves down to single bytes) while the same crash remains */
export async function minimize(target: FuzzTarget, bytes: Uint8Array, meta: Record<string, string>, signature: string, budgetMs: number): Promise<Uint8Array> {
  const deadline = performance.now() + budgetMs;
  let best = bytes;
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && performance.now() < deadline; chunk = chunk === 1 ? 0 : Math.max(1, chunk >> 1)) {
    for (let at = 0; at < best.length && performance.now() < deadline;) {
      const cand = new Uint8Array(best.length - Math.min(chunk, best.length - at));
      cand.set(best.subarray(0, at));
      cand.set(best.subarray(at + chunk), at);
      if ((await signatureOf(target, cand, meta)) === signature) best = cand;
      else at += chunk;
    }
  }
  return best;
}

export async function runTarget(target: FuzzTarget, src: SeedSource, opts: EngineOptions): Promise<TargetReport> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  // plain copies: a Buffer's slice() is a view, and a mutation must never write into a seed
  const seeds: Seed[] = (await target.setup(src)).map((s) => ({ ...s, bytes: new Uint8Array(s.bytes) }));
  if (seeds.length === 0) throw new Error(`target ${target.name} has no seeds`);
  const findings = new Map<string, Finding>();
  const slowest = { ms: 0, bytes: 0, allowedMs: 0, scanMs: 0 };
  let inputs = 0;

  // per signature keep the most useful input: the smallest crash, the slowest input relative to its budget
  const score = new Map<string, number>();
  const record = (f: Omit<Finding, 'count' | 'signature'> & { signature: string }, value: number) => {
    const prev = findings.get(f.signature);
    if (!prev) { findings.set(f.signature, { ...f, count: 1 }); score.set(f.signature, value); log(`  ${target.name}: ${f.kind} ${f.message.split('\n')[0]!.slice(0, 200)}`); return; }
    prev.count++;
    if (value < score.get(f.signature)!) { Object.assign(prev, { ...f, count: prev.count }); score.set(f.signature, value); }
  };

  const timed = async (bytes: Uint8Array, meta: Record<string, string>): Promise<{ ms: number; error?: unknown }> => {
    const t0 = performance.now();
    try {
      await target.run(bytes, meta);
      return { ms: performance.now() - t0 };
    } catch (error) {
      return { ms: performance.now() - t0, error };
    }
  };

  const stallMs = opts.stallMs ?? 10_000;
  const maxStalls = opts.maxStalls ?? 3;
  let stalls = 0;
  let stopped: string | undefined;
  let nextProgress = started + (opts.progressEveryMs ?? 10_000);
  const feed = async (bytes: Uint8Array, meta: Record<string, string>, mutation?: Mutation) => {
    inputs++;
    let { ms, error } = await timed(bytes, meta);
    const u = error === undefined ? undefined : classify(target, error);
    if (u) record({ target: target.name, kind: 'untyped', signature: u.signature, message: u.message, ...(u.stack ? { stack: u.stack } : {}), bytes, meta, ...(mutation ? { mutation } : {}) }, bytes.length);
    const scanMs = linearScanMs(bytes);
    const allowed = Math.max(target.floorMs, target.ratio * scanMs);
    // a GC pause or the neighbour's build can slow one run: time it twice more and keep the best
    // (not a stall of 10 x its budget: that is no noise, and each retry would cost as much again)
    for (let retry = 0; retry < 2 && ms > allowed && ms < 10 * allowed; retry++) ms = Math.min(ms, (await timed(bytes, meta)).ms);
    if (ms / allowed > slowest.ms / Math.max(slowest.allowedMs, 1e-9) || (ms > slowest.ms && slowest.ms < target.floorMs)) {
      Object.assign(slowest, { ms, bytes: bytes.length, allowedMs: allowed, scanMs });
    }
    if (ms > allowed) {
      // one slow finding per target, kept at its worst input: each is investigated by hand anyway
      const slow = { target: target.name, kind: 'slow' as const, signature: 'slow',
        message: `${ms.toFixed(0)} ms for ${bytes.length} bytes (allowed ${allowed.toFixed(0)} ms = max(${target.floorMs} ms, ${target.ratio} x scan ${scanMs.toFixed(3)} ms))`,
        bytes, meta, ...(mutation ? { mutation } : {}) };
      record(slow, -ms / allowed);
      if (ms >= stallMs) {
        // a stall: saved at once (the run may be stopped before it ends); after a few the target stops
        stalls++;
        if (opts.crashDir) log(`  ${target.name}: stall saved as ${writeCrash(opts.crashDir, { ...slow, count: 1 })}`);
        if (stalls >= maxStalls) { stopped = `stopped after ${stalls} inputs over ${(stallMs / 1000).toFixed(0)} s each`; log(`  ${target.name}: ${stopped}`); }
      }
    }
    const now = performance.now();
    if (now >= nextProgress) {
      nextProgress = now + (opts.progressEveryMs ?? 10_000);
      log(`  ${target.name}: ${inputs} inputs, ${findings.size} distinct finding(s), ${((now - started) / 1000).toFixed(0)} s`);
    }
  };

  const gc = gcFunction();
  for (let pass = 0; pass < 2; pass++) for (const s of seeds) await feed(s.bytes, s.meta ?? {});
  const heapStart = heapAfterGc(gc);

  const arb = mutationArb(opts.maxRun, opts.maxDepth);
  const deadline = started + opts.seconds * 1000;
  await fc.check(fc.asyncProperty(arb, async (m) => {
    if (stopped || performance.now() > deadline) return true;
    const { bytes, seed } = applyOps(seeds, m, target.dialect);
    await feed(bytes, seed.meta ?? {}, m);
    return true;
  }), {
    numRuns: Math.max(1, opts.runs - inputs), seed: opts.seed,
    interruptAfterTimeLimit: Math.max(1, deadline - performance.now()), markInterruptAsFailure: false,
  });

  const heapGrowthMb = (heapAfterGc(gc) - heapStart) / 2 ** 20;
  if (heapGrowthMb > opts.memoryBoundMb) {
    record({ target: target.name, kind: 'memory', signature: 'memory', message: `heap grew ${heapGrowthMb.toFixed(1)} MB after GC (bound ${opts.memoryBoundMb} MB) over ${inputs} inputs` }, 0);
  }
  const list = [...findings.values()];
  // cheap minimization: an untyped crash keeps its signature while chunks of it are cut away
  for (const f of list) if (f.kind === 'untyped' && f.bytes) f.bytes = await minimize(target, f.bytes, f.meta ?? {}, f.signature, opts.minimizeMs ?? 5000);
  target.teardown?.();
  if (opts.crashDir) for (const f of list) if (f.bytes) f.file = writeCrash(opts.crashDir, f);
  return { target: target.name, seeds: seeds.length, inputs, findings: list, slowest, heapGrowthMb, wallMs: performance.now() - started, ...(stopped ? { stopped } : {}) };
}

function writeCrash(dir: string, f: Finding): string {
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(f.bytes!).digest('hex').slice(0, 12);
  const file = path.join(dir, `${f.target}-${hash}.bin`);
  writeFileSync(file, f.bytes!);
  writeFileSync(`${file}.json`, JSON.stringify({ kind: f.kind, message: f.message, meta: f.meta ?? {}, mutation: f.mutation, stack: f.stack }, null, 2));
  return file;
}
