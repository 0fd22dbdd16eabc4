/** Wraps compiled closures into the CompiledMapping the pipeline calls per document. */
import type { DocumentType } from '../canonical/schemas.ts';
import type { GatewayError } from '../core/errors.ts';
import type { Loop, WireNode, WireTree } from '../formats/wire.ts';
import type { Emit } from './compile-segments.ts';
import type { Env, Getter } from './env.ts';
import { prune } from './pending.ts';
import { newRunState, type RunState } from './run-state.ts';
import type { CompiledMapping, MappingOutput, RuleLocation } from './types.ts';

export interface RunnerParts {
  file: string;
  header: { format: string; message: string; version: string | undefined; direction: 'inbound' | 'outbound'; document: DocumentType };
  env: Env;
  inbound: Getter | undefined;
  outbound: Emit | Getter | undefined;
  segmentFormat: boolean;
  groupBy: Getter | undefined;
  fail(message: string, code?: string, cause?: unknown): GatewayError;
  finishTree(children: WireNode[]): number;
}

function usedSet(st: RunState, rules: RuleLocation[]): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i < st.used.length; i++) if (st.used[i] === 1) s.add((rules[i] as RuleLocation).id);
  return s;
}

/** The output with usedRules built on first read (coverage reports read it; the hot path does not). */
class LazyOutput implements MappingOutput {
  #used: Set<string> | undefined;
  readonly problems: MappingOutput['problems'];
  constructor(
    readonly value: unknown,
    private readonly st: RunState,
    private readonly ruleList: RuleLocation[],
  ) {
    this.problems = st.problems;
  }
  get usedRules(): Set<string> {
    return (this.#used ??= usedSet(this.st, this.ruleList));
  }
}

function output(value: unknown, st: RunState, rules: RuleLocation[]): MappingOutput {
  return new LazyOutput(value, st, rules);
}

async function settle(st: RunState, value: unknown): Promise<unknown> {
  if (st.pending.length === 0) return value;
  await Promise.all(st.pending);
  return prune(value) ?? (Array.isArray(value) ? [] : {});
}

export function createRunner(p: RunnerParts): Omit<CompiledMapping, 'ignore' | 'warnings'> {
  const { env, header: h } = p;
  const rules = env.rules;
  const byId = new Map<string, RuleLocation>();
  for (const r of rules) if (!byId.has(r.id)) byId.set(r.id, r);

  const mapOne = async (root: unknown): Promise<MappingOutput> => {
    const st = newRunState(root, rules.length);
    let v: unknown;
    try {
      v = (p.inbound as Getter)(root, st) ?? {};
    } catch (e) {
      throw p.fail(`mapping ${p.file} failed on this input: ${e instanceof Error ? e.message : String(e)}`, 'mapping_failed', e);
    }
    return output(st.pending.length ? await settle(st, v) : v, st, rules);
  };

  const toCanonical = async (input: WireTree | unknown): Promise<MappingOutput> => {
    if (h.direction !== 'inbound' || !p.inbound) throw p.fail(`mapping ${p.file} is outbound: use fromCanonical`);
    const root = p.segmentFormat ? ((input as WireTree | undefined)?.root ?? input) : input;
    if (!p.groupBy) return mapOne(root);
    // groupBy: rows -> one document per distinct value, in order of first appearance
    const rows = Array.isArray(root) ? root : [root];
    const groups = new Map<string, unknown[]>();
    const st0 = newRunState(root, rules.length);
    for (const row of rows) {
      const k = String(p.groupBy(row, st0) ?? '');
      const g = groups.get(k);
      if (g) g.push(row);
      else groups.set(k, [row]);
    }
    const docs: unknown[] = [];
    const problems: MappingOutput['problems'] = [];
    const used = new Set<string>();
    for (const g of groups.values()) {
      const out = await mapOne(g);
      docs.push(out.value);
      problems.push(...out.problems);
      for (const u of out.usedRules) used.add(u);
    }
    return { value: docs, problems, usedRules: used };
  };

  const fromCanonical = async (doc: unknown): Promise<MappingOutput> => {
    if (h.direction !== 'outbound' || !p.outbound) throw p.fail(`mapping ${p.file} is inbound: use toCanonical`);
    const st = newRunState(doc, rules.length);
    if (p.segmentFormat) {
      const children: WireNode[] = [];
      (p.outbound as Emit)(doc, st, children);
      if (st.pending.length) await Promise.all(st.pending);
      p.finishTree(children);
      const root: Loop = { loop: h.message, children };
      const tree: WireTree = { standard: h.format as 'x12' | 'edifact', message: h.message, version: h.version ?? '', root };
      return { value: tree, problems: st.problems, usedRules: usedSet(st, rules) };
    }
    const v = (p.outbound as Getter)(doc, st);
    const value = await settle(st, v ?? (Array.isArray(v) ? [] : {}));
    return { value, problems: st.problems, usedRules: usedSet(st, rules) };
  };

  return {
    file: p.file,
    format: h.format,
    message: h.message,
    ...(h.version !== undefined ? { version: h.version } : {}),
    direction: h.direction,
    documentType: h.document,
    toCanonical,
    fromCanonical,
    rules,
    ruleFor(pointer) {
      const parts = pointer.split('/').filter((x) => x !== '' && !/^\d+$/.test(x));
      while (parts.length > 0) {
        const r = byId.get(parts.join('.'));
        if (r) return r;
        parts.pop();
      }
      return undefined;
    },
  };
}
