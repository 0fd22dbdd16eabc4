/**
 * The acknowledgements a whole golden file gets back, as the gateway makes them: the reader splits
 * the file, the partner's duplicate policy (stages/dedupe.ts) decides each repeat inside it, and
 * the reader's own acknowledge() writes the TA1 / 997 / 999 / CONTRL. `expected-acks.edi` beside
 * the input holds, written by hand from the standards, the body of each acknowledgement in order
 * (X12: the TA1 segment and ST..SE; EDIFACT: UNH..UNT), one segment a line, a blank line between
 * acknowledgements; envelopes (ISA/GS/UNB...) carry our ids and dates and are left out. The ack
 * policy is the partner's (defaults: 997, TA1 on error); an EDIFACT case gets the CONTRL a partner
 * asking for one gets. Also: `expected-warnings.json` (codes every document carries) is checked here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFixtureCases } from '../../src/cli/fixtures.ts';
import { createReaders } from '../../src/pipeline/inbound/readers.ts';
import { dedupeInMessage } from '../../src/pipeline/inbound/stages/dedupe.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from './gateway-config.ts';

const { config, deps } = loadRepoConfig();
const all = listFixtureCases(path.join(repoRoot, 'fixtures'));
const withAcks = all.filter((c) => existsSync(path.join(c.dir, 'expected-acks.edi')));
const withWarnings = all.filter((c) => existsSync(path.join(c.dir, 'expected-warnings.json')));

/** the acknowledgement bodies of a file, as expected-acks.edi writes them */
async function acksOf(bytes: Buffer, format: 'x12' | 'edifact', partnerId: string | undefined): Promise<string> {
  const partner = partnerId ? config.partner(partnerId) : undefined;
  const split = await createReaders()[format]!.split(bytes, { partnerId, metadata: {} });
  for (const unit of split.units) {
    if (!unit.duplicate || unit.errors.length > 0) continue;
    try { dedupeInMessage(partner?.duplicates?.policy ?? 'reject', partnerId, 'golden', unit); } catch { /* rejected: the verdict is on the mark */ }
  }
  let n = 0;
  const acks = await split.acknowledge!({
    policy: { x12: partner?.acks?.x12 ?? '997', ta1: partner?.acks?.ta1 ?? 'on_error', edifact: 'contrl' },
    duplicateInterchanges: new Set(), issue: async () => ++n, now: new Date('2026-12-07T12:00:00Z'),
  });
  return acks.map((a) => {
    const text = a.text || [...(a.body?.() ?? [])].join('') || Buffer.from(a.bytes ?? []).toString('latin1');
    const segs = text.split(format === 'x12' ? '~' : "'").map((s) => s.trim()).filter(Boolean);
    const body = format === 'x12'
      ? segs.filter((s) => !/^(ISA|GS|GE|IEA)\*/.test(s))
      : segs.filter((s) => !/^(UNA|UNB|UNZ)\+/.test(s) && !s.startsWith('UNA:'));
    return body.join('\n') + '\n';
  }).join('\n');
}

/** cases whose acknowledgement the gateway does not give yet: case -> what is wrong (the expectation is the standard's) */
const knownGaps: Record<string, string> = {};

describe('acknowledgements of whole golden files (reader + duplicate policy + acknowledge)', () => {
  it('the issue 14 cases are here', () => {
    expect(withAcks.length).toBeGreaterThanOrEqual(15);
  });
  for (const c of withAcks) {
    const gap = knownGaps[`${c.group}/${c.name}`];
    (gap ? it.fails : it)(`${c.group}/${c.name}${gap ? ` (known gap: ${gap})` : ''}`, async () => {
      const bytes = readFileSync(c.input);
      const format = bytes.subarray(0, 3).toString() === 'ISA' ? 'x12' : 'edifact';
      const partnerId = config.partner(c.group) ? c.group : undefined;
      expect(await acksOf(bytes, format, partnerId)).toBe(readFileSync(path.join(c.dir, 'expected-acks.edi'), 'utf8'));
    });
  }
});

describe('warnings the golden documents carry (expected-warnings.json)', () => {
  for (const c of withWarnings) {
    it(`${c.group}/${c.name}`, async () => {
      const expected = (JSON.parse(readFileSync(path.join(c.dir, 'expected-warnings.json'), 'utf8')) as Array<{ code: string }>).map((w) => w.code);
      const got = await translateFile(deps, readFileSync(c.input), {});
      expect(got.documents.length).toBeGreaterThan(0);
      for (const d of got.documents) expect((d.warnings ?? []).map((w) => w.code)).toEqual(expected);
    });
  }
});
