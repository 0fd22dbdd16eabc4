/**
 * Runs stored messages through the pipeline in the background, a few at a time. At start it
 * resumes every message that was stored but not finished (a crash, a kill -9). A message asked for
 * twice while in flight is processed once, and both callers get that outcome.
 */
import type { Logger } from '../core/logger.ts';
import type { Store } from '../db/store.ts';
import type { MessageOutcome } from './process-message.ts';

export interface MessageWorkerDeps {
  store: Store;
  logger: Logger;
  concurrency: number;
  process(messageId: string, by?: string): Promise<MessageOutcome>;
}

export function createMessageWorker(deps: MessageWorkerDeps) {
  const queue: string[] = [];
  const queued = new Set<string>();
  const inFlight = new Map<string, Promise<MessageOutcome>>();
  let active = 0;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];

  const run = (id: string, by?: string): Promise<MessageOutcome> => {
    const existing = inFlight.get(id);
    if (existing) return existing;
    const p = deps.process(id, by).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };

  const pump = () => {
    while (!stopping && active < deps.concurrency && queue.length > 0) {
      const id = queue.shift()!;
      queued.delete(id);
      active++;
      run(id)
        .catch((e) => deps.logger.error('message processing crashed', { messageId: id, error: String(e) }))
        .finally(() => {
          active--;
          pump();
          if (active === 0 && queue.length === 0) { for (const w of idleWaiters) w(); idleWaiters = []; }
        });
    }
  };

  return {
    enqueue(id: string) {
      if (queued.has(id) || inFlight.has(id)) return;
      queued.add(id);
      queue.push(id);
      pump();
    },
    /** processes now (used by ?wait=true and replay) and resolves with the outcome; a queued copy is dropped */
    runNow(id: string, by?: string): Promise<MessageOutcome> {
      if (queued.delete(id)) queue.splice(queue.indexOf(id), 1);
      return run(id, by);
    },
    async resume(): Promise<number> {
      let n = 0;
      for (const m of await deps.store.messagesToResume(100_000)) { this.enqueue(m.id); n++; }
      return n;
    },
    /** resolves when nothing is queued or running */
    idle(): Promise<void> {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
    /** stops taking queued work and waits for what is in flight; queued messages stay `received` for the next start */
    async stop(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
