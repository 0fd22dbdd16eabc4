/** Public API of the EDIFACT codec. */
export { parseEdifact, readEdifact, type EdifactInterchange, type EdifactReadItem, type EdifactReadOptions } from './reader.ts';
export type { EdifactMessage, EdifactInterchangeSummary, EdifactGroupSummary } from './assembler.ts';
export type { EdifactInterchangeHeader, EdifactGroupHeader, EdifactMessageHeader, PartyId } from './envelope.ts';
export { messageVersionKey } from './envelope.ts';
export { writeEdifact, segmentsOf, createSegmentSerializer, type EdifactWriteInput, type EdifactOutboundMessage } from './writer.ts';
export { buildContrl, CONTRL_ACTION, type ContrlOptions, type ContrlResult } from './contrl.ts';
export { parseContrl, reconcileContrl, type ContrlReport, type ContrlReconciliation, type ContrlMessageReport } from './contrl-read.ts';
export { createEdifactGrammarRegistry, defaultEdifactGrammars, releaseOrdinal, EDIFACT_MESSAGES, EDIFACT_VERSIONS, type EdifactGrammarRegistry } from './grammars/index.ts';
export { DEFAULT_SEPARATORS, SYNTAX_CHARSETS, charsetFor, normalizeEdifactNumber, parseUna, formatUna, type EdifactSeparators } from './syntax.ts';
export { SYNTAX_ERROR, isBlocking, type IssueDetail, type IssueLevel } from './issues.ts';
export { createEdifactTokenizer, type RawSegment } from './tokenizer.ts';
