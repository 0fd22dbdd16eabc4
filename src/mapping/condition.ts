/** `when:` conditions: "<path>=<v>[|<v2>]", "<path>!=<v>", "<path>" (non-empty), "!<path>" (empty). */
import { problem, type Env, type Getter } from './env.ts';
import type { Loc } from './located.ts';
import type { RunState } from './run-state.ts';

export type Condition = (ctx: unknown, st: RunState) => boolean;

function splitTop(text: string): { path: string; op: '=' | '!=' | ''; values: string[] } {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '=' && depth === 0) {
      const neg = text[i - 1] === '!';
      return { path: text.slice(0, neg ? i - 1 : i).trim(), op: neg ? '!=' : '=', values: text.slice(i + 1).trim().split('|') };
    }
  }
  return { path: text.trim(), op: '', values: [] };
}

export function compileCondition(env: Env, text: string, loc: Loc, ctxTag: string | undefined): Condition | undefined {
  let t = text.trim();
  const negate = t.startsWith('!') && !t.includes('=');
  if (negate) t = t.slice(1);
  const { path, op, values } = splitTop(t);
  if (path === '') {
    problem(env, loc, 'bad_condition', `when: "${text}" has no path`, 'write when: "<path>=<value>", "<path>" or "!<path>"');
    return undefined;
  }
  const get: Getter | undefined = env.paths.value(path, loc, ctxTag);
  if (!get) return undefined;
  if (op === '') return negate ? (c, st) => get(c, st) === undefined : (c, st) => get(c, st) !== undefined;
  const has = (c: unknown, st: RunState): boolean => {
    const v = get(c, st);
    return values.includes(v === undefined ? '' : String(v));
  };
  return op === '=' ? has : (c, st) => !has(c, st);
}
