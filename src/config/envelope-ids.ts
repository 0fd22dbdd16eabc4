/**
 * The parties an X12 or EDIFACT file's envelopes name, read from the envelope segments alone (no
 * grammar, no full parse): X12 ISA05/06 -> ISA07/08 with each group's GS02 -> GS03 (ISA is fixed
 * width: its 4th character is the element separator, its 106th the segment terminator); EDIFACT
 * UNB S002 -> S003 and UNG, with UNA's separators when present. For `edigw check`, which compares a
 * partner's profile identifiers with its fixtures', and the test that keeps the standard
 * fixtures' ids apart from the examples'.
 */

export interface X12Party { qualifier: string; id: string; gs?: string }
export interface EdifactParty { id: string; qualifier?: string }
export interface EnvelopeParties {
  x12: Array<{ sender: X12Party; receiver: X12Party }>;
  edifact: Array<{ sender: EdifactParty; receiver: EdifactParty }>;
}

export function envelopeParties(text: string): EnvelopeParties {
  const out: EnvelopeParties = { x12: [], edifact: [] };
  for (let at = text.indexOf('ISA'); at >= 0; at = text.indexOf('ISA', at + 3)) {
    const isa = text.slice(at, at + 106);
    const sep = isa[3];
    if (isa.length < 106 || sep === undefined || /[A-Za-z0-9 ]/.test(sep)) continue;
    const e = isa.split(sep);
    if (e.length !== 17) continue;
    const term = isa[105]!;
    const end = text.indexOf(`${term}IEA${sep}`, at);
    const body = text.slice(at + 106, end < 0 ? undefined : end);
    const groups = body.split(term).map((s) => s.trim()).filter((s) => s.startsWith(`GS${sep}`)).map((s) => s.split(sep));
    const party = (q: string, id: string, gs?: string): X12Party => ({ qualifier: q.trim(), id: id.trim(), ...(gs !== undefined ? { gs: gs.trim() } : {}) });
    if (groups.length === 0) out.x12.push({ sender: party(e[5]!, e[6]!), receiver: party(e[7]!, e[8]!) });
    for (const g of groups) out.x12.push({ sender: party(e[5]!, e[6]!, g[2] ?? ''), receiver: party(e[7]!, e[8]!, g[3] ?? '') });
  }
  const una = /UNA(.)(.)(.)(.)(.)(.)/.exec(text);
  const [comp, data, , release, , term] = una ? una.slice(1) : [':', '+', '.', '?', ' ', "'"];
  const segs = splitReleased(text, term!, release!);
  for (const s of segs) {
    const t = s.trim();
    if (!t.startsWith(`UNB${data}`) && !t.startsWith(`UNG${data}`)) continue;
    const el = splitReleased(t, data!, release!);
    // UNB: syntax, sender, recipient; UNG: message group id, sender, recipient
    const party = (v: string | undefined): EdifactParty => {
      const [id, qualifier] = splitReleased(v ?? '', comp!, release!);
      return { id: id ?? '', ...(qualifier ? { qualifier } : {}) };
    };
    out.edifact.push({ sender: party(el[2]), receiver: party(el[3]) });
  }
  return out;
}

function splitReleased(text: string, sep: string, release: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === release && i + 1 < text.length) { cur += text[i + 1]; i++; continue; }
    if (c === sep) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** every id the envelopes name, senders and receivers, ISA and GS, UNB and UNG */
export function envelopeIds(text: string): string[] {
  const p = envelopeParties(text);
  const ids = [
    ...p.x12.flatMap((x) => [x.sender.id, x.receiver.id, x.sender.gs ?? '', x.receiver.gs ?? '']),
    ...p.edifact.flatMap((x) => [x.sender.id, x.receiver.id]),
  ];
  return [...new Set(ids.filter((id) => id !== ''))];
}
