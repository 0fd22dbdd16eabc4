/**
 * The UN/EDIFACT directories we ship, decoded from un-directories.json (generated from the UNTDID
 * segment directories and message structures by scripts/edifact-directories.ts): per directory,
 * the segment definitions (element ids, class, lengths, mandatory flags) and the message tables
 * (segment groups with the directory's own numbers) of ORDERS, ORDRSP, DESADV, INVOIC, APERAK,
 * RECADV, INVRPT, IFTSTA, INSDES.
 * Segment definitions identical across directories are one object.
 */
import type { ElementDef, LoopUse, MessageGrammar, SegmentDef, SegmentUse } from '../../grammar.ts';
import data from './un-directories.json' with { type: 'json' };
import { SERVICE_SEGMENTS } from './service-segments.ts';

interface DirectoryData {
  directories: string[];
  segments: string[];
  tables: string[];
  names: Record<string, string>;
  dirs: Record<string, { segments: Record<string, number>; messages: Record<string, number> }>;
}
const DATA = data as DirectoryData;

/** directories shipped, oldest first */
export const SHIPPED_DIRECTORIES: readonly string[] = DATA.directories;

export const MESSAGE_NAMES: Record<string, string> = {
  ORDERS: 'Purchase order message', ORDRSP: 'Purchase order response message', DESADV: 'Despatch advice message',
  INVOIC: 'Invoice message', APERAK: 'Application error and acknowledgement message',
  RECADV: 'Receiving advice message', INVRPT: 'Inventory report message', IFTSTA: 'International multimodal status report message',
  INSDES: 'Instruction to despatch message',
};

const nameOf = (id: string): string => DATA.names[id] ?? id;

function simple(text: string): ElementDef {
  const [id = '', fmt = '', req] = text.split(':');
  const m = /^(an|a|n)(\.\.)?(\d+)$/.exec(fmt);
  if (!m) throw new Error(`un-directories.json: bad element format '${text}'`);
  const d: ElementDef = { id, name: nameOf(id), type: m[1] as 'an' | 'a' | 'n', max: Number(m[3]) };
  if (!m[2]) d.min = d.max;
  if (req === 'M') d.required = true;
  return d;
}

function element(text: string): ElementDef {
  const open = text.indexOf('(');
  if (open < 0) return simple(text);
  const [id = '', req] = text.slice(0, open).split(':');
  const d: ElementDef = { id, name: nameOf(id), components: text.slice(open + 1, -1).split('|').map(simple) };
  if (req === 'M') d.required = true;
  return d;
}

const decoded = new Map<number, SegmentDef>();
function segmentAt(i: number, tag: string): SegmentDef {
  let s = decoded.get(i);
  if (!s) {
    const text = DATA.segments[i];
    if (text === undefined) throw new Error(`un-directories.json: no segment ${i}`);
    s = { tag, name: nameOf(tag), elements: text.split('+').map(element) };
    decoded.set(i, s);
  }
  return s;
}

function parseTable(text: string): Array<SegmentUse | LoopUse> {
  const root: Array<SegmentUse | LoopUse> = [];
  const stack: Array<Array<SegmentUse | LoopUse>> = [root];
  for (const tok of text.split(' ')) {
    const top = stack[stack.length - 1]!;
    if (tok === ']') { stack.pop(); continue; }
    const g = /^\[(\d+):([MC])(\d+)$/.exec(tok);
    if (g) {
      const loop: LoopUse = { loop: `SG${g[1]}`, max: Number(g[3]), children: [] };
      if (g[2] === 'M') loop.required = true;
      top.push(loop);
      stack.push(loop.children);
      continue;
    }
    const s = /^([A-Z]{3}):([MC])(\d+)$/.exec(tok);
    if (!s) throw new Error(`un-directories.json: bad table token '${tok}'`);
    const use: SegmentUse = { segment: s[1]!, max: Number(s[3]) };
    if (s[2] === 'M') use.required = true;
    top.push(use);
  }
  return root;
}

const segmentSets = new Map<string, Record<string, SegmentDef>>();
/** every segment definition of a shipped directory (those its shipped messages use), service segments included */
export function directorySegments(version: string): Record<string, SegmentDef> | undefined {
  const dir = DATA.dirs[version];
  if (!dir) return undefined;
  let set = segmentSets.get(version);
  if (!set) {
    set = { ...SERVICE_SEGMENTS };
    for (const [tag, i] of Object.entries(dir.segments)) set[tag] = segmentAt(i, tag);
    segmentSets.set(version, set);
  }
  return set;
}

/** messages a shipped directory holds */
export function directoryMessages(version: string): string[] {
  return Object.keys(DATA.dirs[version]?.messages ?? {});
}

const grammars = new Map<string, MessageGrammar>();
/** the message table of `message` in shipped directory `version`, or undefined */
export function directoryGrammar(message: string, version: string): MessageGrammar | undefined {
  const key = `${message}:${version}`;
  const hit = grammars.get(key);
  if (hit) return hit;
  const t = DATA.dirs[version]?.messages[message];
  if (t === undefined) return undefined;
  const g: MessageGrammar = {
    standard: 'edifact', message, version, name: MESSAGE_NAMES[message] ?? message,
    children: parseTable(DATA.tables[t]!), segments: directorySegments(version)!,
  };
  grammars.set(key, g);
  return g;
}
