/**
 * Differences between the directories we ship (src/formats/edifact/grammars/un-directories.json,
 * from the UNTDID files) and a second transcription (test/edifact/biztalk-directories.json, from
 * the BizTalk Server EDIFACT schemas): message tables, and per segment every element's id,
 * mandatory flag, class and maximum length where the second source states them.
 */
import ours from '../../src/formats/edifact/grammars/un-directories.json' with { type: 'json' };
import theirs from './biztalk-directories.json' with { type: 'json' };

interface Ours { segments: string[]; tables: string[]; dirs: Record<string, { segments: Record<string, number>; messages: Record<string, number> }> }
interface Theirs { dirs: Record<string, { segments: Record<string, string>; tables: Record<string, string> }> }
const O = ours as Ours;
const T = theirs as Theirs;

interface Flat { pos: string; id: string; fmt: string; m: boolean }
function flatten(enc: string): Flat[] {
  const out: Flat[] = [];
  enc.split('+').forEach((el, i) => {
    const p = String(i + 1).padStart(2, '0');
    const open = el.indexOf('(');
    if (open < 0) { const [id = '', fmt = '', m] = el.split(':'); out.push({ pos: p, id, fmt, m: m === 'M' }); return; }
    const [id = '', m] = el.slice(0, open).split(':');
    out.push({ pos: p, id, fmt: '', m: m === 'M' });
    el.slice(open + 1, -1).split('|').forEach((c, j) => {
      const [cid = '', fmt = '', cm] = c.split(':');
      out.push({ pos: `${p}-${String(j + 1).padStart(2, '0')}`, id: cid, fmt, m: cm === 'M' });
    });
  });
  return out;
}

export interface DirectoryComparison {
  directory: string;
  messages: number;
  segments: number;
  /** element and component positions compared (id and M/C), and of those, lengths compared */
  positions: number;
  lengths: number;
  differences: string[];
}

function diffTables(dir: string, msg: string, a: string, b: string): string[] {
  if (a === b) return [];
  const x = a.split(' ');
  const y = b.split(' ');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return [`${dir} ${msg} table differs at token ${i + 1}: ours '${x.slice(i, i + 4).join(' ')}', BizTalk '${y.slice(i, i + 4).join(' ')}'`];
}

export function compareDirectories(): DirectoryComparison[] {
  const out: DirectoryComparison[] = [];
  for (const [dir, t] of Object.entries(T.dirs)) {
    const o = O.dirs[dir];
    if (!o) continue;
    const c: DirectoryComparison = { directory: dir, messages: 0, segments: 0, positions: 0, lengths: 0, differences: [] };
    for (const [msg, table] of Object.entries(t.tables)) {
      const mine = o.messages[msg];
      if (mine === undefined) { c.differences.push(`${dir} ${msg}: only in BizTalk`); continue; }
      c.messages++;
      c.differences.push(...diffTables(dir, msg, O.tables[mine]!, table));
    }
    for (const [key, enc] of Object.entries(t.segments)) {
      const tag = key.split('#')[0]!;
      if (tag === 'UNS') continue; // service segment, not in the directory
      const idx = o.segments[tag];
      if (idx === undefined) { c.differences.push(`${dir} ${tag}: only in BizTalk`); continue; }
      c.segments++;
      const a = flatten(O.segments[idx]!);
      const b = flatten(enc);
      const byPos = new Map(a.map((f) => [f.pos, f]));
      for (const f of b) {
        const g = byPos.get(f.pos);
        if (!g) { c.differences.push(`${dir} ${tag}${f.pos} ${f.id}: only in BizTalk`); continue; }
        c.positions++;
        if (g.id !== f.id) c.differences.push(`${dir} ${tag}${f.pos}: ours ${g.id}, BizTalk ${f.id}`);
        else if (g.m !== f.m) c.differences.push(`${dir} ${tag}${f.pos} ${f.id}: ours ${g.m ? 'M' : 'C'}, BizTalk ${f.m ? 'M' : 'C'}`);
        if (f.fmt && f.fmt !== '?') {
          c.lengths++;
          if (g.fmt !== f.fmt) c.differences.push(`${dir} ${tag}${f.pos} ${f.id}: ours ${g.fmt}, BizTalk ${f.fmt}`);
        }
      }
      for (const g of a) if (!b.some((f) => f.pos === g.pos)) c.differences.push(`${dir} ${tag}${g.pos} ${g.id}: only in ours`);
    }
    out.push(c);
  }
  return out;
}
