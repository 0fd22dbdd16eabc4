/**
 * A role only one gateway node plays at a time (a partner's SFTP poller, the ERP push
 * dispatcher), held through a named lease in the Store (acquireLease/releaseLease). The node
 * tries to take the lease every third of its length; while it holds it, that same attempt renews
 * it. Winning starts the role; a renewal that fails (the lease ran out and another node took it,
 * or the database is out of reach) stops it; stop() stops it and gives the lease back so another
 * node takes over at once. A node that dies stops renewing, and another takes over once the
 * lease runs out: at most a lease plus a third of it later.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';

export interface LeasedRoleDeps {
  /** the lease's name, e.g. `sftp:acme` */
  name: string;
  /** this node (the lease holder) */
  holder: string;
  /** how long the lease lasts unless renewed */
  leaseMs: number;
  acquire(name: string, holder: string, until: string, now: string): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  clock: Clock;
  logger: Logger;
  /** what the role is, for the log */
  role: string;
  /** the lease was won: start the role */
  onAcquired(): void | Promise<void>;
  /** the lease was lost or given up: stop the role (resolve once it has stopped) */
  onLost(): Promise<void>;
}

export interface LeasedRole {
  /** the first attempt to take the lease (the role is started when it was won); later attempts run on a timer */
  start(): Promise<void>;
  held(): boolean;
  /** stops the role and gives the lease back */
  stop(): Promise<void>;
}

export function createLeasedRole(deps: LeasedRoleDeps): LeasedRole {
  const { name, holder, logger } = deps;
  const every = Math.max(10, deps.leaseMs / 3);
  let holding = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    if (stopped) return;
    const now = deps.clock.now();
    let won: boolean;
    try {
      won = await deps.acquire(name, holder, new Date(now.getTime() + deps.leaseMs).toISOString(), now.toISOString());
    } catch (e) {
      logger.warn(`${deps.role}: lease not renewed (database out of reach?)`, { lease: name, holder, error: String(e) });
      won = false;
    }
    // a lease won while stop() waits for this attempt is given back by stop(): it sees `holding`
    if (won && !holding) {
      holding = true;
      logger.info(`${deps.role}: lease taken, this node plays the role`, { lease: name, holder });
      await deps.onAcquired();
    } else if (!won && holding) {
      holding = false;
      logger.warn(`${deps.role}: lease lost, this node stops`, { lease: name, holder });
      await deps.onLost();
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => { attempt = tick().catch(report).finally(schedule); }, every);
    timer.unref();
  };
  const report = (e: unknown) => logger.error(`${deps.role}: lease attempt failed`, { lease: name, holder, error: String(e) });

  return {
    start() {
      attempt = tick().catch(report).finally(schedule);
      return attempt;
    },
    held: () => holding,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await attempt;
      await deps.onLost();
      if (holding) {
        holding = false;
        await deps.release(name, holder).catch((e) => logger.warn(`${deps.role}: lease not released (it runs out by itself)`, { lease: name, error: String(e) }));
      }
    },
  };
}
