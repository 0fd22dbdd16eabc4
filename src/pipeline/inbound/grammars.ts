import type { MessageGrammar } from '../../formats/grammar.ts';
import { createGrammarRegistry } from '../../formats/x12/index.ts';
import { createEdifactGrammarRegistry } from '../../formats/edifact/index.ts';

const x12 = createGrammarRegistry();
const edifact = createEdifactGrammarRegistry();

/** The grammar of a message, from the codecs' grammar tables (X12 sets, EDIFACT messages). */
export function grammarFor(format: string, message: string, version: string): MessageGrammar | undefined {
  if (format === "x12") return x12.find(message, version);
  if (format === "edifact") return edifact.find(message.toUpperCase(), version);
  return undefined;
}
