/**
 * Chooses which partners' jobs start next: deficit round robin across partners that have due
 * jobs, a free per-partner slot and a token, under a global concurrency cap. Each round a partner
 * earns `weight` (default 1) credits and spends one per job started; a partner that cannot use its
 * credit (nothing due, no token, at its cap) loses it, so nobody hoards a burst. The next call starts
 * after the last partner served, so when the global cap cuts a round short the partners left out
 * go first next time. One partner's 10,000 queued jobs thus cost every other partner at most one
 * job of waiting per round.
 */
export interface SchedulableJob {
  partnerId: string;
}

export interface SchedulerInput<J extends SchedulableJob> {
  /** due jobs per partner, each list in the partner's delivery order */
  queues: ReadonlyMap<string, readonly J[]>;
  /** jobs of this partner running now */
  inFlight(partnerId: string): number;
  /** jobs running now across all partners */
  globalInFlight: number;
  /** takes one token from the partner's throttle; false when none is available */
  tryTakeToken(partnerId: string): boolean;
}

export interface FairSchedulerOptions {
  maxConcurrency: number;
  perPartnerConcurrency: number;
  /** relative share of a partner (default 1): credits earned per round */
  weightFor?: (partnerId: string) => number;
}

export interface FairScheduler {
  pick<J extends SchedulableJob>(input: SchedulerInput<J>): J[];
}

export function createFairScheduler(opts: FairSchedulerOptions): FairScheduler {
  const maxConcurrency = Math.max(1, Math.floor(opts.maxConcurrency));
  const perPartner = Math.max(1, Math.floor(opts.perPartnerConcurrency));
  const weightFor = opts.weightFor ?? (() => 1);
  /** every partner ever seen, in first-seen order: the round-robin ring */
  const ring: string[] = [];
  const known = new Set<string>();
  const deficit = new Map<string, number>();
  let cursor = 0;

  return {
    pick<J extends SchedulableJob>(input: SchedulerInput<J>): J[] {
      for (const partnerId of input.queues.keys()) {
        if (!known.has(partnerId)) { known.add(partnerId); ring.push(partnerId); }
      }
      const picked: J[] = [];
      const taken = new Map<string, number>();
      let global = input.globalInFlight;
      if (ring.length === 0) return picked;

      let progress = true;
      while (progress && global < maxConcurrency) {
        progress = false;
        const start = cursor;
        for (let step = 0; step < ring.length && global < maxConcurrency; step++) {
          const index = (start + step) % ring.length;
          const partnerId = ring[index]!;
          const queue = input.queues.get(partnerId) ?? [];
          let used = taken.get(partnerId) ?? 0;
          let credit = (deficit.get(partnerId) ?? 0) + Math.max(0, weightFor(partnerId));
          let served = false;
          let blocked = false;
          while (credit >= 1 && global < maxConcurrency) {
            if (used >= queue.length || input.inFlight(partnerId) + used >= perPartner
              || !input.tryTakeToken(partnerId)) { blocked = true; break; }
            picked.push(queue[used]!);
            used++;
            global++;
            credit--;
            served = true;
          }
          taken.set(partnerId, used);
          // credit is kept only while the partner could still use it (short of credit, not of work,
          // slots or tokens): an idle or throttled partner does not save up a burst
          deficit.set(partnerId, blocked ? 0 : credit);
          if (served) { progress = true; cursor = (index + 1) % ring.length; }
        }
      }
      return picked;
    },
  };
}
