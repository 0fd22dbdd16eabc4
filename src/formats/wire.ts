/**
 * The wire tree: what every segment-based codec (X12, EDIFACT) produces for one transaction
 * set / message, what the mapping language walks inbound and builds outbound, and what the
 * writers serialize. Object-shaped formats (XML, JSON, CSV rows) use plain JSON values instead
 * (see ObjectTree).
 */

/** A simple element is a string; a composite element is its components (component 1 first). */
export type Element = string | string[];

export interface Segment {
  tag: string;
  /** elements[0] is element 01 (X12 "BEG01", EDIFACT the first data element after the tag). */
  elements: Element[];
  /** repetitions of an element (X12 ISA11 / EDIFACT syntax 4 '*'): all values, keyed by 0-based element index; elements[i] holds the first */
  repeats?: Record<number, Element[]>;
  /** 1-based position of the segment within its transaction set (ST = 1) / message (UNH = 1) */
  position: number;
}

export interface Loop {
  /** loop id: X12 loop trigger tag ('N1', 'PO1', 'HL'), EDIFACT group ('SG2') */
  loop: string;
  children: WireNode[];
}

export type WireNode = Segment | Loop;

export function isSegment(n: WireNode): n is Segment {
  return (n as Segment).tag !== undefined;
}

/** One transaction set (X12 ST..SE) or message (EDIFACT UNH..UNT) as a tree. Root loop id is the message id. */
export interface WireTree {
  standard: 'x12' | 'edifact';
  /** '850', 'ORDERS' */
  message: string;
  /** X12 GS08 '004010' / '005010X...' ; EDIFACT 'D96A' */
  version: string;
  root: Loop;
}

/** Object-shaped formats: XML (parsed, attributes under '@name', text under '#text'), JSON, CSV (array of row objects). */
export type ObjectTree = unknown;
