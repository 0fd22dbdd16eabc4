/**
 * Turns what node-postgres throws while connecting into a GatewayError that says where it tried
 * (host, port, database, user) and the server's or the network's own reason, never only a stack.
 */
import { GatewayError } from '../../core/errors.ts';

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  /** absent when the URL names none (node-postgres then uses the OS user) */
  user?: string;
}

/** host, port, database and user of a postgres:// URL (the password is never kept) */
export function pgTargetOf(url: string): PgTarget {
  let u: URL;
  // libpq also takes an empty host (user@/db?host=/run/postgresql), which WHATWG URL refuses
  const emptyHost = /^[a-z]+:\/\/[^/?#]*@\//i.test(url);
  try {
    u = new URL(emptyHost ? url.replace('@/', '@localhost/') : url);
  } catch {
    throw new GatewayError('database_url_invalid', 'EDIGW_DATABASE_URL is not a valid postgres:// URL', { expected: 'postgres://user:password@host:5432/database' });
  }
  const socketHost = u.searchParams.get('host');
  return {
    host: socketHost ?? (emptyHost ? 'localhost' : decodeURIComponent(u.hostname) || 'localhost'),
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || '(default)',
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
  };
}

/** the reason in an error from pg or from the socket; Node's AggregateError (IPv6 and IPv4 both refused) has an empty message */
function reasonOf(e: unknown): { reason: string; code?: string } {
  if (e instanceof AggregateError && e.errors.length > 0) {
    const parts = e.errors.map((x) => reasonOf(x));
    return { reason: [...new Set(parts.map((p) => p.reason))].join('; '), code: parts[0]?.code };
  }
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return { reason: e.message || String(code ?? e.name), code: typeof code === 'string' ? code : undefined };
  }
  return { reason: String(e) };
}

export function connectionError(target: PgTarget, e: unknown): GatewayError {
  const { reason, code } = reasonOf(e);
  return new GatewayError(
    'database_unavailable',
    `cannot connect to PostgreSQL database "${target.database}" at ${target.host}:${target.port}${target.user ? ` as "${target.user}"` : ''}: ${reason}`,
    { ...target, reason, ...(code ? { serverCode: code } : {}) },
    { cause: e },
  );
}
