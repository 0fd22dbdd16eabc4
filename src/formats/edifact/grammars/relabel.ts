/**
 * Segment group numbers differ between directories (the ORDERS line group is SG25 in D96A and
 * SG28 in D01B), so a mapping written for one directory reads a message of another through this
 * translation: each group of the message's table is matched to the group of the mapping's table
 * with the same trigger segment at the same place (same parent, n-th group with that trigger), and
 * renamed to its number (a PYT group takes the place of a PAT group). A group the mapping's directory does not have keeps a name no mapping of
 * that directory can use ('SG9@D01B'), so it never collides with one it does have.
 */
import { isLoopUse, type LoopUse, type MessageGrammar, type SegmentUse } from '../../grammar.ts';
import type { Loop, WireNode, WireTree } from '../../wire.ts';
import { createEdifactGrammarRegistry, type EdifactGrammarRegistry } from './index.ts';

type Use = SegmentUse | LoopUse;
/** segments a later directory put in the place of an earlier one (D02B on: PYT payment terms for PAT) */
const SAME_PLACE: Record<string, string> = { PYT: 'PAT' };
const trigger = (u: LoopUse): string => {
  const t = u.children[0] && !isLoopUse(u.children[0]) ? u.children[0].segment : '';
  return SAME_PLACE[t] ?? t;
};

/** message-table group id -> the mapping table's group id (or 'SGn@VERSION' when it has none) */
export function groupCorrespondence(from: MessageGrammar, to: MessageGrammar): Map<string, string> {
  const out = new Map<string, string>();
  const match = (a: Use[], b: Use[] | undefined): void => {
    const taken = new Set<LoopUse>();
    for (const u of a) {
      if (!isLoopUse(u)) continue;
      const t = trigger(u);
      const peer = b?.find((v): v is LoopUse => isLoopUse(v) && !taken.has(v) && trigger(v) === t);
      if (peer) taken.add(peer);
      out.set(u.loop, peer ? peer.loop : `${u.loop}@${from.version}`);
      match(u.children, peer?.children);
    }
  };
  match(from.children, to.children);
  return out;
}

const cache = new Map<string, Map<string, string>>();
let defaultRegistry: EdifactGrammarRegistry | undefined;

/**
 * The tree as a mapping written for directory `mappingVersion` addresses it: the same segments,
 * groups renamed to that directory's numbers. The tree itself when the directories agree.
 */
export function treeForDirectory(tree: WireTree, mappingVersion: string | undefined, registry?: EdifactGrammarRegistry): WireTree {
  if (!mappingVersion || tree.standard !== 'edifact') return tree;
  const reg = registry ?? (defaultRegistry ??= createEdifactGrammarRegistry());
  const from = reg.find(tree.message, tree.version);
  const to = reg.find(tree.message, mappingVersion);
  if (!from || !to || from === to) return tree;
  const key = `${tree.message}:${from.version}>${to.version}`;
  let names = cache.get(key);
  if (!names) { names = groupCorrespondence(from, to); cache.set(key, names); }
  const map = names;
  let changed = false;
  const walk = (n: Loop): Loop => {
    const children = n.children.map((c: WireNode) => ('loop' in c ? walk(c) : c));
    const loop = map.get(n.loop) ?? n.loop;
    if (loop !== n.loop) changed = true;
    return { loop, children };
  };
  const root = { loop: tree.root.loop, children: tree.root.children.map((c) => ('loop' in c ? walk(c) : c)) };
  return changed ? { ...tree, root } : tree;
}
