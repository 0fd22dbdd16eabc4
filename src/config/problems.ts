/** Building and printing config problems: `file:line:col rule: message (hint: ...)`, as mapping problems print. */
import type { ConfigProblem, ProblemSeverity } from './types.ts';

export interface ProblemInput {
  file: string;
  line?: number;
  col?: number;
  rule: string;
  message: string;
  hint?: string;
  pointer?: string;
  severity?: ProblemSeverity;
}

export function formatProblem(p: Omit<ConfigProblem, 'text'>): string {
  return `${p.file}:${p.line}:${p.col} ${p.rule}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;
}

export function problem(input: ProblemInput): ConfigProblem {
  const base = {
    file: input.file,
    line: input.line ?? 1,
    col: input.col ?? 1,
    rule: input.rule,
    message: input.message,
    severity: input.severity ?? 'error',
    ...(input.hint !== undefined ? { hint: input.hint } : {}),
    ...(input.pointer !== undefined ? { pointer: input.pointer } : {}),
  } satisfies Omit<ConfigProblem, 'text'>;
  return { ...base, text: formatProblem(base) };
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
