/** The mapping language: compile YAML mappings once, apply them to wire trees / objects / canonical documents. */
export { compileMapping } from './compile.ts';
export { MappingCompileError, formatProblem } from './types.ts';
export type { CompiledMapping, CompileOptions, MappingOutput, MappingProblem, MappingSource, RuleLocation } from './types.ts';
