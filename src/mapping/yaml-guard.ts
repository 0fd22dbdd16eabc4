/**
 * The one guarded YAML parse for configuration files (partner profiles, mappings, and later
 * subscribers): nothing hostile text can do escapes as an exception or runs away. Characters YAML
 * does not allow are refused first, nesting is bounded on the syntax tree before yaml's composer
 * (which recurses per level) builds the document, every parser error becomes a located problem with a stable rule, and
 * aliases are checked (defined, not inside their own anchor, or refused) in one linear walk
 * before anything expands them. Pure: text in, document or problems out; no file name, no fs.
 */
import { Composer, isAlias, isCollection, isNode, isScalar, LineCounter, Parser, visit, YAMLParseError, type Document, type Node } from 'yaml';
import { findExcessiveNesting, findExcessiveNestingEarly } from './yaml-depth.ts';

export interface YamlProblem {
  line: number;
  col: number;
  /** stable: yaml_syntax, yaml_too_deep, yaml_control_character, yaml_alias_unknown, ... */
  rule: string;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

export interface GuardedYaml { doc: Document; lineCounter: LineCounter }
export type GuardResult = (GuardedYaml & { problems: YamlProblem[] }) | { doc?: undefined; problems: YamlProblem[] };

export interface GuardOptions {
  /** block + flow nesting levels allowed */
  maxDepth: number;
  /** 'refuse' where the consumer does not expand aliases (the mapping language would read one as null) */
  aliases: 'allow' | 'refuse';
}

/** Limits for configuration YAML; measured in /tmp/notes/config-decisions.md ("Hostile configuration YAML"). */
export const CONFIG_YAML_DEPTH = 64;

/** yaml's error codes that get a rule of their own; the rest are yaml_syntax */
const RULES: Record<string, string> = {
  DUPLICATE_KEY: 'yaml_duplicate_key',
  MULTIPLE_DOCS: 'yaml_multiple_documents',
  RESOURCE_EXHAUSTION: 'yaml_too_deep',
};

const HINTS: Record<string, string> = {
  yaml_duplicate_key: 'a key may appear once per map; remove or rename one of them',
  yaml_multiple_documents: 'a configuration file holds one YAML document: remove the "---" separator',
};

const firstLine = (m: string) => m.split('\n')[0] ?? m;
/** YAML errors listed per file; the rest are counted in one yaml_too_many_errors */
export const MAX_SYNTAX_PROBLEMS = 20;

export function parseGuardedYaml(text: string, opts: GuardOptions): GuardResult {
  const err = (p: Omit<YamlProblem, 'severity'>): GuardResult => ({ problems: [{ ...p, severity: 'error' }] });
  const ctrl = firstForbiddenCharacter(text);
  if (ctrl) {
    return err({
      line: ctrl.line, col: ctrl.col, rule: 'yaml_control_character',
      message: `control character U+${ctrl.code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in YAML`,
      hint: 'write it as an escape inside a double-quoted string ("\\u0001"), or check the file is not binary',
    });
  }
  const lineCounter = new LineCounter();
  const tooDeep = (offset: number) => err({
    ...lineCounter.linePos(offset), rule: 'yaml_too_deep', message: `nesting deeper than ${opts.maxDepth} levels`,
    hint: 'configuration is a few levels deep; check for unclosed [ or { or runaway indentation',
  });
  let doc: Document | undefined;
  try {
    const early = findExcessiveNestingEarly(text, opts.maxDepth);
    if (early) {
      // as yaml's parser fills it: line starts, the first at 0
      lineCounter.addNewLine(0);
      for (let i = text.indexOf('\n'); i >= 0 && i < early.offset; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
      return tooDeep(early.offset);
    }
    // lexer and parser are iterative: the CST of any text is safe to build and to measure exactly
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    const deep = findExcessiveNesting(tokens, opts.maxDepth);
    if (deep) return tooDeep(deep.offset);
    // as parseDocument does: the first document; a second one is an error
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
    // yaml makes an Error per syntax error; their stacks are never read, and capturing them was most of
    // the time of a file of 100,000 stray commas (one error each)
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (const d of composer.compose(tokens, true, text.length)) {
        if (!doc) { doc = d; continue; }
        doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
  } catch (e) {
    // the bound above keeps yaml inside its limits; if it still throws, that is one located problem
    return err({ line: 1, col: 1, rule: 'yaml_unreadable', message: `the YAML parser failed (${e instanceof Error ? e.message : String(e)})` });
  }
  if (!doc) return err({ line: 1, col: 1, rule: 'yaml_unreadable', message: 'the YAML parser returned no document' });
  const at = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  if (doc.errors.length > 0) {
    // the first MAX_SYNTAX_PROBLEMS are listed, the rest counted: 80,000 commas in a flow map are
    // 79,999 yaml errors, and a list that long helps nobody (and cost 0.8 s to build and print)
    const listed = doc.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((e) => {
      const rule = RULES[e.code] ?? 'yaml_syntax';
      return { ...at(e.pos[0]), rule, message: firstLine(e.message), ...(HINTS[rule] ? { hint: HINTS[rule] } : {}), severity: 'error' as const };
    });
    const rest = doc.errors.length - listed.length;
    if (rest > 0) {
      listed.push({ ...at(doc.errors[MAX_SYNTAX_PROBLEMS]!.pos[0]), rule: 'yaml_too_many_errors', message: `${rest} more YAML error(s) from here on are not listed (${doc.errors.length} in all)`, hint: 'fix the first ones: the rest often follow from them', severity: 'error' as const });
    }
    return { problems: listed };
  }
  const problems: YamlProblem[] = [
    ...doc.warnings.map((w) => ({ ...at(w.pos[0]), rule: 'yaml_warning', message: firstLine(w.message), severity: 'warning' as const })),
    ...structureProblems(doc, lineCounter, opts),
  ];
  return problems.some((p) => p.severity === 'error') ? { problems } : { doc, lineCounter, problems };
}

/**
 * Aliases and keys, in one pre-order walk (the order in which yaml itself binds anchors). Duplicate
 * keys are found here with a set per map: yaml's own uniqueKeys check compares each key with every
 * earlier one (a 1 MB map of 100,000 keys took 48 s), so the parser runs without it.
 */
function structureProblems(doc: Document, lineCounter: LineCounter, opts: GuardOptions): YamlProblem[] {
  const out: YamlProblem[] = [];
  const anchors = new Map<string, Node>();
  const at = (n: { range?: [number, number, number] | null } | null | undefined) => lineCounter.linePos(n?.range?.[0] ?? 0);
  const add = (n: Node, p: Omit<YamlProblem, 'severity' | 'line' | 'col'>) => out.push({ ...at(n), ...p, severity: 'error' });
  const onNode = (node: Node, path: readonly unknown[]) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (opts.aliases === 'refuse') {
        add(node, { rule: 'yaml_alias_unsupported', message: `alias *${node.source}: this file does not use YAML anchors and aliases`, hint: 'repeat the value, or share it with extends: or a template' });
      } else if (!target) {
        add(node, { rule: 'yaml_alias_unknown', message: `alias *${node.source} names no anchor defined before it`, hint: `define &${node.source} earlier in the file, or quote the value if "*" is meant literally` });
      } else if (path.includes(target)) {
        add(node, { rule: 'yaml_alias_cycle', message: `alias *${node.source} is inside the value it refers to` });
      }
      return;
    }
    if (node.anchor) anchors.set(node.anchor, node);
  };
  visit(doc, {
    Scalar: (_k, n, path) => onNode(n, path),
    Alias: (_k, n, path) => onNode(n, path),
    Seq: (_k, n, path) => onNode(n, path),
    Map(_k, map, path) {
      onNode(map, path);
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (isNode(k) && (isCollection(k) || isAlias(k))) {
          add(k, { rule: 'yaml_complex_key', message: 'a key must be a plain value (text or number), not a map, list or alias', hint: 'remove the "?" or the brackets around the key' });
          continue;
        }
        const text = isScalar(k) ? String(k.value) : String(k);
        if (seen.has(text)) {
          add(isNode(k) ? k : map, { rule: 'yaml_duplicate_key', message: `key "${text}" appears twice in this map`, hint: HINTS.yaml_duplicate_key });
        }
        seen.add(text);
      }
    },
  });
  return out;
}

function forbidden(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c >= 0x7f && c <= 0x9f) return c !== 0x85;
  return c === 0xfffe || c === 0xffff;
}

/** The first character YAML does not allow in a stream (C0/C1 controls but tab/LF/CR/NEL, DEL, U+FFFE/FFFF), or undefined. */
export function firstForbiddenCharacter(text: string): { line: number; col: number; code: number } | undefined {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) { line++; lineStart = i + 1; continue; }
    if (forbidden(c)) return { line, col: i - lineStart + 1, code: c };
  }
  return undefined;
}
