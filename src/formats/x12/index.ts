/** Public API of the X12 codec (pure: no I/O, no clock). See reader.ts for the item stream. */
export { createX12Reader, parseTransactions, parseX12, readX12, type X12Reader, type X12ReaderOptions } from './reader.ts';
export type * from './types.ts';
export { type X12Error, type X12ErrorLevel, TA1, GROUP, SET, SEG, ELEM, toGatewayError } from './errors.ts';
export { type X12Delimiters, DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010 } from './delimiters.ts';
export { createGrammarRegistry, X12_GRAMMARS, type GrammarRegistry } from './grammars/index.ts';
export { buildTree, compileGrammar } from './tree.ts';
export { build997, ackGroupEnvelope } from './ack-997.ts';
export { build999, X231A1 } from './ack-999.ts';
export { type AckGroupInput } from './ack-common.ts';
export { buildTa1, needsTa1, parseTa1, type Ta1Result } from './ta1.ts';
export { parseAck, type AckReconciliation, type AckSetResult, type AckStatus } from './ack-parse.ts';
export { writeInterchange, writeGroup, writeTransaction, writeSegment, writeIsa, interchangeEnvelopeOf, groupEnvelopeOf,
  type InterchangeEnvelope, type GroupEnvelope, type GroupToWrite, type TransactionToWrite } from './writer.ts';
export { nextControlNumber, formatIsa13, formatGs06, formatSt02, ISA13_MAX, GS06_MAX, ST02_MAX } from './control-numbers.ts';
