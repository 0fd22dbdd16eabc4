/**
 * 999 Implementation Acknowledgment (005010X231A1) for one received functional group:
 * AK1 (with GS08), AK2 per set (with ST03), IK3 per segment in error (IK304 always present;
 * 8 when only its elements are in error), IK4 per element finding (position:component:repetition),
 * IK5 per set, AK9 for the group (same rules as the 997).
 */
import type { Loop, Segment, WireTree } from '../wire.ts';
import { badValue, groupStatus, mk, numberPositions, positionElement, segmentNotes, setCodes, type AckGroupInput } from './ack-common.ts';

export const X231A1 = '005010X231A1';

export function build999(input: AckGroupInput, opts: { controlNumber?: string } = {}): WireTree {
  const all: Segment[] = [];
  const root: Loop = { loop: '999', children: [] };
  const add = (parent: Loop, s: Segment): void => { parent.children.push(s); all.push(s); };
  const cn = opts.controlNumber ?? '0001';
  add(root, mk('ST', ['999', cn, X231A1]));
  add(root, mk('AK1', [input.group.functionalId, input.group.controlNumber, input.group.version]));
  for (const t of input.transactions) {
    const ak2: Loop = { loop: 'AK2', children: [] };
    root.children.push(ak2);
    add(ak2, mk('AK2', [t.id, t.controlNumber, ...(t.implementationReference ? [t.implementationReference] : [])]));
    for (const note of segmentNotes(t.errors)) {
      const ik3: Loop = { loop: 'IK3', children: [] };
      ak2.children.push(ik3);
      add(ik3, mk('IK3', [note.tag, String(note.position), note.loopId ?? '', note.code]));
      for (const e of note.elements.slice(0, 99)) {
        const ik4: Loop = { loop: 'IK4', children: [] };
        ik3.children.push(ik4);
        add(ik4, mk('IK4', [positionElement(e, true), e.elementReference ?? '', e.code, badValue(e)]));
      }
    }
    add(ak2, mk('IK5', [t.accepted ? (t.errors.length > 0 ? 'E' : 'A') : 'R', ...(t.accepted ? [] : setCodes(t))]));
  }
  const g = groupStatus(input);
  add(root, mk('AK9', [g.code, String(g.included), String(g.received), String(g.accepted), ...g.codes]));
  add(root, mk('SE', [String(all.length + 1), cn]));
  numberPositions(all);
  return { standard: 'x12', message: '999', version: X231A1, root };
}
