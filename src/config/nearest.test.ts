import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from './nearest.ts';

describe('nearest key', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('identifers', 'identifiers')).toBe(1);
    expect(editDistance('stauts', 'status')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ratePerSecnd', 'ratePerSecond')).toBe(1);
  });

  it('suggests only a plausible typo', () => {
    expect(nearest('identifers', ['id', 'name', 'identifiers'])).toBe('identifiers');
    expect(nearest('Status', ['status', 'name'])).toBe('status');
    expect(nearest('zzzzzzzz', ['id', 'name', 'status'])).toBeUndefined();
  });
});
