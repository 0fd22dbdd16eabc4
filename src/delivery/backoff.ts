/** The retry-delay formula lives in src/jobs/backoff.ts (one for the whole gateway); the ERP dispatcher imports it from here. */
export { type BackoffPolicy, backoffDelayMs, defaultBackoff, parseRetryAfter, retryDelayMs } from '../jobs/backoff.ts';
