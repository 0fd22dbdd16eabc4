/**
 * Compares what a command printed with what the doc shows. Generated values differ per run, so:
 *  - an id (msg_…, exc_…, doc_…, job_… with hex digits) in the doc stands for the id the run produced
 *    at that place; once bound, the same doc id must be the same real id everywhere after (and is
 *    substituted into later commands);
 *  - an ISO-8601 UTC timestamp in the doc stands for any timestamp;
 *  - JSON blocks compare as JSON (key order and layout free); `partial` compares only the keys shown;
 *  - text blocks compare line by line: "…" inside a line is any text, a line of only "…" is any
 *    number of lines, and runs of spaces are any run of spaces (table columns depend on the project).
 */
const ID = /\b(?:msg|exc|doc|job)_[0-9a-f]{20,}\b/g;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z/g;

export interface IdBindings {
  bind(docId: string, realId: string): string | undefined;
  substitute(text: string): string;
}

export function createIdBindings(): IdBindings {
  const byDoc = new Map<string, string>();
  const byReal = new Map<string, string>();
  return {
    bind(docId, realId) {
      const had = byDoc.get(docId);
      if (had !== undefined) return had === realId ? undefined : `${docId} stands for ${had} earlier, but here the output has ${realId}`;
      const other = byReal.get(realId);
      if (other !== undefined) return `${realId} already stands for ${other} in the doc, not ${docId}`;
      byDoc.set(docId, realId);
      byReal.set(realId, docId);
      return undefined;
    },
    substitute: (text) => text.replace(ID, (id) => byDoc.get(id) ?? id),
  };
}

/** Returns the differences (empty when the output matches). */
export function compareJson(expected: unknown, actual: unknown, partial: boolean, ids: IdBindings, at = ''): string[] {
  if (typeof expected === 'string') {
    if (typeof actual === 'string' && expected !== actual && (new RegExp(ID.source).test(expected) || new RegExp(ISO.source).test(expected))) {
      const { re, docIds } = linePattern(expected, ids, false);
      const m = re.exec(actual);
      if (m) {
        const problems = docIds.flatMap((d, i) => ids.bind(d, m[i + 1]!) ?? []);
        return problems.map((p) => `${at}: ${p}`);
      }
    }
    if (expected === actual) return [];
    const real = ids.substitute(expected);
    const shown = real === expected ? JSON.stringify(expected) : `${JSON.stringify(real)} (the doc's ${JSON.stringify(expected)})`;
    return [`${at || '/'}: expected ${shown}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at || '/'}: expected an array, got ${JSON.stringify(actual)}`];
    if (expected.length !== actual.length) return [`${at || '/'}: expected ${expected.length} item(s), got ${actual.length}: ${JSON.stringify(actual)}`];
    return expected.flatMap((e, i) => compareJson(e, actual[i], partial, ids, `${at}/${i}`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at || '/'}: expected an object, got ${JSON.stringify(actual)}`];
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const out: string[] = [];
    if (!partial) for (const k of Object.keys(a)) if (!(k in e)) out.push(`${at}/${k}: not in the doc, but the output has ${JSON.stringify(a[k])}`);
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${at}/${k}: in the doc, missing from the output`);
      else out.push(...compareJson(e[k], a[k], partial, ids, `${at}/${k}`));
    }
    return out;
  }
  return Object.is(expected, actual) ? [] : [`${at || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One doc line as a regex; ids become capture groups (or the bound real id). */
function linePattern(line: string, ids: IdBindings, wildcards = true): { re: RegExp; docIds: string[] } {
  const docIds: string[] = [];
  const token = new RegExp(`${ID.source}|${ISO.source}${wildcards ? '|…| +' : ''}`, 'g');
  let re = '';
  let last = 0;
  for (const m of line.matchAll(token)) {
    re += escapeRegExp(line.slice(last, m.index));
    const t = m[0];
    if (t === '…') re += '.*?';
    else if (t.startsWith(' ')) re += ' +';
    else if (new RegExp(`^${ISO.source}$`).test(t)) re += ISO.source;
    else {
      const bound = ids.substitute(t);
      if (bound !== t) re += escapeRegExp(bound);
      else { docIds.push(t); re += `(${ID.source})`; }
    }
    last = m.index + t.length;
  }
  re += escapeRegExp(line.slice(last));
  return { re: new RegExp(`^${re}$`), docIds };
}

/** Text output against the doc's lines; returns the differences (empty when it matches). */
export function compareText(expected: string, actual: string, ids: IdBindings): string[] {
  const want = expected.split('\n').map((l) => l.trimEnd());
  const got = actual.replace(/\n$/, '').split('\n').map((l) => l.trimEnd());
  const tryMatch = (w: number, g: number, binds: Array<[string, string]>): Array<[string, string]> | undefined => {
    if (w === want.length) return g === got.length ? binds : undefined;
    if (want[w] === '…') {
      for (let k = g; k <= got.length; k++) {
        const r = tryMatch(w + 1, k, binds);
        if (r) return r;
      }
      return undefined;
    }
    if (g >= got.length) return undefined;
    const { re, docIds } = linePattern(want[w]!, ids);
    const m = re.exec(got[g]!);
    if (!m) return undefined;
    const merged = new Map(binds);
    for (const [i, d] of docIds.entries()) {
      const real = m[i + 1]!;
      if ((merged.get(d) ?? real) !== real) return undefined;
      merged.set(d, real);
    }
    return tryMatch(w + 1, g + 1, [...merged]);
  };
  const binds = tryMatch(0, 0, []);
  if (!binds) return [`output does not match the doc.\n--- doc\n${expected}\n--- output\n${actual}`];
  return binds.flatMap(([d, r]) => ids.bind(d, r) ?? []);
}
