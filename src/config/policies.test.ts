import { describe, expect, it } from 'vitest';
import { policiesFor } from './policies.ts';
import type { PartnerProfile } from './types.ts';

const partner = (extra: Partial<PartnerProfile>): PartnerProfile =>
  ({ id: 'p', name: 'P', status: 'production', identifiers: {}, file: '/p.yaml', secrets: {}, ...extra }) as PartnerProfile;

describe('partner policies', () => {
  it('fills what the profile leaves out and keeps what it says', () => {
    const p = policiesFor(partner({ acks: { x12: '999' }, throttle: { ratePerSecond: 5 } }));
    expect(p.acks).toEqual({ x12: '999', ta1: 'on_error', edifact: 'none', expectWithinMinutes: 1440 });
    expect(p.throttle).toEqual({ ratePerSecond: 5, burst: 100, concurrency: 4 });
    expect(p.duplicates).toEqual({ policy: 'reject', windowDays: 90 });
    expect(p.rules).toEqual({ priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'hold', receiptTolerancePercent: 0, matchInvoiceTo: 'shipped', receiptOverdueDays: 5 });
  });
});
