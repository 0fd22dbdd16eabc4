/**
 * Retention windows: a partner profile's `retention:` block over the gateway-wide defaults
 * (EDIGW_RETENTION_ARCHIVE_AFTER_DAYS / EDIGW_RETENTION_PURGE_AFTER_DAYS). Days count from when
 * the message was received. `never` (or leaving a key out with no default) keeps that step off.
 * A purge window shorter than the archive window is refused in a profile (retentionProblems);
 * mixed with the defaults it is lengthened to the archive window (a purge never comes first).
 */
import type { PartnerProfile } from '../config/types.ts';

export type RetentionDays = number | 'never';

/** partners/<id>.yaml `retention:` */
export interface RetentionWindow {
  archiveAfterDays?: RetentionDays;
  purgeAfterDays?: RetentionDays;
}

/** the gateway's own settings (environment) */
export interface RetentionDefaults extends RetentionWindow {
  /** how often the gateway runs a pass; default 60 */
  intervalMinutes?: number;
}

export interface EffectivePolicy {
  partnerId: string | null;
  /** null: off */
  archiveAfterDays: number | null;
  purgeAfterDays: number | null;
  /** where each window came from */
  archiveSource: 'partner' | 'gateway';
  purgeSource: 'partner' | 'gateway';
}

const days = (d: RetentionDays | undefined): number | null | undefined => (d === undefined ? undefined : d === 'never' ? null : d);

export function retentionOf(partner: PartnerProfile | undefined): RetentionWindow | undefined {
  return (partner as (PartnerProfile & { retention?: RetentionWindow }) | undefined)?.retention;
}

export function policyFor(partnerId: string | null, partner: PartnerProfile | undefined, defaults: RetentionDefaults): EffectivePolicy {
  const own = retentionOf(partner);
  const ownArchive = days(own?.archiveAfterDays);
  const ownPurge = days(own?.purgeAfterDays);
  const archive = ownArchive !== undefined ? ownArchive : days(defaults.archiveAfterDays) ?? null;
  let purge = ownPurge !== undefined ? ownPurge : days(defaults.purgeAfterDays) ?? null;
  if (purge !== null && archive !== null && purge < archive) purge = archive;
  return {
    partnerId, archiveAfterDays: archive, purgeAfterDays: purge,
    archiveSource: ownArchive !== undefined ? 'partner' : 'gateway',
    purgeSource: ownPurge !== undefined ? 'partner' : 'gateway',
  };
}

/** true when some window is set anywhere (else the gateway runs no retention pass) */
export function retentionConfigured(partners: readonly PartnerProfile[], defaults: RetentionDefaults): boolean {
  const on = (w: RetentionWindow | undefined) => typeof w?.archiveAfterDays === 'number' || typeof w?.purgeAfterDays === 'number';
  return on(defaults) || partners.some((p) => on(retentionOf(p)));
}

/** reads a gateway default from the environment: a whole number of days ≥ 1, or `never` */
export function parseRetentionDays(name: string, value: string | undefined): RetentionDays | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (v === 'never') return 'never';
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${name} must be a whole number of days (1 or more) or "never", got "${value}"`);
  return Number(v);
}

export function retentionDefaultsFromEnv(env: Record<string, string | undefined>): RetentionDefaults {
  const interval = env.EDIGW_RETENTION_INTERVAL_MINUTES;
  if (interval !== undefined && interval !== '' && !(Number(interval) > 0)) {
    throw new Error(`EDIGW_RETENTION_INTERVAL_MINUTES must be a positive number of minutes, got "${interval}"`);
  }
  return {
    archiveAfterDays: parseRetentionDays('EDIGW_RETENTION_ARCHIVE_AFTER_DAYS', env.EDIGW_RETENTION_ARCHIVE_AFTER_DAYS),
    purgeAfterDays: parseRetentionDays('EDIGW_RETENTION_PURGE_AFTER_DAYS', env.EDIGW_RETENTION_PURGE_AFTER_DAYS),
    ...(interval ? { intervalMinutes: Number(interval) } : {}),
  };
}
