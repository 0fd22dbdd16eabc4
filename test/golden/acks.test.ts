/**
 * The functional acknowledgement each golden X12 case must get back: `expected-ack.edi` beside the
 * input holds the ST..SE written by hand from the 997 / 999 standards (AK5/IK5 per set, AK9 per
 * group, AK103 only from 005010 on). 997 or 999 is the partner's `acks.x12` setting; cases with no
 * partner get a 997 in the version of the received group.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFixtureCases } from '../../src/cli/fixtures.ts';
import { build997, build999, DEFAULT_DELIMITERS_4010, writeTransaction } from '../../src/formats/x12/index.ts';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';
import { loadRepoConfig, repoRoot } from './gateway-config.ts';

const { config } = loadRepoConfig();

/** cases whose acknowledgement the X12 engine does not produce yet: case -> what is missing */
const knownGaps: Record<string, string> = {};
const cases = listFixtureCases(path.join(repoRoot, 'fixtures')).filter((c) => existsSync(path.join(c.dir, 'expected-ack.edi')));

describe('functional acknowledgements for the golden X12 cases', () => {
  it('the X12 golden cases carry an expected acknowledgement', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });

  for (const c of cases) {
    const gap = knownGaps[`${c.group}/${c.name}`];
    (gap ? it.fails : it)(`${c.group}/${c.name}${gap ? ` (known gap: ${gap})` : ''}`, () => {
      const kind = config.partner(c.group)?.acks?.x12 ?? '997';
      const split = createX12FormatReader().splitX12(readFileSync(c.input));
      expect(split.groups).toHaveLength(1);
      const received = split.groups[0]!.group;
      const tree = kind === '999' ? build999(received, { controlNumber: '0001' }) : build997(received, { controlNumber: '0001' });
      const text = writeTransaction({ tree }, { ...DEFAULT_DELIMITERS_4010, lineBreak: '\n' }).text;
      expect(text).toBe(readFileSync(path.join(c.dir, 'expected-ack.edi'), 'utf8'));
    });
  }
});
