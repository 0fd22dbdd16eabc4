/**
 * Second source for the EDIFACT directory differential test: the BizTalk Server EDIFACT schemas
 * (github:microsoft/Integration, MIT, "BizTalk Server/Schema/EDIFACT/<dir>/EFACT_<dir>_<MSG>.xsd"),
 * reduced to what the test compares and written to test/edifact/biztalk-directories.json:
 * per directory and message, the segment table (groups numbered in table order, as UNTDID numbers
 * them) and every segment's elements (id, mandatory, class and maximum length; coded elements are
 * typed by their code list there and carry no length: written as '?'). Run by hand:
 *
 *   node --import tsx scripts/edifact-biztalk-snapshot.ts <checkout of microsoft/Integration> [D96A ...]
 *
 * The encodings are those of scripts/edifact-directories.ts.
 */
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'APERAK', 'RECADV', 'INVRPT', 'IFTSTA', 'INSDES'];
const DEFAULT_VERSIONS = ['D93A', 'D96A', 'D96B', 'D97A', 'D97B', 'D99B', 'D00A', 'D00B', 'D01B', 'D03B', 'D07A', 'D10A'];
const OUT = path.join(import.meta.dirname, '..', 'test', 'edifact', 'biztalk-directories.json');

type X = Record<string, unknown>;
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const seqOf = (el: X): X[] => arr(((el['xs:complexType'] as X | undefined)?.['xs:sequence'] as X | undefined)?.['xs:element'] as X | X[] | undefined);

function simpleOf(el: X): string {
  const notes = String((((el['xs:annotation'] as X | undefined)?.['xs:appinfo'] as X | undefined)?.['b:fieldInfo'] as X | undefined)?.['@_notes'] ?? '');
  const id = /_(\d{4})$/.exec(notes)?.[1] ?? '????';
  const req = el['@_minOccurs'] !== '0';
  const type = el['@_type'] as string | undefined;
  let fmt = '?';
  const r = (el['xs:simpleType'] as X | undefined)?.['xs:restriction'] as X | undefined;
  if (r) {
    const base = String(r['@_base']);
    const cls = base === 'EDIFACT_N' ? 'n' : base === 'EDIFACT_A' ? 'a' : 'an';
    const max = (r['xs:maxLength'] as X | undefined)?.['@_value'];
    const min = (r['xs:minLength'] as X | undefined)?.['@_value'];
    if (max !== undefined) fmt = min !== undefined && min === max && Number(min) > 1 ? `${cls}${max}` : `${cls}..${max}`;
  } else if (type && /^EDIFACT_ID_/.test(type)) fmt = '?';
  return `${id}:${fmt}${req ? ':M' : ''}`;
}

function convert(xsd: string): { table: string; segments: Record<string, string> } {
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'xs:element' }).parse(xsd) as X;
  const schema = doc['xs:schema'] as X;
  const top = new Map<string, X>();
  for (const el of arr(schema['xs:element'] as X[])) top.set(String(el['@_name']), el);
  const rootEl = [...top.values()].find((e) => /^EFACT_/.test(String(e['@_name'])))!;
  const segments: Record<string, string> = {};
  const tokens: string[] = [];
  let n = 0;
  const occ = (el: X): string => `${el['@_minOccurs'] === '0' ? 'C' : 'M'}${el['@_maxOccurs'] === 'unbounded' ? 9999999 : (el['@_maxOccurs'] ?? 1)}`;
  const segDef = (name: string, el: X): string => seqOf(el).map((c) => {
    if (c['@_ref']) {
      const comp = top.get(String(c['@_ref']))!;
      const id = String(c['@_ref']).replace(/_\d+$/, '');
      return `${id}${c['@_minOccurs'] !== '0' ? ':M' : ''}(${seqOf(comp).map(simpleOf).join('|')})`;
    }
    const inner = c['xs:complexType'] ? `${String(c['@_name'])}` : undefined;
    if (inner) throw new Error(`${name}: inline composite ${inner}`);
    return simpleOf(c);
  }).join('+');
  const walk = (uses: X[]): void => {
    for (const u of uses) {
      const name = String(u['@_ref'] ?? u['@_name']);
      if (/Loop\d+$/.test(name)) {
        tokens.push(`[${++n}:${occ(u)}`);
        walk(seqOf(top.get(name)!));
        tokens.push(']');
        continue;
      }
      const tag = name.replace(/_\d+$/, '');
      tokens.push(`${tag}:${tag === 'UNH' || tag === 'UNT' ? 'M1' : occ(u)}`);
      if (tag === 'UNH' || tag === 'UNT') continue;
      const def = u['@_ref'] ? top.get(name)! : u;
      const enc = segDef(name, def);
      if (segments[tag] !== undefined && segments[tag] !== enc) segments[`${tag}#${name}`] = enc;
      else segments[tag] = enc;
    }
  };
  walk(seqOf(rootEl));
  return { table: tokens.join(' '), segments };
}

function main(): void {
  const [repo, ...want] = process.argv.slice(2);
  if (!repo) { console.error('usage: scripts/edifact-biztalk-snapshot.ts <microsoft/Integration checkout> [versions...]'); process.exit(2); }
  const versions = want.length > 0 ? want.map((v) => v.toUpperCase()) : DEFAULT_VERSIONS;
  const out: Record<string, Record<string, { table: string; segments: Record<string, string> }>> = {};
  for (const v of versions) {
    out[v] = {};
    for (const m of MESSAGES) {
      const f = path.join(repo, 'BizTalk Server', 'Schema', 'EDIFACT', v, `EFACT_${v}_${m}.xsd`);
      if (!existsSync(f)) continue;
      out[v][m] = convert(readFileSync(f, 'utf8'));
    }
    console.log(`${v}: ${Object.keys(out[v]).join(' ')}`);
  }
  // segment definitions once per directory (the messages of a directory share them)
  const compact: Record<string, { segments: Record<string, string>; tables: Record<string, string> }> = {};
  for (const [v, msgs] of Object.entries(out)) {
    const segments: Record<string, string> = {};
    for (const { segments: s } of Object.values(msgs)) for (const [k, enc] of Object.entries(s)) if (segments[k] === undefined) segments[k] = enc; else if (segments[k] !== enc && !Object.values(segments).includes(enc)) segments[`${k}#${Object.keys(segments).filter((x) => x.startsWith(k)).length}`] = enc;
    compact[v] = { segments, tables: Object.fromEntries(Object.entries(msgs).map(([m, x]) => [m, x.table])) };
  }
  const data = { source: 'github:microsoft/Integration (MIT), BizTalk Server/Schema/EDIFACT/<dir>/EFACT_<dir>_<MSG>.xsd; generated by scripts/edifact-biztalk-snapshot.ts', dirs: compact };
  writeFileSync(OUT, `${JSON.stringify(data).replace(/","/g, '",\n"')}\n`);
  console.log(`wrote ${OUT}: ${statSync(OUT).size} bytes`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main();
