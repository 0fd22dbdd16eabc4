/**
 * Events no single write records, noticed by a periodic sweep: an outbound PO whose 997/855 is
 * overdue (ack.overdue), a certificate within its warning window (certificate.expiring), an SFTP
 * poller failing in a row (partner.poller_down). Each event's id is derived from the fact (newEvent's
 * `once`), so noticing it again on the next sweep writes nothing: one event per fact.
 */
import type { Logger } from '../core/logger.ts';
import type { EventStore, NewEvent } from './event-store.ts';
import { newEvent } from './envelope.ts';

export interface SweepSources {
  overdue?: () => Promise<{ functionalAckMissing: OverdueLike[]; poAckMissing: OverdueLike[]; invoiceMissing?: OverdueLike[] }>;
  certificates?: () => Array<{ owner: string; status: string; subject?: string; notAfter?: string; daysLeft?: number }>;
  pollers?: () => Array<{ partnerId: string; running: boolean; consecutiveFailures?: number; lastSuccessAt?: string; lastError?: { code: string; message: string; at: string } }>;
}

interface OverdueLike { reason: string; partnerId: string; poNumber?: string; documentId: string; since: string; dueAt: string; windowMinutes: number }

/** consecutive failed polls that make a poller down */
export const POLLER_DOWN_AFTER = 3;

export function sweepEvents(src: SweepSources, at: string, report: Awaited<ReturnType<NonNullable<SweepSources['overdue']>>> | undefined): NewEvent[] {
  const out: NewEvent[] = [];
  for (const o of [...(report?.functionalAckMissing ?? []), ...(report?.poAckMissing ?? [])]) {
    out.push(newEvent({
      type: 'ack.overdue', at, partnerId: o.partnerId, correlationId: o.poNumber ?? null, documentId: o.documentId, documentType: 'purchase_order',
      once: `${o.reason}:${o.documentId}`,
      data: { reason: o.reason, poNumber: o.poNumber ?? null, documentId: o.documentId, since: o.since, dueAt: o.dueAt, windowMinutes: o.windowMinutes },
    }));
  }
  for (const c of src.certificates?.() ?? []) {
    if (c.status === 'ok') continue;
    out.push(newEvent({
      type: 'certificate.expiring', at, partnerId: c.owner === 'gateway' ? null : c.owner, subject: c.subject ?? c.owner,
      once: `${c.owner}:${c.subject ?? ''}:${c.notAfter ?? ''}:${c.status}`,
      data: { owner: c.owner, status: c.status, subject: c.subject ?? null, notAfter: c.notAfter ?? null, daysLeft: c.daysLeft ?? null },
    }));
  }
  for (const p of src.pollers?.() ?? []) {
    const down = !p.running || (p.consecutiveFailures ?? 0) >= POLLER_DOWN_AFTER;
    if (!down) continue;
    out.push(newEvent({
      type: 'partner.poller_down', at, partnerId: p.partnerId, subject: p.partnerId,
      // one per outage: the last success it follows (a poller that never succeeded: its first error)
      once: `${p.partnerId}:${p.lastSuccessAt ?? `never:${p.running ? '' : p.lastError?.at ?? ''}`}`,
      data: { partnerId: p.partnerId, running: p.running, consecutiveFailures: p.consecutiveFailures ?? null, lastSuccessAt: p.lastSuccessAt ?? null, lastError: p.lastError ?? null },
    }));
  }
  return out;
}

export function startSweep(opts: { events: EventStore; sources: SweepSources; logger: Logger; now: () => Date; intervalMs: number; overdueEveryMs: number }) {
  let lastOverdue = -Infinity;
  let running: Promise<void> | undefined;
  const run = async () => {
    const now = opts.now();
    try {
      const dueOverdue = opts.sources.overdue && now.getTime() - lastOverdue >= opts.overdueEveryMs;
      const report = dueOverdue ? await opts.sources.overdue!() : undefined;
      if (dueOverdue) lastOverdue = now.getTime();
      const found = sweepEvents(opts.sources, now.toISOString(), report);
      if (found.length > 0) await opts.events.append(null, found);
    } catch (e) {
      opts.logger.warn('event sweep failed (it runs again)', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  const timer = setInterval(() => { running ??= run().finally(() => { running = undefined; }); }, opts.intervalMs);
  timer.unref();
  return {
    runNow: () => (running ??= run().finally(() => { running = undefined; })),
    async stop() { clearInterval(timer); await running; },
  };
}
