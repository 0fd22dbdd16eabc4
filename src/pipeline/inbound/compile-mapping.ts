import type { MessageGrammar } from '../../formats/grammar.ts';
import { compileMapping, type CompiledMapping, type MappingSource } from '../../mapping/index.ts';

export type GatewayMapping = CompiledMapping & { [key: string]: unknown };
export type GrammarLookup = (format: string, message: string, version: string) => MessageGrammar | undefined;

/** The compile function handed to configuration loading: the mapping language with the codecs' grammars. */
export function createMappingCompiler(grammar: GrammarLookup) {
  return (src: MappingSource, opts: { load(file: string): MappingSource }): GatewayMapping =>
    compileMapping(src, { load: opts.load, grammar }) as GatewayMapping;
}
