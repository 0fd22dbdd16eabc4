/**
 * A partner's operating policies with the gateway's defaults filled in, so the pipeline, the
 * delivery throttle and the correlation rules read one complete object instead of repeating
 * defaults. Defaults are conservative: 997 for X12, TA1 only on envelope errors, no CONTRL
 * unless asked for, duplicates refused within 90 days, hold on a tolerance violation.
 */
import type { PartnerProfile } from './types.ts';

export interface PartnerPolicies {
  acks: { x12: '997' | '999' | 'none'; ta1: 'always' | 'on_error' | 'never'; edifact: 'contrl' | 'none'; expectWithinMinutes: number };
  duplicates: { policy: 'reject' | 'skip' | 'process'; windowDays: number };
  throttle: { ratePerSecond: number; burst: number; concurrency: number };
  rules: {
    priceTolerancePercent: number; quantityTolerancePercent: number; onViolation: 'hold' | 'warn';
    receiptTolerancePercent: number; matchInvoiceTo: 'received' | 'shipped'; receiptOverdueDays: number;
  };
}

export const POLICY_DEFAULTS: PartnerPolicies = Object.freeze({
  acks: { x12: '997', ta1: 'on_error', edifact: 'none', expectWithinMinutes: 1440 },
  duplicates: { policy: 'reject', windowDays: 90 },
  throttle: { ratePerSecond: 50, burst: 100, concurrency: 4 },
  rules: { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'hold', receiptTolerancePercent: 0, matchInvoiceTo: 'shipped', receiptOverdueDays: 5 },
}) as PartnerPolicies;

export function policiesFor(partner: PartnerProfile): PartnerPolicies {
  const d = POLICY_DEFAULTS;
  return {
    acks: { ...d.acks, ...partner.acks },
    duplicates: { ...d.duplicates, ...partner.duplicates },
    throttle: { ...d.throttle, ...partner.throttle },
    rules: { ...d.rules, ...partner.rules },
  };
}
