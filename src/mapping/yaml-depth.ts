/**
 * Nesting depth of a YAML text, measured on yaml's concrete syntax tree before the composer
 * (which recurses per level) sees it. yaml's lexer and parser keep their own stacks, so reading
 * the CST of any depth is safe; this walk keeps its own stack too. Every block map, block
 * sequence and flow collection is one level, and so is the map the composer makes of a pair
 * inside a flow sequence, exactly as the composer will nest them.
 */
import { CST, Lexer } from 'yaml';

export interface DepthExcess { depth: number; offset: number }

/**
 * A quick lower bound, stopping at the first excess: yaml's parser spends about 7 µs per open
 * bracket, so 128 KB of "[" would hold the event loop near a second before the exact count below
 * could refuse it. The lexer is a generator; this reads it only up to the excess. It counts open
 * flow brackets plus the block indicators ("- ", "? ") on the current line, each of which opens
 * one more level than the one before it on that line: never more than the real depth.
 */
export function findExcessiveNestingEarly(text: string, maxDepth: number): DepthExcess | undefined {
  let flow = 0;
  let onLine = 0;
  let offset = 0;
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    const type = scalarNext ? 'scalar-source' : CST.tokenType(token);
    scalarNext = false;
    if (type === 'scalar') { scalarNext = true; continue; } // a control token; the source follows
    if (type === 'doc-mode') continue;
    if (type === 'flow-error-end' || type === 'doc-start' || type === 'doc-end') { flow = 0; onLine = 0; }
    else if (type === 'newline') onLine = 0;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind')) onLine++;
    if (flow + onLine > maxDepth) return { depth: flow + onLine, offset };
    offset += token.length;
  }
  return undefined;
}

type Tok = CST.Token | null | undefined;

/** The first collection (in document order) nested deeper than `maxDepth`, or undefined. */
export function findExcessiveNesting(tokens: readonly CST.Token[], maxDepth: number): DepthExcess | undefined {
  // depth-first, children in reverse so the first excess found is the first in the text
  const stack: Array<[Tok, number]> = [];
  for (let i = tokens.length - 1; i >= 0; i--) stack.push([tokens[i], 0]);
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    switch (t.type) {
      case 'document':
        stack.push([t.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const d = depth + 1;
        if (d > maxDepth) return { depth: d, offset: t.type === 'flow-collection' ? t.start.offset : t.offset };
        const items = t.items as ReadonlyArray<{ key?: Tok; sep?: CST.SourceToken[]; value?: Tok }>;
        const flowSeq = t.type === 'flow-collection' && t.start.source === '[';
        for (let i = items.length - 1; i >= 0; i--) {
          const it = items[i]!;
          // `[a: b]`: the composer wraps the pair in a map of its own, one level more
          const inner = flowSeq && (it.key || it.sep?.some((s) => s.type === 'map-value-ind')) ? d + 1 : d;
          stack.push([it.value, inner]);
          stack.push([it.key, inner]);
        }
        break;
      }
      default:
        // scalars, aliases, comments, directives, errors: no nesting
        break;
    }
  }
  return undefined;
}
