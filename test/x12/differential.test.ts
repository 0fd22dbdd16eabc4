/**
 * Differential check against node-x12's whole-file parser (an independent implementation) on
 * the conformance files it can read: same transaction sets, same segments, same element values.
 * node-x12 is used only here, on small files (PLATFORM-NOTES: never on the data path).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Element, Segment } from '../../src/formats/wire.ts';
import { parseX12 } from '../../src/formats/x12/reader.ts';
import type { TransactionItem } from '../../src/formats/x12/types.ts';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = resolve(repoRoot, '../shared/conformance/x12');

interface NxSegment { tag: string; elements: Array<{ value: string }> }
interface NxInterchange { functionalGroups?: Array<{ transactions: Array<{ segments: NxSegment[] }> }> }
const { X12Parser } = require('node-x12') as { X12Parser: new (strict?: boolean) => { parse(edi: string): NxInterchange } };

/** node-x12 cannot read this one; the reason is theirs, not a difference in content. */
const SKIP: Record<string, string> = {
  'staedi_210_wrapped_80_columns.edi': 'node-x12 throws on a file hard-wrapped at 80 columns (line breaks inside segments)',
};

function text(e: Element | undefined, seg: Segment, i: number, comp: string, rep: string | undefined): string {
  const one = (x: Element | undefined): string => (x === undefined ? '' : typeof x === 'string' ? x : x.join(comp));
  const reps = seg.repeats?.[i];
  if (reps && rep) return reps.map(one).join(rep);
  return one(e);
}

function flatten(node: TransactionItem['tree']['root'], out: Segment[] = []): Segment[] {
  for (const c of node.children) { if ('tag' in c) out.push(c); else flatten(c, out); }
  return out;
}

describe.skipIf(!existsSync(root))('differential: node-x12 whole-file parse', () => {
  const files = existsSync(root) ? readdirSync(root).filter((f) => f.endsWith('.edi') && !SKIP[f]) : [];
  it('compares enough files', () => { expect(files.length).toBeGreaterThanOrEqual(20); });
  for (const f of files) {
    it(f, () => {
      const raw = readFileSync(resolve(root, f), 'utf8');
      const theirs = new X12Parser(false).parse(raw);
      const ours = parseX12(raw).filter((i): i is TransactionItem => i.kind === 'transaction');
      const theirSets = (theirs.functionalGroups ?? []).flatMap((g) => g.transactions);
      expect(ours.length).toBe(theirSets.length);
      ours.forEach((t, k) => {
        const d = t.interchange.delimiters;
        // node-x12 leaves out ST and SE; our tree keeps them. HL nesting keeps document order in these files.
        const mine = flatten(t.tree.root).filter((s) => s.tag !== 'ST' && s.tag !== 'SE')
          .map((s) => [s.tag, ...s.elements.map((e, i) => text(e, s, i, d.component, d.repetition))]);
        const other = (theirSets[k]?.segments ?? []).map((s) => [s.tag, ...s.elements.map((e) => e.value)]);
        expect(mine).toEqual(other);
      });
    });
  }
});
