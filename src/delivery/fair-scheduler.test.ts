import { describe, expect, it } from 'vitest';
import { createFairScheduler } from './fair-scheduler.ts';

interface J { partnerId: string; id: string }
const jobs = (partnerId: string, n: number): J[] => Array.from({ length: n }, (_, i) => ({ partnerId, id: `${partnerId}${i + 1}` }));
const ids = (js: J[]) => js.map((j) => j.id);

describe('fair scheduler', () => {
  it('alternates partners: a flood from A does not push B back', () => {
    const s = createFairScheduler({ maxConcurrency: 4, perPartnerConcurrency: 100 });
    const queues = new Map([['A', jobs('A', 10_000)], ['B', jobs('B', 2)]]);
    const picked = s.pick({ queues, inFlight: () => 0, globalInFlight: 0, tryTakeToken: () => true });
    expect(ids(picked)).toEqual(['A1', 'B1', 'A2', 'B2']);
  });

  it('when the global cap cuts a round short, the partners left out go first next time', () => {
    const s = createFairScheduler({ maxConcurrency: 1, perPartnerConcurrency: 1 });
    const queues = new Map([['A', jobs('A', 5)], ['B', jobs('B', 5)], ['C', jobs('C', 5)]]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push(...ids(s.pick({ queues, inFlight: () => 0, globalInFlight: 0, tryTakeToken: () => true })));
    expect(order).toEqual(['A1', 'B1', 'C1', 'A1']);
  });

  it('respects the per-partner cap and jobs already in flight', () => {
    const s = createFairScheduler({ maxConcurrency: 10, perPartnerConcurrency: 2 });
    const queues = new Map([['A', jobs('A', 5)], ['B', jobs('B', 5)]]);
    const picked = s.pick({ queues, inFlight: (p) => (p === 'A' ? 1 : 0), globalInFlight: 1, tryTakeToken: () => true });
    expect(ids(picked).sort()).toEqual(['A1', 'B1', 'B2']);
  });

  it('a partner without a token is skipped, and does not bank credit for later', () => {
    const s = createFairScheduler({ maxConcurrency: 3, perPartnerConcurrency: 10 });
    const queues = new Map([['A', jobs('A', 5)], ['B', jobs('B', 5)]]);
    let aTokens = 0;
    const take = (p: string) => (p === 'A' ? (aTokens > 0 ? (aTokens--, true) : false) : true);
    expect(ids(s.pick({ queues, inFlight: () => 0, globalInFlight: 0, tryTakeToken: take }))).toEqual(['B1', 'B2', 'B3']);
    aTokens = 5;
    // A's turn again, one job per round like everybody: no saved-up burst
    expect(ids(s.pick({ queues, inFlight: () => 0, globalInFlight: 0, tryTakeToken: take }))).toEqual(['A1', 'B1', 'A2']);
  });

  it('weights give proportional shares (deficit round robin)', () => {
    const s = createFairScheduler({ maxConcurrency: 6, perPartnerConcurrency: 10, weightFor: (p) => (p === 'A' ? 2 : 1) });
    const queues = new Map([['A', jobs('A', 10)], ['B', jobs('B', 10)]]);
    expect(ids(s.pick({ queues, inFlight: () => 0, globalInFlight: 0, tryTakeToken: () => true }))).toEqual(['A1', 'A2', 'B1', 'A3', 'A4', 'B2']);
  });

  it('picks nothing when the global cap is already reached', () => {
    const s = createFairScheduler({ maxConcurrency: 2, perPartnerConcurrency: 2 });
    expect(s.pick({ queues: new Map([['A', jobs('A', 3)]]), inFlight: () => 0, globalInFlight: 2, tryTakeToken: () => true })).toEqual([]);
  });
});
