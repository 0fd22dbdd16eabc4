import { randomBytes } from 'node:crypto';

/**
 * Sortable unique ids: 12 hex chars of milliseconds since epoch + 16 hex chars random,
 * prefixed by kind (msg_, doc_, exc_, job_). Lexical order is creation order.
 */
export type IdGenerator = (prefix: string) => string;

export function createIdGenerator(now: () => number = Date.now): IdGenerator {
  let last = 0;
  let counter = 0;
  return (prefix) => {
    const ms = now();
    if (ms === last) counter++;
    else { last = ms; counter = 0; }
    const time = ms.toString(16).padStart(12, '0');
    const seq = counter.toString(16).padStart(4, '0');
    return `${prefix}_${time}${seq}${randomBytes(6).toString('hex')}`;
  };
}
