/**
 * A functional-acknowledgement interchange written as it is built: ISA, the TA1s, per group
 * GS + the 997/999 segments as ack997Nodes / ack999Nodes yield them (one AK2 loop per set, read
 * from the group's set log) + GE, then IEA. The text comes out in chunks of about `chunkChars`,
 * so an acknowledgement of a million sets never exists as one string or one tree. The bytes are
 * those of writeInterchange over the built tree (same writeSegment, same counts; ack.test.ts).
 */
import type { Segment, WireNode } from '../wire.ts';
import { formatIsa13 } from './control-numbers.ts';
import type { X12Delimiters } from './delimiters.ts';
import { writeIsa, writeSegment, type GroupEnvelope, type InterchangeEnvelope } from './writer.ts';

export interface AckGroupToWrite { group: GroupEnvelope; nodes: Iterable<WireNode> }

export function* ackInterchangeChunks(input: { interchange: InterchangeEnvelope; groups: AckGroupToWrite[]; delimiters: X12Delimiters; ta1?: Segment[] }, chunkChars = 64 * 1024): Generator<string> {
  const d = input.delimiters;
  let text = writeIsa(input.interchange, d);
  for (const s of input.ta1 ?? []) text += writeSegment(s, d);
  const write = (n: WireNode): void => {
    if ('tag' in n) text += writeSegment(n, d);
    else for (const c of n.children) write(c);
  };
  for (const g of input.groups) {
    const cn = String(g.group.controlNumber);
    text += writeSegment({ tag: 'GS', elements: [g.group.functionalId, g.group.senderCode, g.group.receiverCode, g.group.date, g.group.time, cn, g.group.agency ?? 'X', g.group.version] }, d);
    for (const n of g.nodes) {
      write(n);
      if (text.length >= chunkChars) { yield text; text = ''; }
    }
    text += writeSegment({ tag: 'GE', elements: ['1', cn] }, d);
  }
  const cn = typeof input.interchange.controlNumber === 'number' ? formatIsa13(input.interchange.controlNumber) : input.interchange.controlNumber.padStart(9, '0');
  text += writeSegment({ tag: 'IEA', elements: [String(input.groups.length), cn] }, d);
  yield text;
}
