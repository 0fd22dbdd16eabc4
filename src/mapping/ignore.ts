/**
 * `ignore:` in an inbound X12/EDIFACT mapping: what the mapping drops on purpose, each entry a path
 * in the unmapped report's notation (src/pipeline/inbound/unmapped.ts) with its reason. The notation:
 *
 *   X12      REF[01=DP]/02   PO1/08~CB   TD5/03   N1[01=SF]/N3   PID[01=F|X]   PO1/PO4
 *   EDIFACT  DTM+137/C507/2379   NAD+BY/C082/3055   PIA+5/03/01   LIN/IMD   FTX+AAI|ZZZ
 *
 * A step is a segment tag, qualified (X12 `[01=code]`, HL `[03=code]`; EDIFACT `+code`, the first
 * component of the first element) when the report qualifies that tag, unqualified otherwise; two
 * steps name a segment inside the loop/group of the first (`N1[01=SF]/N3`). Then the element
 * (X12 position `02`, a qualifier pair `08~CB`; EDIFACT position or id `C507`, `3055`) and its
 * component. An entry without an element drops the whole segment, and with it the rest of the loop
 * it starts; an entry without a qualifier matches every qualifier; one without a context, every loop.
 */
import type { GrammarIndex } from './wire-grammar.ts';
import { nearest } from './canonical-fields.ts';
import type { LVal } from './located.ts';
import { scalarText } from './located.ts';
import type { MappingProblem } from './types.ts';

export type SegmentStandard = 'x12' | 'edifact';

/** X12 segments the report names by a qualifier, and which element (0-based) qualifies them */
const X12_QUALIFIED: Record<string, number> = Object.fromEntries([
  ...['REF', 'DTM', 'N1', 'PER', 'CUR', 'AMT', 'ITD', 'N9', 'MEA', 'SAC', 'TXI', 'QTY', 'MAN', 'PID', 'PKG', 'SI', 'G61', 'G62', 'NTE', 'PAM', 'LQ', 'PWK'].map((t) => [t, 0]),
  ['HL', 2],
]);
/** EDIFACT segments qualified by the first component of their first element (COM: by C076's 3155) */
const EDIFACT_QUALIFIED = new Set(['DTM', 'NAD', 'RFF', 'QTY', 'MOA', 'PIA', 'FTX', 'PRI', 'CUX', 'TAX', 'ALC', 'LOC', 'CTA', 'COM', 'CNT', 'MEA', 'GIN', 'PCI', 'TOD', 'TDT', 'PAT', 'FII', 'DOC', 'SCC', 'PCD', 'GIR', 'EQD', 'ATT', 'GIS', 'ALI', 'RNG', 'HAN', 'STS']);

/** where a segment's qualifier is: element and component (0-based; component 0 of a simple element is the element) */
export function qualifierAt(standard: SegmentStandard, tag: string): { elem: number; comp: number } | undefined {
  if (standard === 'x12') {
    const e = X12_QUALIFIED[tag];
    return e === undefined ? undefined : { elem: e, comp: 0 };
  }
  if (!EDIFACT_QUALIFIED.has(tag)) return undefined;
  return tag === 'COM' ? { elem: 0, comp: 1 } : { elem: 0, comp: 0 };
}

/** segments the readers consume (envelope, hierarchy, sections): never reported */
export function isStructural(standard: SegmentStandard, tag: string): boolean {
  return standard === 'x12' ? tag === 'ST' || tag === 'SE' || tag === 'HL' || tag === 'LS' || tag === 'LE' : tag === 'UNH' || tag === 'UNT' || tag === 'UNS';
}

export interface NotationStep { tag: string; codes?: string[] }
export interface NotationElem {
  /** 0-based element index (for a qualifier pair: the qualifier's) */
  index: number;
  /** 0-based component index */
  comp?: number;
  /** X12 qualifier pair: the qualifier code (PO1/08~CB) */
  pair?: string;
}
export interface NotationPath { ctx?: NotationStep; seg: NotationStep; elem?: NotationElem }

/** one element (or component) of a segment instance, as the report keys it */
export interface NotationKey {
  ctx?: { tag: string; code?: string };
  seg: { tag: string; code?: string };
  /** undefined: the whole segment */
  elem?: { index: number; comp?: number; pair?: { at: number; code: string } };
}

export interface IgnoreEntry {
  path: string;
  reason: string;
  file: string;
  line: number;
  col: number;
  parsed: NotationPath;
}

const stepOk = (e: NotationStep, r: { tag: string; code?: string } | undefined): boolean =>
  r !== undefined && e.tag === r.tag && (!e.codes || (r.code !== undefined && e.codes.includes(r.code)));

/** whether an ignore entry covers this element of the report */
export function ignoreCovers(e: NotationPath, k: NotationKey): boolean {
  if (!e.elem && !e.ctx && stepOk(e.seg, k.ctx)) return true; // a dropped loop trigger drops its loop
  if (!stepOk(e.seg, k.seg)) return false;
  if (e.ctx && !stepOk(e.ctx, k.ctx)) return false;
  if (!e.elem) return true;
  const r = k.elem;
  if (!r) return false;
  if (e.elem.pair !== undefined) {
    // a qualifier pair matches wherever the partner put it (PO106/07, PO108/09, ...)
    if (!r.pair || r.pair.code !== e.elem.pair) return false;
  } else if (r.index !== e.elem.index && r.pair?.at !== e.elem.index) return false;
  return e.elem.comp === undefined || e.elem.comp === r.comp;
}

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
const CODES = /^[A-Z0-9][A-Z0-9 ._-]{0,16}(\|[A-Z0-9][A-Z0-9 ._-]{0,16})*$/;
const EXAMPLES: Record<SegmentStandard, string> = {
  x12: 'e.g. REF[01=DP]/02, PO1/08~CB, TD5/03, N1[01=SF]/N3, or a whole segment PKG',
  edifact: 'e.g. DTM+137/C507/2379, NAD+BY/C082/3055, PIA+5/03/01, LIN/IMD, or a whole segment FTX+ZZZ',
};

interface ParseError { message: string; hint?: string }

function parseStep(tok: string, std: SegmentStandard, gi: GrammarIndex | undefined): NotationStep | ParseError {
  const x = /^([A-Z][A-Z0-9]{1,2})\[(\d\d)=([^\]]+)\]$/.exec(tok);
  const e = /^([A-Z][A-Z0-9]{1,2})\+(.+)$/.exec(tok);
  const tag = x?.[1] ?? e?.[1] ?? tok;
  if (!TAG.test(tag)) return { message: `"${tok}" is not a segment tag` };
  if (gi && !gi.grammar.segments[tag]) {
    const near = nearest(tag, Object.keys(gi.grammar.segments));
    return { message: `segment ${tag} is not in the grammar of ${gi.label}`, hint: near ? `did you mean ${near}?` : `check the segment tag against the ${gi.label} grammar` };
  }
  const q = qualifierAt(std, tag);
  const codesText = x?.[3] ?? e?.[2];
  if (codesText === undefined) return { tag };
  if (!CODES.test(codesText)) return { message: `"${codesText}" in ${tok} is not a code (or codes separated by |)` };
  const codes = codesText.split('|');
  if (!q) {
    return { message: `${tag} is reported without a qualifier, so ${tok} would never match`, hint: `write ${tag} (every ${tag}) or name its element, e.g. ${tag}/${std === 'x12' ? '03' : '01'}` };
  }
  if (std === 'x12') {
    if (e) return { message: `${tok}: X12 qualifiers are written ${tag}[${pos(q.elem)}=${codesText}]`, hint: `write ${tag}[${pos(q.elem)}=${codesText}]` };
    if (Number(x![2]) - 1 !== q.elem) return { message: `${tag} is reported qualified by element ${pos(q.elem)}, not ${x![2]}`, hint: `write ${tag}[${pos(q.elem)}=${codesText}]` };
  } else if (x) {
    return { message: `${tok}: EDIFACT qualifiers are written ${tag}+${x[3]}`, hint: `write ${tag}+${x[3]} (the first component of the first element)` };
  }
  return { tag, codes };
}

const pos = (i: number): string => String(i + 1).padStart(2, '0');

/** An element or component token: a position (01..99) or, EDIFACT, an id (C507, 2379) resolved with the grammar. */
function resolveToken(tok: string, defs: Array<{ id: string }> | undefined, what: string, where: string, gi: GrammarIndex | undefined, std: SegmentStandard): number | ParseError {
  if (/^\d\d$/.test(tok)) {
    const i = Number(tok) - 1;
    if (i < 0) return { message: `${what} 00 does not exist: positions start at 01` };
    if (defs && defs.length > 0 && i >= defs.length) return { message: `${what} ${tok} is past the last ${what} of ${where} (${where} has ${defs.length} in ${gi?.label ?? ''})`, hint: `use 01..${pos(defs.length - 1)}` };
    return i;
  }
  if (std === 'edifact' && /^(?:[A-Z]\d{3}|\d{4})$/.test(tok)) {
    if (!gi || !defs) return { message: `${what} id ${tok} needs the message grammar, which is not available`, hint: 'use a position (01..99)' };
    const i = defs.findIndex((d) => d.id === tok);
    if (i < 0) return { message: `${where} has no ${what} ${tok} in ${gi.label}`, hint: defs.length ? `${where} has ${defs.map((d) => d.id).join(', ')}` : 'use a position (01..99)' };
    return i;
  }
  return { message: `"${tok}" is not a${what === 'element' ? 'n' : ''} ${what} position (01..99)${std === 'edifact' ? ' or id (C507, 2379)' : ''}` };
}

/** Parses (and with a grammar, checks) one path of the report's notation. */
export function parseNotation(text: string, std: SegmentStandard, gi: GrammarIndex | undefined): NotationPath | ParseError {
  const toks = text.trim().split('/');
  if (toks.some((t) => t === '')) return { message: `"${text}" has an empty step`, hint: EXAMPLES[std] };
  const steps: NotationStep[] = [];
  let i = 0;
  for (; i < toks.length && steps.length < 2; i++) {
    const t = toks[i]!;
    if (/^\d/.test(t)) break;
    if (std === 'edifact' && /^[A-Z]\d{3}$/.test(t)) break; // a composite id (C507)
    const s = parseStep(t, std, gi);
    if ('message' in s) return { ...s, hint: s.hint ?? EXAMPLES[std] };
    steps.push(s);
  }
  if (steps.length === 0) return { message: `"${text}" does not start with a segment tag`, hint: EXAMPLES[std] };
  const seg = steps[steps.length - 1]!;
  const ctx = steps.length === 2 ? steps[0] : undefined;
  const rest = toks.slice(i);
  if (rest.length === 0) return { ...(ctx ? { ctx } : {}), seg };
  if (rest.length > 2) return { message: `"${text}" has more steps than segment/element/component`, hint: EXAMPLES[std] };
  const def = gi?.grammar.segments[seg.tag];
  let elemTok = rest[0]!;
  let pair: string | undefined;
  if (std === 'x12') {
    const m = /^(\d\d)~([A-Z0-9]{1,3})$/.exec(elemTok);
    if (m) { elemTok = m[1]!; pair = m[2]; }
  }
  const index = resolveToken(elemTok, def?.elements, 'element', seg.tag, gi, std);
  if (typeof index !== 'number') return { ...index, hint: index.hint ?? EXAMPLES[std] };
  let comp: number | undefined;
  if (rest[1] !== undefined) {
    const ed = def?.elements[index];
    if (ed && !ed.components) return { message: `element ${elemTok} of ${seg.tag} is not a composite, so it has no component ${rest[1]}`, hint: `drop /${rest[1]}` };
    const c = resolveToken(rest[1], ed?.components, 'component', `${seg.tag}/${elemTok}`, gi, std);
    if (typeof c !== 'number') return { ...c, hint: c.hint ?? EXAMPLES[std] };
    comp = c;
  }
  return { ...(ctx ? { ctx } : {}), seg, elem: { index, ...(comp !== undefined ? { comp } : {}), ...(pair ? { pair } : {}) } };
}

const ENTRY_KEYS = ['path', 'reason'];

/**
 * Compiles the `ignore:` list: every entry a map with `path:` (the report's notation) and a
 * non-empty `reason:`; problems located at the entry (ignore_invalid, ignore_reason_missing...).
 */
export function compileIgnore(v: LVal | undefined, h: { format: string; direction: string }, gi: GrammarIndex | undefined, problems: MappingProblem[]): IgnoreEntry[] {
  if (!v || (v.kind === 'scalar' && v.value === null)) return [];
  const std: SegmentStandard | undefined = h.format === 'x12' || h.format === 'edifact' ? h.format : undefined;
  if (!std || h.direction !== 'inbound') {
    problems.push({ ...v.loc, rule: 'ignore_not_applicable', message: 'ignore: applies to inbound x12 and edifact mappings (the unmapped report reads those)', hint: 'remove ignore: from this file' });
    return [];
  }
  if (v.kind !== 'seq') {
    problems.push({ ...v.loc, rule: 'ignore_invalid', message: 'ignore: is a list of { path:, reason: } entries', hint: `- { path: "${std === 'x12' ? 'REF[01=DP]/02' : 'DTM+137/C507/2379'}", reason: "why it is dropped" }` });
    return [];
  }
  const out: IgnoreEntry[] = [];
  const seen = new Map<string, string>();
  for (const item of v.items) {
    if (item.kind !== 'map') {
      problems.push({ ...item.loc, rule: 'ignore_invalid', message: `an ignore: entry is a map with path: and reason:${item.kind === 'scalar' ? ` ("${item.text}" has no reason)` : ''}`, hint: `- { path: "${scalarText(item) ?? 'REF[01=DP]/02'}", reason: "why it is dropped" }` });
      continue;
    }
    for (const [k, kv] of item.entries) {
      if (!ENTRY_KEYS.includes(k)) problems.push({ ...(item.keyLocs.get(k) ?? kv.loc), rule: 'unknown_key', message: `"${k}" is not a key of an ignore: entry`, hint: nearest(k, ENTRY_KEYS) ? `did you mean "${nearest(k, ENTRY_KEYS)}"?` : 'keys: path, reason' });
    }
    const pathV = item.entries.get('path');
    const path = scalarText(pathV);
    const reason = scalarText(item.entries.get('reason'))?.trim();
    if (!path) {
      problems.push({ ...item.loc, rule: 'missing_key', message: 'an ignore: entry needs path:', hint: EXAMPLES[std] });
      continue;
    }
    if (!reason) {
      problems.push({ ...item.loc, rule: 'ignore_reason_missing', message: `ignore: ${path} has no reason: every dropped element says why`, hint: `- { path: "${path}", reason: "the canonical document has no field for it" }` });
    }
    const parsed = parseNotation(path, std, gi);
    if ('message' in parsed) {
      problems.push({ ...(pathV?.loc ?? item.loc), rule: 'ignore_invalid', message: `ignore: ${parsed.message}`, ...(parsed.hint ? { hint: parsed.hint } : {}) });
      continue;
    }
    const prev = seen.get(path);
    if (prev !== undefined) problems.push({ ...(pathV?.loc ?? item.loc), rule: 'ignore_duplicate', message: `ignore: ${path} is listed twice (first at ${prev})`, hint: 'keep one entry' });
    { const l = pathV?.loc ?? item.loc; seen.set(path, `${l.file}:${l.line}`); }
    if (reason) out.push({ path, reason, ...(pathV?.loc ?? item.loc), parsed });
  }
  return out;
}
