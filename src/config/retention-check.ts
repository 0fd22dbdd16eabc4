/**
 * The values of a profile's `retention:` block (the schema checks its keys): each window is a
 * whole number of days from 1 to 36500 or "never", and a purge never comes before the archive.
 */
import { problem } from './problems.ts';
import type { Locate } from './yaml-locate.ts';
import type { ConfigProblem } from './types.ts';

const MAX_DAYS = 36_500;

export function retentionProblems(raw: Record<string, unknown>, file: string, locate: Locate): ConfigProblem[] {
  const block = raw.retention;
  if (!block || typeof block !== 'object' || Array.isArray(block)) return [];
  const r = block as Record<string, unknown>;
  const out: ConfigProblem[] = [];
  const days: Record<string, number | null> = {};
  for (const key of ['archiveAfterDays', 'purgeAfterDays']) {
    const v = r[key];
    if (v === undefined) continue;
    const pointer = `/retention/${key}`;
    if (v === 'never') { days[key] = null; continue; }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_DAYS) { days[key] = v; continue; }
    if (typeof v !== 'number' && typeof v !== 'string') continue; // the schema reports the type
    out.push(problem({
      file, ...locate(pointer), pointer, rule: 'retention_days',
      message: `retention.${key} must be a whole number of days from 1 to ${MAX_DAYS} or "never", found ${JSON.stringify(v)}`,
      hint: typeof v === 'string' && /^\d+$/.test(v) ? `write it without quotes: ${key}: ${v}` : `e.g. ${key}: ${key === 'archiveAfterDays' ? 30 : 365}`,
    }));
  }
  const archive = days.archiveAfterDays;
  const purge = days.purgeAfterDays;
  if (typeof archive === 'number' && typeof purge === 'number' && purge < archive) {
    out.push(problem({
      file, ...locate('/retention/purgeAfterDays'), pointer: '/retention/purgeAfterDays', rule: 'retention_order',
      message: `retention.purgeAfterDays (${purge}) is shorter than retention.archiveAfterDays (${archive}): raw messages would be deleted before they are archived`,
      hint: `set purgeAfterDays to ${archive} or more, or lower archiveAfterDays`,
    }));
  }
  return out;
}
