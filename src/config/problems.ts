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

/**
 * Problems as an operator reads them: errors first (each labelled `error:`), then warnings
 * (`warning:`). When there are errors, warnings are folded into one line unless `verbose`: the
 * real error is never below a screen of other partners' warnings. Without errors, the first
 * `maxWarnings` are shown and the rest folded.
 */
export function problemLines(problems: readonly ConfigProblem[], opts: { verbose?: boolean; maxWarnings?: number; foldHint?: string } = {}): string[] {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  const limit = opts.verbose ? Infinity : errors.length > 0 ? 0 : (opts.maxWarnings ?? 5);
  const shown = warnings.slice(0, limit);
  const folded = warnings.length - shown.length;
  const hint = opts.foldHint ?? '--verbose lists them';
  return [
    ...errors.map((p) => `error: ${p.text}`),
    ...shown.map((p) => `warning: ${p.text}`),
    ...(folded > 0 ? [`${shown.length > 0 || errors.length > 0 ? 'and ' : ''}${folded} ${shown.length > 0 ? 'more ' : ''}warning(s): ${hint}`] : []),
  ];
}
