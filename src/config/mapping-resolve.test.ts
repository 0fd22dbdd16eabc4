import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { edifactOrdinal, mappingCandidates, nearestBaseVersions, normaliseVersion } from './mapping-resolve.ts';

describe('versions', () => {
  it('normalises X12 GS08 and EDIFACT S001 forms', () => {
    expect(normaliseVersion('x12', '004010VICS')).toBe('004010');
    expect(normaliseVersion('x12', '005010X222A1')).toBe('005010');
    expect(normaliseVersion('edifact', 'D:96A')).toBe('D96A');
    expect(normaliseVersion('edifact', 'd01b')).toBe('D01B');
    expect(normaliseVersion('csv', undefined)).toBeUndefined();
  });

  it('orders EDIFACT directories across the century: D99B < D00A', () => {
    expect(edifactOrdinal('D99B')! < edifactOrdinal('D00A')!).toBe(true);
    expect(edifactOrdinal('D96A')! < edifactOrdinal('D96B')!).toBe(true);
    expect(edifactOrdinal('S93A')).toBeUndefined();
  });

  it('X12 bands and EDIFACT nearest-present', () => {
    // 002000..004060 read through the bases of that band that are present, nearest first (6636b0f)
    expect(nearestBaseVersions('x12', '003040', ['004010'])).toEqual(['004010']);
    expect(nearestBaseVersions('x12', '002040', ['004010', '003010'])).toEqual(['003010', '004010']);
    expect(nearestBaseVersions('x12', '003060', ['004010', '003010'])).toEqual(['003010', '004010']);
    expect(nearestBaseVersions('x12', '003040', [])).toEqual([]);
    // the exact version is a candidate of its own, not a nearest one; 005010 variants read the 005010 base
    expect(nearestBaseVersions('x12', '004010', ['004010'])).toEqual([]);
    expect(nearestBaseVersions('x12', '005010X222', [])).toEqual(['005010']);
    expect(nearestBaseVersions('x12', '005010', ['004010'])).toEqual([]);
    expect(nearestBaseVersions('x12', '006020', ['004010'])).toEqual([]);
    expect(nearestBaseVersions('edifact', 'D97A', ['D96A', 'D01B', 'D10A'])).toEqual(['D96A', 'D01B', 'D10A']); // any D directory, nearest first (785c3a8)
    expect(nearestBaseVersions('edifact', 'D00B', ['D96A', 'D01B'])).toEqual(['D01B', 'D96A']);
  });
});

describe('candidates', () => {
  it('most specific first', () => {
    const root = '/m';
    expect(mappingCandidates(root, 'acme', { 'x12-856.inbound': '/p/asn.yaml' }, { format: 'x12', message: '856', version: '003050', direction: 'inbound' }, ['004010'])).toEqual([
      '/p/asn.yaml',
      path.join(root, 'acme/x12-003050-856.inbound.yaml'),
      path.join(root, 'acme/x12-856.inbound.yaml'),
      path.join(root, '_base/x12-003050-856.inbound.yaml'),
      path.join(root, '_base/x12-004010-856.inbound.yaml'),
      path.join(root, '_base/x12-856.inbound.yaml'),
    ]);
  });
});
