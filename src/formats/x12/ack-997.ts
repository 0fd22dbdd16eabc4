/**
 * 997 Functional Acknowledgment for one received functional group, in the version of the
 * inbound GS08 (AK103/AK203 only from 005010). AK2 loops for every set (accepted ones with AK5*A);
 * AK3/AK4 for segment and element findings; AK5 with the set codes; AK9 with the group result:
 * A all accepted, P some accepted, R none accepted, E all sets accepted but group findings (AK905..).
 */
import type { Loop, WireNode, WireTree } from '../wire.ts';
import { ackNodes, ackTree, badValue, mk, positionElement, segmentNotes, setCodes, type AckGroupInput } from './ack-common.ts';
import type { TransactionResult } from './types.ts';
import type { GroupEnvelope } from './writer.ts';

export function build997(input: AckGroupInput, opts: { controlNumber?: string } = {}): WireTree {
  return ackTree('997', input.group.version, ack997Nodes(input, opts.controlNumber ?? '0001'));
}

/** The 997's nodes in order, one AK2 loop per set as the sets are read (ack-common.ts ackNodes). */
export function ack997Nodes(input: AckGroupInput, controlNumber: string): Generator<WireNode> {
  const v5010 = /^005/.test(input.group.version) || Number(input.group.version.slice(0, 6)) >= 5000;
  const head = [mk('ST', ['997', controlNumber]), mk('AK1', [input.group.functionalId, input.group.controlNumber, ...(v5010 ? [input.group.version] : [])])];
  return ackNodes(input, controlNumber, head, (t: TransactionResult): Loop => {
    const ak2: Loop = { loop: 'AK2', children: [] };
    ak2.children.push(mk('AK2', [t.id, t.controlNumber, ...(v5010 && t.implementationReference ? [t.implementationReference] : [])]));
    for (const note of segmentNotes(t.errors)) {
      const ak3: Loop = { loop: 'AK3', children: [mk('AK3', [note.tag, String(note.position), note.loopId ?? '', note.code])] };
      ak2.children.push(ak3);
      for (const e of note.elements.slice(0, 99)) ak3.children.push(mk('AK4', [positionElement(e, v5010), e.elementReference ?? '', e.code, badValue(e)]));
    }
    ak2.children.push(mk('AK5', [t.accepted ? (t.errors.length > 0 ? 'E' : 'A') : 'R', ...(t.accepted ? [] : setCodes(t))]));
    return ak2;
  });
}

/** GS envelope of an acknowledgement group: FA, sender/receiver swapped, given version. */
export function ackGroupEnvelope(inbound: { senderCode: string; receiverCode: string }, v: { controlNumber: number | string; date: string; time: string; version: string }): GroupEnvelope {
  return { functionalId: 'FA', senderCode: inbound.receiverCode, receiverCode: inbound.senderCode, date: v.date, time: v.time, controlNumber: v.controlNumber, version: v.version };
}
