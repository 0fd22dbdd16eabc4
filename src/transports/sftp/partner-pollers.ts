/**
 * One SFTP poller per partner with an `sftp:` block, kept in step with the live configuration:
 * a reload that changes a partner's block restarts its poller; a removed block stops it. A
 * partner whose credentials cannot be read gets no poller and a visible alert instead.
 *
 * With `lease` (several gateway nodes on one database), a partner's poller runs only on the node
 * holding the named lease `sftp:<partnerId>` (src/db/leased-role.ts), so two nodes never
 * download the same file: the holder renews it every third of its length while polling, stops
 * polling when a renewal fails, and gives it back when it stops; when it dies, another node takes
 * over once the lease runs out.
 */
import type { Clock } from '../../core/clock.ts';
import type { Ingest } from '../../core/ingest.ts';
import type { Logger } from '../../core/logger.ts';
import { createLeasedRole, type LeasedRole } from '../../db/leased-role.ts';
import type { SftpSourceConfig } from './config.ts';
import type { SftpSecrets } from './connect.ts';
import { createSftpPoller, type SftpAlert, type SftpPoller, type SftpPollerDeps, type SftpPollerStatus } from './poller.ts';

export interface SftpPartner {
  id: string;
  sftp?: Record<string, unknown>;
}

export interface SftpPollerSetDeps {
  ingest: Ingest;
  clock: Clock;
  logger: Logger;
  secretsFor(partner: SftpPartner): SftpSecrets;
  onAlert?: (alert: SftpAlert) => void;
  /** the largest message the gateway accepts: a bigger remote file is refused with an alert and left alone */
  maxMessageBytes?: number;
  /** files larger than thresholdBytes are streamed into the file store as they download */
  spool?: SftpPollerDeps['spool'];
  /** poll a partner only while holding its lease (Store.acquireLease); without it every partner is polled here */
  lease?: SftpPollerLease;
}

export interface SftpPollerLease {
  /** this node, the lease holder */
  holder: string;
  /** how long a lease lasts unless renewed; renewed (and, by a standby node, tried) every third of it */
  leaseMs: number;
  acquire(name: string, holder: string, until: string, now: string): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** the lease that lets one node poll a partner's server */
export const sftpLeaseName = (partnerId: string) => `sftp:${partnerId}`;

export function createSftpPollerSet(deps: SftpPollerSetDeps) {
  const running = new Map<string, { key: string; poller: SftpPoller; leaseLoop?: LeasedRole }>();
  const broken = new Map<string, { code: string; message: string; at: string }>();

  async function stopOne(id: string) {
    const r = running.get(id);
    running.delete(id);
    if (r?.leaseLoop) await r.leaseLoop.stop();
    else await r?.poller.stop();
  }

  return {
    /** starts, restarts or stops pollers so they match the partners given; with a lease, the first attempt to take it is awaited */
    async sync(partners: SftpPartner[]): Promise<void> {
      const wanted = new Map(partners.filter((p) => p.sftp).map((p) => [p.id, p]));
      for (const id of [...running.keys()]) {
        const p = wanted.get(id);
        if (!p || JSON.stringify(p.sftp) !== running.get(id)!.key) await stopOne(id);
      }
      const firstAttempts: Array<Promise<void>> = [];
      for (const [id, p] of wanted) {
        if (running.has(id)) continue;
        let secrets: SftpSecrets;
        try {
          secrets = deps.secretsFor(p);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          broken.set(id, { code: 'sftp_credentials_unreadable', message, at: deps.clock.now().toISOString() });
          deps.logger.error('SFTP poller not started', { partnerId: id, error: message });
          continue;
        }
        broken.delete(id);
        const config = p.sftp as unknown as SftpSourceConfig;
        const cap = deps.maxMessageBytes;
        const poller = createSftpPoller({
          partnerId: id, ingest: deps.ingest, secrets,
          config: cap === undefined ? config : { ...config, maxFileBytes: Math.min(config.maxFileBytes ?? cap, cap) },
          clock: deps.clock, logger: deps.logger, onAlert: deps.onAlert, spool: deps.spool,
        });
        if (deps.lease) {
          const leaseLoop = createLeasedRole({
            ...deps.lease, name: sftpLeaseName(id), clock: deps.clock, logger: deps.logger, role: `SFTP poller of ${id}`,
            onAcquired: () => poller.start(), onLost: () => poller.stop(),
          });
          running.set(id, { key: JSON.stringify(p.sftp), poller, leaseLoop });
          firstAttempts.push(leaseLoop.start());
        } else {
          running.set(id, { key: JSON.stringify(p.sftp), poller });
          poller.start();
        }
      }
      await Promise.all(firstAttempts);
    },
    status(): Array<(SftpPollerStatus & { lease?: 'held' | 'standby' }) | { partnerId: string; running: false; lastError: { code: string; message: string; at: string } }> {
      return [
        ...[...running.values()].map((r) => ({ ...r.poller.status(), ...(r.leaseLoop ? { lease: r.leaseLoop.held() ? 'held' as const : 'standby' as const } : {}) })),
        ...[...broken].map(([partnerId, lastError]) => ({ partnerId, running: false as const, lastError })),
      ];
    },
    poller: (partnerId: string) => running.get(partnerId)?.poller,
    async stopAll(): Promise<void> {
      await Promise.all([...running.keys()].map(stopOne));
    },
  };
}
