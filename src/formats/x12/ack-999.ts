/**
 * 999 Implementation Acknowledgment (005010X231A1) for one received functional group:
 * AK1 (with GS08), AK2 per set (with ST03), IK3 per segment in error (IK304 always present;
 * 8 when only its elements are in error), IK4 per element finding (position:component:repetition),
 * IK5 per set, AK9 for the group (same rules as the 997).
 */
import type { Loop, WireNode, WireTree } from '../wire.ts';
import { ackNodes, ackTree, badValue, mk, positionElement, segmentNotes, setCodes, type AckGroupInput } from './ack-common.ts';
import type { TransactionResult } from './types.ts';

export const X231A1 = '005010X231A1';

export function build999(input: AckGroupInput, opts: { controlNumber?: string } = {}): WireTree {
  return ackTree('999', X231A1, ack999Nodes(input, opts.controlNumber ?? '0001'));
}

/** The 999's nodes in order, one AK2 loop per set as the sets are read (ack-common.ts ackNodes). */
export function ack999Nodes(input: AckGroupInput, controlNumber: string): Generator<WireNode> {
  const head = [mk('ST', ['999', controlNumber, X231A1]), mk('AK1', [input.group.functionalId, input.group.controlNumber, input.group.version])];
  return ackNodes(input, controlNumber, head, (t: TransactionResult): Loop => {
    const ak2: Loop = { loop: 'AK2', children: [] };
    ak2.children.push(mk('AK2', [t.id, t.controlNumber, ...(t.implementationReference ? [t.implementationReference] : [])]));
    for (const note of segmentNotes(t.errors)) {
      const ik3: Loop = { loop: 'IK3', children: [mk('IK3', [note.tag, String(note.position), note.loopId ?? '', note.code])] };
      ak2.children.push(ik3);
      for (const e of note.elements.slice(0, 99)) {
        ik3.children.push({ loop: 'IK4', children: [mk('IK4', [positionElement(e, true), e.elementReference ?? '', e.code, badValue(e)])] });
      }
    }
    ak2.children.push(mk('IK5', [t.accepted ? (t.errors.length > 0 ? 'E' : 'A') : 'R', ...(t.accepted ? [] : setCodes(t))]));
    return ak2;
  });
}
