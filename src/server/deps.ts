import type { Clock } from '../core/clock.ts';
import type { Ingest } from '../core/ingest.ts';
import type { Logger } from '../core/logger.ts';
import type { StorageHealth } from '../db/storage-health.ts';
import type { Store } from '../db/store.ts';
import type { ConfigView } from '../pipeline/inbound/config-port.ts';
import type { MessageOutcome } from '../pipeline/inbound/process-message.ts';
import type { createExceptionQueue } from '../pipeline/inbound/replay.ts';
import type { OverdueMonitor } from '../pipeline/lifecycle/overdue.ts';
import type { OutboundService } from '../pipeline/outbound/service.ts';
import type { StaffToken } from './auth.ts';
import type { PortalOptions } from './portal/routes.ts';

export interface ServerConfigView extends ConfigView {
  partners: Array<{ id: string; name?: string; status: string }>;
  byApiKey(key: string): { id: string } | undefined;
  disabled?: NonNullable<ConfigView['disabled']> & { byApiKey(key: string): { id: string } | undefined };
}

export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: () => ServerConfigView;
  ingest: Ingest;
  runNow(messageId: string, by?: string): Promise<MessageOutcome>;
  exceptionQueue: ReturnType<typeof createExceptionQueue>;
  outbound?: OutboundService;
  overdue?: OverdueMonitor;
  tokens: StaffToken[];
  /** maxBodyBytes: the largest body taken; streamThresholdBytes: larger bodies are streamed to the file store as they arrive */
  limits: { maxBodyBytes: number; streamThresholdBytes: number; feedLeaseSeconds: number; feedMaxLimit: number };
  /** extra health checks (certificate expiry, SFTP pollers...) */
  health?: () => Promise<Record<string, unknown>>;
  /** the per-partner throttle toward the ERP, shared by push delivery and the pull feed */
  feedThrottle?: { tryTake(partnerId: string): boolean; msUntilAvailable(partnerId: string): number };
  /** certificate expiry of the gateway's and partners' AS2 certificates */
  certificates?: () => Array<{ owner: string; status: string; daysLeft?: number; notAfter?: string; subject?: string; detail?: string }>;
  /** business events (src/events/): GET /api/v1/events, /api/v1/subscribers (routes-events.ts) */
  events?: import('../events/service.ts').EventService;
  /** mounts more routes (AS2 receiver, console) */
  extraRoutes?: Array<(app: import('hono').Hono) => void>;
  draining?: () => boolean;
  /** whether the store takes writes (locked, disk full...): /healthz, /metrics */
  storage?: StorageHealth;
  /** where the configuration is read from: the unmapped report of a large message loads it in a thread of its own (routes-unmapped.ts) */
  configDirs?: { partnersDir: string; mappingsDir: string; env: Record<string, string | undefined> };
  /** the supplier portal at /portal/ (src/server/portal/); not mounted without */
  portal?: PortalOptions;
}
