/**
 * Garbage-collector tuning for `edigw serve`. Processing a large message allocates steadily (a
 * tree, a canonical document and its JSON per transaction set), and most of it dies after its
 * slice's commit; by default V8 lets the old generation grow to about four times what is live
 * before collecting it, which on a 32 MB interchange took the process from 177 to 363 MB RSS for
 * about 60 MB live. With the growth capped at 25 % the same run peaked at 232 MB
 * (/tmp/notes/stream11-decisions.md). EDIGW_HEAP_GROWING_PERCENT sets it (0: V8's default).
 */
import v8 from 'node:v8';

export const DEFAULT_HEAP_GROWING_PERCENT = 25;

/** applies the tuning to this process and its threads (V8 flags are process-wide); returns the percent applied */
export function tuneGarbageCollector(env: Record<string, string | undefined>): number {
  const raw = env.EDIGW_HEAP_GROWING_PERCENT;
  const percent = raw === undefined || raw === '' ? DEFAULT_HEAP_GROWING_PERCENT : Number(raw);
  if (!Number.isInteger(percent) || percent < 0) throw new Error(`EDIGW_HEAP_GROWING_PERCENT must be a whole number >= 0, got "${raw}"`);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
