/**
 * 997 Functional Acknowledgment for one received functional group, in the version of the
 * inbound GS08 (AK103/AK203 only from 005010). AK2 loops for every set (accepted ones with AK5*A);
 * AK3/AK4 for segment and element findings; AK5 with the set codes; AK9 with the group result:
 * A all accepted, P some accepted, R none accepted, E all sets accepted but group findings (AK905..).
 */
import type { Loop, Segment, WireTree } from '../wire.ts';
import { badValue, groupStatus, mk, numberPositions, positionElement, segmentNotes, setCodes, type AckGroupInput } from './ack-common.ts';
import type { GroupEnvelope } from './writer.ts';

export function build997(input: AckGroupInput, opts: { controlNumber?: string } = {}): WireTree {
  const v5010 = /^005/.test(input.group.version) || Number(input.group.version.slice(0, 6)) >= 5000;
  const all: Segment[] = [];
  const root: Loop = { loop: '997', children: [] };
  const add = (parent: Loop, s: Segment): void => { parent.children.push(s); all.push(s); };
  const cn = opts.controlNumber ?? '0001';
  add(root, mk('ST', ['997', cn]));
  add(root, mk('AK1', [input.group.functionalId, input.group.controlNumber, ...(v5010 ? [input.group.version] : [])]));
  for (const t of input.transactions) {
    const ak2: Loop = { loop: 'AK2', children: [] };
    root.children.push(ak2);
    add(ak2, mk('AK2', [t.id, t.controlNumber, ...(v5010 && t.implementationReference ? [t.implementationReference] : [])]));
    for (const note of segmentNotes(t.errors)) {
      const ak3: Loop = { loop: 'AK3', children: [] };
      ak2.children.push(ak3);
      add(ak3, mk('AK3', [note.tag, String(note.position), note.loopId ?? '', note.code]));
      for (const e of note.elements.slice(0, 99)) add(ak3, mk('AK4', [positionElement(e, v5010), e.elementReference ?? '', e.code, badValue(e)]));
    }
    add(ak2, mk('AK5', [t.accepted ? (t.errors.length > 0 ? 'E' : 'A') : 'R', ...(t.accepted ? [] : setCodes(t))]));
  }
  const g = groupStatus(input);
  add(root, mk('AK9', [g.code, String(g.included), String(g.received), String(g.accepted), ...g.codes]));
  add(root, mk('SE', [String(all.length + 1), cn]));
  numberPositions(all);
  return { standard: 'x12', message: '997', version: input.group.version, root };
}

/** GS envelope of an acknowledgement group: FA, sender/receiver swapped, given version. */
export function ackGroupEnvelope(inbound: { senderCode: string; receiverCode: string }, v: { controlNumber: number | string; date: string; time: string; version: string }): GroupEnvelope {
  return { functionalId: 'FA', senderCode: inbound.receiverCode, receiverCode: inbound.senderCode, date: v.date, time: v.time, controlNumber: v.controlNumber, version: v.version };
}
