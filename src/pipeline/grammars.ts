import type { MessageGrammar } from '../formats/grammar.ts';
import { createGrammarRegistry } from '../formats/x12/index.ts';

const x12 = createGrammarRegistry();

/** The grammar of a message, from the codecs' grammar tables (X12 sets, EDIFACT messages). */
export function grammarFor(format: string, message: string, version: string): MessageGrammar | undefined {
  if (format === "x12") return x12.find(message, version);
  return undefined;
}
