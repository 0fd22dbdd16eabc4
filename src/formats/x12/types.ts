/**
 * Output shapes of the X12 reader (see reader.ts for the order in which items arrive).
 */
import type { Segment, WireTree } from '../wire.ts';
import type { X12Delimiters } from './delimiters.ts';
import type { X12Error } from './errors.ts';

export interface InterchangeHeader {
  authorizationQualifier: string; // ISA01
  authorization: string; // ISA02
  securityQualifier: string; // ISA03
  security: string; // ISA04
  senderQualifier: string; // ISA05
  /** ISA06 with trailing padding removed */
  senderId: string;
  receiverQualifier: string; // ISA07
  /** ISA08 with trailing padding removed */
  receiverId: string;
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  /** ISA11 as sent (repetition separator from 00402, 'U' before) */
  standardsId: string;
  version: string; // ISA12
  controlNumber: string; // ISA13, exactly as sent (never parsed to a number)
  ackRequested: string; // ISA14
  usage: string; // ISA15 P/T/I
  delimiters: X12Delimiters;
  /** the ISA segment as read */
  segment: Segment;
  /** 1-based ordinal of this interchange in the input */
  index: number;
  /** byte offset of 'ISA' in the input */
  offset: number;
  /** `index` of an earlier interchange in this input with the same sender, receiver and ISA13 */
  duplicateOf?: number;
}

export interface GroupHeader {
  functionalId: string; // GS01
  senderCode: string; // GS02
  receiverCode: string; // GS03
  date: string; // GS04
  time: string; // GS05
  controlNumber: string; // GS06
  agency: string; // GS07
  /** GS08 as sent, e.g. '004010', '004010VICS', '005010X231A1' */
  version: string;
  segment: Segment;
  /** 1-based ordinal of this group in its interchange */
  ordinal?: number;
  /** ordinal of an earlier group in the same interchange with the same GS06 */
  duplicateOf?: number;
}

export interface TransactionHeader {
  id: string; // ST01
  controlNumber: string; // ST02
  /** ST03 (5010 implementation convention reference) when present */
  implementationReference?: string;
  /** 1-based ordinal of this set in its group */
  ordinal?: number;
  /** ordinal of an earlier set in the same group with the same ST02 */
  duplicateOf?: number;
}

/** What a functional acknowledgement needs to know about one transaction set. */
export interface TransactionResult {
  id: string;
  controlNumber: string;
  implementationReference?: string;
  accepted: boolean;
  errors: X12Error[];
  /** 1-based ordinal of this set in its group */
  ordinal?: number;
  /** rejected because its whole group was (a duplicate GS06): AK5/IK5 R without a set code of its own */
  rejectedWithGroup?: boolean;
}

export interface TransactionItem {
  kind: 'transaction';
  interchange: InterchangeHeader;
  /** undefined when the ST was not inside a GS/GE group (AK502 code 18) */
  group?: GroupHeader;
  transaction: TransactionHeader;
  tree: WireTree;
  /** false when no grammar is shipped for this set (e.g. 271, 210): the tree is then flat */
  supported: boolean;
  /** the grammar the tree was built with, e.g. '850/004010' */
  grammar?: string;
  /** segments from ST to SE inclusive, as counted in SE01 */
  segmentCount: number;
  /** true when no finding rejects the set */
  accepted: boolean;
  errors: X12Error[];
  /** what its functional acknowledgement says of it (also listed in its group_end item unless the reader drops set results) */
  result: TransactionResult;
}

export interface InterchangeStartItem {
  kind: 'interchange_start';
  interchange: InterchangeHeader;
  /** ISA field and delimiter findings (TA1 codes) */
  errors: X12Error[];
}

export interface GroupStartItem {
  kind: 'group_start';
  interchange: InterchangeHeader;
  group: GroupHeader;
}

export interface GroupEndItem {
  kind: 'group_end';
  interchange: InterchangeHeader;
  group: GroupHeader;
  /** GE segment, undefined when the group trailer is missing */
  trailer?: Segment;
  transactionCount: number;
  transactions: TransactionResult[];
  /** group-level findings (AK9 codes) */
  errors: X12Error[];
}

export interface InterchangeEndItem {
  kind: 'interchange_end';
  interchange: InterchangeHeader;
  /** IEA segment, undefined when missing */
  trailer?: Segment;
  groupCount: number;
  /** TA1 segments carried in this interchange (an interchange acknowledgement) */
  ta1: Segment[];
  /** interchange-level findings (TA1 note codes), including those of interchange_start */
  errors: X12Error[];
}

/** Bytes outside any interchange (before the first ISA, after an IEA, unreadable ISA). */
export interface GarbageItem {
  kind: 'garbage';
  offset: number;
  length: number;
  errors: X12Error[];
}

export type X12Item = InterchangeStartItem | GroupStartItem | TransactionItem | GroupEndItem | InterchangeEndItem | GarbageItem;
