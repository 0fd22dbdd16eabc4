import type { MessageGrammar } from '../formats/grammar.ts';

/** The grammar of a message, from the codecs' grammar tables (X12 sets, EDIFACT messages). */
export function grammarFor(_format: string, _message: string, _version: string): MessageGrammar | undefined {
  return undefined;
}
