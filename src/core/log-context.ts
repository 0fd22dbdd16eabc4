/**
 * The ids a log line is about, carried through async calls (AsyncLocalStorage): the HTTP request's
 * id for every line logged while a request is served, a message's id and correlation id for every
 * line logged while it is processed on this thread. The loggers (logger.ts) add them to each line,
 * so code that logs needs no ids passed down to it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<Record<string, unknown>>();

/** runs `fn` with `fields` added to every line logged inside it (nested contexts add to the outer one) */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** adds fields to the current context from here on (an id learnt midway: a message's correlation id) */
export function addLogContext(fields: Record<string, unknown>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** the current context's fields (undefined outside any) */
export function logContext(): Record<string, unknown> | undefined {
  return storage.getStore();
}
