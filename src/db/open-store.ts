import { GatewayError } from '../core/errors.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** `EDIGW_DATABASE_URL`: a SQLite file path (the embedded default) or a postgres:// URL. */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new GatewayError('database_unsupported', 'PostgreSQL support is not built yet; use a SQLite file path for EDIGW_DATABASE_URL');
  }
  return createSqliteStore(databaseUrl.replace(/^sqlite:(\/\/)?/, ''));
}
