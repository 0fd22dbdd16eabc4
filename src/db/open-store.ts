import { createPgStore } from './pg/pg-store.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** whether EDIGW_DATABASE_URL names a PostgreSQL server (postgres:// or postgresql://) rather than a SQLite file */
export const isPostgresUrl = (databaseUrl: string): boolean => /^postgres(ql)?:\/\//i.test(databaseUrl);

/**
 * `EDIGW_DATABASE_URL`: a SQLite file path (the embedded default) or a postgres:// (postgresql://)
 * URL. PostgreSQL lets several gateway nodes share one database; connecting and migrating happen
 * here, so a bad URL or an unreachable server fails the start with a `database_unavailable` error.
 */
export async function openStore(databaseUrl: string, opts: { onIdleError?: (e: Error) => void; blobDir?: string; yieldTo?: SharedArrayBuffer } = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) return createPgStore({ url: databaseUrl, onIdleError: opts.onIdleError, blobDir: opts.blobDir });
  // yieldTo: a processing thread's store, stepping aside for the HTTP thread's (Store.writePriority)
  return createSqliteStore(databaseUrl.replace(/^sqlite:(\/\/)?/, ''), { blobDir: opts.blobDir, ...(opts.yieldTo ? { yieldTo: opts.yieldTo } : {}) });
}
