/** The three path languages behind one interface: segment paths, object paths, canonical paths. */
import { problem, warn, type Env, type Getter, type ListGetter, type PathKind } from './env.ts';
import type { Loc } from './located.ts';
import { compileObjectNodes, compileObjectValue, parseObjectPath } from './object-path.ts';
import { compileNode, compileNodes, compileValue, compileValues } from './wire-eval.ts';
import { checkLoopScope, checkWirePath, triggerTag, type GrammarIndex } from './wire-grammar.ts';
import { parseWirePath, type WirePath } from './wire-path.ts';

const PATH_HINT = 'e.g. BEG/03, N1[01=ST]/02, PO1/06~BP, NAD[3035=ST]/C080/3036';

export function wirePaths(getEnv: () => Env, gi: GrammarIndex | undefined): PathKind {
  const parse = (text: string, loc: Loc, ctxTag: string | undefined, needElem: boolean): WirePath | undefined => {
    const env = getEnv();
    const p = parseWirePath(text);
    if (typeof p === 'string') {
      problem(env, loc, 'bad_path', `bad path "${text}": ${p}`, PATH_HINT);
      return undefined;
    }
    if (needElem && !p.elem) {
      problem(env, loc, 'bad_path', `path "${text}" selects a segment, not an element value`, `add the element position, e.g. ${text}/01`);
      return undefined;
    }
    if (!needElem && p.elem) {
      problem(env, loc, 'bad_path', `path "${text}" selects an element value; each:/within: need segments or loops`, `drop the element position`);
      return undefined;
    }
    const errs = checkWirePath(p, gi, ctxTag);
    const scope = errs.length === 0 && env.direction === 'inbound' ? checkLoopScope(p, gi, ctxTag, true) : undefined;
    if (scope) warn(env, loc, scope.rule, `path "${text}": ${scope.message}`, scope.hint);
    for (const e of errs) {
      const hint = e.hint ?? (e.rule === 'grammar_required' ? 'use element positions (01..99) when no grammar is available' : e.rule === 'element_out_of_range' ? 'element positions count from 01' : undefined);
      problem(env, loc, e.rule, `path "${text}": ${e.message}`, hint);
    }
    return errs.length ? undefined : p;
  };
  return {
    kind: 'wire',
    value(text, loc, ctxTag) {
      const p = parse(text, loc, ctxTag, true);
      return p ? compileValue(p) : undefined;
    },
    values(text, loc, ctxTag) {
      const p = parse(text, loc, ctxTag, true);
      return p ? compileValues(p) : undefined;
    },
    nodes(text, loc, ctxTag) {
      const p = parse(text, loc, ctxTag, false);
      if (!p) return undefined;
      const last = p.steps[p.steps.length - 1];
      return { get: compileNodes(p) as ListGetter, first: compileNode(p) as Getter, ...(last ? { tag: triggerTag(last.name, gi) } : {}) };
    },
  };
}

export function objectPaths(getEnv: () => Env, sep: '/' | '.'): PathKind {
  const parse = (text: string, loc: Loc) => {
    const p = parseObjectPath(text, sep);
    if (typeof p === 'string') {
      problem(getEnv(), loc, 'bad_path', `bad path "${text}": ${p}`, sep === '.' ? 'e.g. poNumber, buyer.address.city, lines' : 'e.g. Order/Header/@id, items[type=x]/qty, PO Number');
      return undefined;
    }
    return p;
  };
  return {
    kind: sep === '.' ? 'canonical' : 'object',
    value(text, loc) {
      const p = parse(text, loc);
      return p ? compileObjectValue(p) : undefined;
    },
    values(text, loc) {
      const p = parse(text, loc);
      if (!p) return undefined;
      const all = compileObjectNodes(p);
      return (c, st) => all(c, st).filter((v) => v !== '' && (typeof v !== 'object' || v === null));
    },
    nodes(text, loc) {
      const p = parse(text, loc);
      if (!p) return undefined;
      const all = compileObjectNodes(p);
      return { get: all, first: (c, st) => all(c, st)[0] };
    },
  };
}
