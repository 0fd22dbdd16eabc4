/**
 * Generates src/formats/edifact/grammars/un-directories.json from the UN/EDIFACT directory files
 * (UNTDID: EDSD/TRSD segment directory, EDMD/TRMD message structures) for the messages the gateway
 * reads: ORDERS, ORDRSP, DESADV, INVOIC, APERAK, RECADV, INVRPT, IFTSTA, INSDES. Run by hand when a
 * directory or a message is added:
 *
 *   node --import tsx scripts/edifact-directories.ts <dir with d96a.zip, d01b.zip, ...> [D96A D01B ...]
 *
 * The zips are the UNECE directory archives as published (one zip per directory, holding zips per
 * part); github:smooks/unedifact keeps them as dXXx/mapping/dXXx.zip. Needs the `unzip` command.
 * Output is compact: each distinct segment definition once (directories share them), each distinct
 * message table once; element and segment names from the newest directory that defines them.
 *
 * Segment encoding: elements joined by '+'; a simple element is `id:format[:M]` (format an..35, n3,
 * a..3), a composite `id[:M](comp|comp|...)` with components as simple elements.
 * Table encoding: space-separated tokens, `TAG:M1` / `TAG:C99` for a segment use, `[N:C99` opens
 * segment group N (its trigger follows), `]` closes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'APERAK', 'RECADV', 'INVRPT', 'IFTSTA', 'INSDES'];
const DEFAULT_VERSIONS = ['D93A', 'D96A', 'D96B', 'D97A', 'D97B', 'D99B', 'D00A', 'D00B', 'D01B', 'D03B', 'D07A', 'D10A', 'D16A', 'D18A'];
const OUT = path.join(import.meta.dirname, '..', 'src', 'formats', 'edifact', 'grammars', 'un-directories.json');

interface Simple { id: string; fmt: string; m: boolean }
interface Composite { id: string; m: boolean; comps: Simple[] }
type El = Simple | Composite;
interface SegDef { tag: string; name: string; elements: El[] }

/** unzip every archive (and the archives inside) into dir; returns all files */
function explode(zip: string, dir: string): string[] {
  execFileSync('unzip', ['-qqo', zip, '-d', dir], { stdio: ['ignore', 'ignore', 'ignore'] });
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  const out: string[] = [];
  for (const f of files) {
    if (/\.zip$/i.test(f)) {
      const sub = `${f}.d`;
      try { out.push(...explode(f, sub)); } catch { /* not a zip we can read (self-extractors) */ }
    } else out.push(f);
  }
  return out;
}

const latin1 = (f: string): string => readFileSync(f).toString('latin1');
const sentence = (s: string): string => {
  const t = s.trim().replace(/\s+/g, ' ');
  if (/[a-z]/.test(t)) return t;
  const l = t.toLowerCase();
  return l.charAt(0).toUpperCase() + l.slice(1);
};

const ELEMENT = /^\s*(?:\d{3,5}\s+)?(?:[X*+#|-]{1,3}\s*)?([CSE]\d{3}|\d{4})\s+(\S.*?)\s*$/;
const TAIL = /\s+([MC])(?:\s+(\d+))?(?:\s+((?:an|a|n)(?:\.\.)?\d+))?\s*$/;
const SEG_HEAD = /^\s*(?:[X*+#|-]{1,3}\s*)?([A-Z]{3})\s{2,}([A-Z][A-Z0-9 ,/&()'.-]*[A-Z)])\s*$/;

/** EDSD / TRSD: every segment with its elements (later definitions win over the index at the top) */
export function parseSegmentDirectory(text: string): Map<string, SegDef> {
  const segs = new Map<string, SegDef>();
  let cur: SegDef | undefined;
  let comp: Composite | undefined;
  let pending = '';
  const names = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[\u0080-\u00ff]/g, (c) => (/[\u00c4\u00cd]/.test(c) ? '-' : ' '));
    if (/^\s*$/.test(line)) { comp = undefined; pending = ''; continue; }
    if (/^\s*-{10,}\s*$/.test(line)) { cur = undefined; comp = undefined; pending = ''; continue; }
    const head = SEG_HEAD.exec(line);
    if (head && !ELEMENT.test(line)) {
      cur = { tag: head[1]!, name: sentence(head[2]!), elements: [] };
      segs.set(cur.tag, cur); // a later description of a tag replaces an earlier one
      comp = undefined;
      pending = '';
      continue;
    }
    if (!cur) continue;
    let l = line;
    if (pending) {
      // a name wrapped over two lines: the second holds the rest of the name, status and format
      if (!TAIL.test(l)) { pending += ` ${l.trim()}`; continue; }
      l = `${pending} ${l.trim()}`;
      pending = '';
    }
    const m = ELEMENT.exec(l);
    if (!m) continue;
    const id = m[1]!;
    const tail = TAIL.exec(` ${m[2]!}`);
    if (!tail) { pending = l; continue; }
    const name = ` ${m[2]!}`.slice(0, tail.index).trim();
    const req = tail[1] === 'M';
    const fmt = tail[3];
    const isComposite = /^[CSE]\d{3}$/.test(id) && !fmt;
    if (!names.has(id)) names.set(id, sentence(name));
    if (isComposite) {
      comp = { id, m: req, comps: [] };
      cur.elements.push(comp);
      continue;
    }
    if (!fmt) continue; // text line that looked like an element
    const simple: Simple = { id, fmt, m: req };
    if (comp && /[a-z]/.test(name)) comp.comps.push(simple);
    else { comp = undefined; cur.elements.push(simple); }
  }
  for (const [k, v] of segs) if (v.elements.length === 0) segs.delete(k);
  (segs as Map<string, SegDef> & { names?: Map<string, string> }).names = names;
  return segs;
}

/** EDMD / TRMD segment table -> encoded table; group numbers as printed, nesting from the drawing */
export function parseMessageTable(text: string): { table: string; tags: Set<string> } {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^4\.[23]\.[12]\s+Segment [Tt]able\s*$/.test(l));
  if (start < 0) throw new Error('no segment table');
  const out: string[] = [];
  const tags = new Set<string>();
  let depth = 0;
  const seg = /^\s*(?:\d{4,5}\s+)?(?:[X*+#|-]{1,3}\s*)?([A-Z]{3})\s+\S.*?\s([MC])\s+(\d+)(.*)$/;
  const grp = /Segment [Gg]roup\s+(\d+)\D*?\s([MC])\s+(\d+)(.*)$/;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\u00bf/g, '+').replace(/[\u00d9\u00c1]/g, '+').replace(/\u00b3/g, '|').replace(/[\u0080-\u00ff]/g, '-');
    const g = grp.exec(line);
    if (g) {
      out.push(`[${g[1]}:${g[2]}${g[3]}`);
      depth++;
      continue;
    }
    const s = seg.exec(line);
    if (!s) continue;
    out.push(`${s[1]}:${s[2]}${s[3]}`);
    tags.add(s[1]!);
    const art = s[4]!.replace(/-/g, '');
    const closes = (art.match(/\+/g) ?? []).length;
    for (let k = 0; k < closes; k++) { out.push(']'); depth--; }
    if (depth < 0) throw new Error(`unbalanced segment table at line ${i + 1}`);
    if (s[1] === 'UNT') break;
  }
  if (depth !== 0) throw new Error(`segment table ends inside ${depth} group(s)`);
  return { table: out.join(' '), tags };
}

const encSimple = (e: Simple): string => `${e.id}:${e.fmt}${e.m ? ':M' : ''}`;
const encSeg = (s: SegDef): string => s.elements.map((e) => ('comps' in e ? `${e.id}${e.m ? ':M' : ''}(${e.comps.map(encSimple).join('|')})` : encSimple(e))).join('+');

function findFile(files: string[], re: RegExp): string | undefined {
  const hits = files.filter((f) => re.test(path.basename(f)));
  return hits.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

function main(): void {
  const [src, ...want] = process.argv.slice(2);
  if (!src) { console.error('usage: scripts/edifact-directories.ts <dir with dXXx.zip> [versions...]'); process.exit(2); }
  const versions = want.length > 0 ? want.map((v) => v.toUpperCase()) : DEFAULT_VERSIONS;
  const segPool: string[] = [];
  const segIndex = new Map<string, number>();
  const tablePool: string[] = [];
  const tableIndex = new Map<string, number>();
  const names: Record<string, string> = {};
  const dirs: Record<string, { segments: Record<string, number>; messages: Record<string, number> }> = {};
  for (const v of versions) {
    const lower = v.toLowerCase();
    const zip = [path.join(src, `${lower}.zip`), path.join(src, lower, 'mapping', `${lower}.zip`)].find((p) => existsSync(p));
    if (!zip) { console.error(`${v}: no ${lower}.zip under ${src}`); process.exit(1); }
    const tmp = mkdtempSync(path.join(tmpdir(), `edifact-${lower}-`));
    try {
      const files = explode(zip, tmp);
      const yy = v.slice(1);
      const sd = findFile(files, new RegExp(`^(ED|TR)SD\\.${yy}$`, 'i'));
      if (!sd) throw new Error(`${v}: no segment directory (EDSD.${yy})`);
      const segDir = parseSegmentDirectory(latin1(sd));
      const segNames = (segDir as unknown as { names: Map<string, string> }).names;
      for (const [id, n] of segNames) names[id] = n;
      const d = { segments: {} as Record<string, number>, messages: {} as Record<string, number> };
      const used = new Set<string>();
      for (const msg of MESSAGES) {
        const md = findFile(files, new RegExp(`^${msg}_D\\.${yy}$`, 'i'));
        if (!md) { console.error(`${v}: no ${msg}`); continue; }
        const { table, tags } = parseMessageTable(latin1(md));
        for (const t of tags) used.add(t);
        let ti = tableIndex.get(table);
        if (ti === undefined) { ti = tablePool.push(table) - 1; tableIndex.set(table, ti); }
        d.messages[msg] = ti;
      }
      for (const tag of [...used].sort()) {
        if (tag === 'UNH' || tag === 'UNT' || tag === 'UNS') continue; // service segments (ISO 9735), not in the directory
        const def = segDir.get(tag);
        if (!def) throw new Error(`${v}: segment ${tag} used by a message but not in ${path.basename(sd)}`);
        names[tag] = def.name;
        const enc = encSeg(def);
        let si = segIndex.get(enc);
        if (si === undefined) { si = segPool.push(enc) - 1; segIndex.set(enc, si); }
        d.segments[tag] = si;
      }
      dirs[v] = d;
      console.log(`${v}: ${Object.keys(d.messages).join(' ')}; ${Object.keys(d.segments).length} segments from ${path.basename(sd)}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const data = {
    source: 'UN/EDIFACT directories (UNTDID, UNECE), segment directory EDSD/TRSD and message structures EDMD/TRMD; generated by scripts/edifact-directories.ts',
    directories: versions,
    segments: segPool,
    tables: tablePool,
    names: Object.fromEntries(Object.entries(names).sort(([a], [b]) => a.localeCompare(b))),
    dirs,
  };
  writeFileSync(OUT, `${JSON.stringify(data, null, 0).replace(/\],"/g, '],\n"').replace(/","/g, '",\n"')}\n`);
  console.log(`wrote ${OUT}: ${segPool.length} distinct segment definitions, ${tablePool.length} distinct message tables, ${statSync(OUT).size} bytes`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main();
