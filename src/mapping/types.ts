/**
 * Public contract of the mapping language: compile a YAML mapping once, then translate
 * wire trees / object trees to canonical documents (inbound) or canonical documents to
 * wire trees / objects (outbound).
 */
import type { DocumentType } from '../canonical/schemas.ts';
import type { MessageGrammar } from '../formats/grammar.ts';
import type { WireTree } from '../formats/wire.ts';
import { GatewayError } from '../core/errors.ts';
import type { IgnoreEntry } from './ignore.ts';

/** A mapping file's text; `file` is its path relative to the mappings root. */
export interface MappingSource {
  file: string;
  text: string;
}

export interface CompileOptions {
  /** resolves `extends:` (a path relative to the mappings root); throw when the file does not exist */
  load(file: string): MappingSource;
  /** the grammar for checks and EDIFACT element ids; undefined = positional paths only */
  grammar?(format: string, message: string, version: string): MessageGrammar | undefined;
}

/** One problem in a mapping file (compile) or while applying it (run). */
export interface MappingProblem {
  file: string;
  line: number;
  col: number;
  /** stable snake_case name of the check: unknown_field, unknown_code, required_missing... */
  rule: string;
  message: string;
  hint?: string;
  /** run problems: the mapping rule id ('lines.quantity') */
  field?: string;
  /** run problems (inbound): JSON pointer of the canonical value ('/lines/2/quantity') */
  pointer?: string;
}

export interface RuleLocation {
  id: string;
  file: string;
  line: number;
  col: number;
}

export interface MappingOutput {
  value: unknown;
  problems: MappingProblem[];
  usedRules: Set<string>;
}

export interface CompiledMapping {
  file: string;
  format: string;
  message: string;
  version?: string;
  direction: 'inbound' | 'outbound';
  documentType: DocumentType;
  /** inbound: wire tree (or object tree) -> canonical document */
  toCanonical(input: WireTree | unknown): Promise<MappingOutput>;
  /** outbound: canonical document -> wire tree (x12/edifact) or object (xml/json/csv rows) */
  fromCanonical(doc: unknown): Promise<MappingOutput>;
  /** inbound x12/edifact: what the mapping drops on purpose (`ignore:`, with the base's), for the unmapped report */
  ignore: readonly IgnoreEntry[];
  /** findings that do not stop the mapping: a path that finds nothing where it is used, an empty field */
  warnings: readonly MappingProblem[];
  /** every rule with its location, for coverage reports: id like 'lines.quantity' */
  rules: RuleLocation[];
  /** the rule that produced a canonical JSON pointer ('/lines/3/quantity' -> rule 'lines.quantity') */
  ruleFor(pointer: string): RuleLocation | undefined;
}

export function formatProblem(p: MappingProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.rule}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;
}

/** A mapping file that cannot be compiled; `problems` lists every problem found, not just the first. */
export class MappingCompileError extends GatewayError {
  readonly problems: MappingProblem[];
  constructor(file: string, problems: MappingProblem[]) {
    const n = problems.length;
    super(
      'mapping_invalid',
      `mapping ${file} has ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      { file, problems },
    );
    this.problems = problems;
  }
}
