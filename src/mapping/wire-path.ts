/**
 * Parsing of segment paths (X12 / EDIFACT): `BEG/03`, `N1[01=BY]/04`, `CUR[01=BY|SE]/02`,
 * `**\/REF[01=IA]/02`, `PO1/06~BP` (qualifier pair), `NAD[3035=ST]/C080/3036` (EDIFACT ids),
 * `../MAN[01=GM]/02` (from the loop that holds the current one: an 856 item's pack).
 */

/** An element or component reference: a 2-digit position ('03') or a grammar id ('3036', 'C080'). */
export interface ElemRef {
  raw: string;
  /** 0-based index; -1 until resolved from a grammar id */
  index: number;
}

export interface WirePred {
  elem: ElemRef;
  comp?: ElemRef;
  values: string[];
  negate: boolean;
}

export interface WireStep {
  /** segment tag or loop id; '**' = any depth */
  name: string;
  preds: WirePred[];
}

export interface WirePath {
  text: string;
  /** leading '/': from the root of the message instead of the current context */
  absolute: boolean;
  /** leading '../' steps: start from the loop that holds the current context, this many levels up */
  up?: number;
  steps: WireStep[];
  elem?: ElemRef;
  comp?: ElemRef;
  /** `~BP`: scan elem, elem+2, ... for this qualifier and take the element after it */
  qualifier?: string;
}

const POSITION = /^\d{2}$/;
const ELEMENT_ID = /^(\d{2,4}|[A-Z]\d{3})$/;
const STEP = /^([A-Za-z][A-Za-z0-9]{0,7}|\*\*)((?:\[[^\]]*\])*)$/;

export function elemRef(raw: string): ElemRef {
  return { raw, index: POSITION.test(raw) ? Number(raw) - 1 : -1 };
}

/** Splits on '/' outside brackets. */
export function splitPath(text: string, sep = '/'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parsePred(body: string): WirePred | string {
  const m = /^([A-Za-z0-9]+)(?:\/([A-Za-z0-9]+))?\s*(!?=)\s*(.*)$/.exec(body);
  if (!m) return `predicate [${body}] must look like [01=BY] or [01=BY|ST]`;
  const [, e, c, op, vals] = m;
  if (!ELEMENT_ID.test(e ?? '') || (c !== undefined && !ELEMENT_ID.test(c))) {
    return `predicate [${body}] must test an element position (01..99) or element id`;
  }
  return {
    elem: elemRef(e ?? ''),
    ...(c !== undefined ? { comp: elemRef(c) } : {}),
    values: (vals ?? '').split('|'),
    negate: op === '!=',
  };
}

/** Parses a segment path; returns an error sentence on bad syntax. */
export function parseWirePath(text: string): WirePath | string {
  const t = text.trim();
  if (t === '') return 'the path is empty';
  let depth = 0;
  for (const ch of t) {
    depth += ch === '[' ? 1 : ch === ']' ? -1 : 0;
    if (depth < 0 || depth > 1) return `brackets do not match in "${text}"`;
  }
  if (depth !== 0) return `'[' is not closed in "${text}"`;
  const absolute = t.startsWith('/');
  const parts = splitPath(absolute ? t.slice(1) : t);
  let up = 0;
  while (parts[0] === '..') { parts.shift(); up++; }
  if (absolute && up > 0) return `"${text}" cannot start at the root and go up ('..')`;
  if (parts.includes('..')) return `'..' may only start a path, as in ../MAN[01=GM]/02`;
  if (parts.some((x) => x === '')) return `empty step in "${text}"`;
  let qualifier: string | undefined;
  const last = parts[parts.length - 1] ?? '';
  const tilde = last.indexOf('~');
  if (tilde >= 0) {
    qualifier = last.slice(tilde + 1);
    parts[parts.length - 1] = last.slice(0, tilde);
    if (qualifier === '') return `qualifier after '~' is empty in "${text}"`;
  }
  const refs: string[] = [];
  while (parts.length > 0 && refs.length < 2 && ELEMENT_ID.test(parts[parts.length - 1] ?? '')) {
    refs.unshift(parts.pop() ?? '');
  }
  if (qualifier !== undefined && refs.length === 0) return `'~${qualifier}' must follow an element position, e.g. PO1/06~${qualifier}`;
  const steps: WireStep[] = [];
  for (const p of parts) {
    const m = STEP.exec(p);
    if (!m) {
      if (p === '') return `empty step in "${text}"`;
      return `"${p}" is not a segment tag, loop id or element position (01..99)`;
    }
    const preds: WirePred[] = [];
    for (const b of (m[2] ?? '').match(/\[[^\]]*\]/g) ?? []) {
      const pr = parsePred(b.slice(1, -1));
      if (typeof pr === 'string') return pr;
      preds.push(pr);
    }
    if (m[1] === '**' && preds.length > 0) return `'**' cannot have predicates`;
    steps.push({ name: m[1] ?? '', preds });
  }
  if (steps.length > 0 && steps[steps.length - 1]?.name === '**') return `'**' must be followed by a segment tag or loop id`;
  return {
    text,
    absolute,
    ...(up > 0 ? { up } : {}),
    steps,
    ...(refs[0] !== undefined ? { elem: elemRef(refs[0]) } : {}),
    ...(refs[1] !== undefined ? { comp: elemRef(refs[1]) } : {}),
    ...(qualifier !== undefined ? { qualifier } : {}),
  };
}
