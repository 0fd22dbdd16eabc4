/**
 * A throwaway PostgreSQL server for a test file: `initdb` into a temp dir, `pg_ctl start` on a
 * free loopback port (its unix socket inside the temp dir too), one database per `createDatabase`
 * call, and `stop()` stops the server and removes the dir. initdb refuses to run as root, so as
 * root the server runs as the `postgres` user (runuser) in a temp dir chowned to it.
 * EDIGW_TEST_POSTGRES_URL (a superuser URL of an existing server) is used instead when set: each
 * database is created there and dropped by stop().
 * Measured here (PostgreSQL 15, 2 cores): initdb ~0.9 s, start ~0.1 s, stop ~0.1 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** creates a fresh empty database and returns its postgres:// URL */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export type PostgresAvailability = { ok: true; binDir?: string; url?: string } | { ok: false; reason: string };

/** where initdb/pg_ctl are: PATH, or Debian's /usr/lib/postgresql/<version>/bin (not on PATH) */
function findBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) {
    const dir = path.dirname(onPath);
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

/** synchronous, for describe.skipIf at collection time */
export function postgresAvailability(env: Record<string, string | undefined> = process.env): PostgresAvailability {
  const url = env.EDIGW_TEST_POSTGRES_URL;
  if (url) return { ok: true, url };
  const binDir = findBinDir();
  if (!binDir) return { ok: false, reason: 'PostgreSQL tests skipped: no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin (apt-get install postgresql) and no EDIGW_TEST_POSTGRES_URL' };
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return { ok: false, reason: 'PostgreSQL tests skipped: running as root and there is no `postgres` user to run initdb as' };
  }
  return { ok: true, binDir };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

let counter = 0;
const dbName = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function serverOnUrl(adminUrl: string): TestPostgres {
  const created: string[] = [];
  return {
    async createDatabase(prefix = 'edigw_test') {
      const name = dbName(prefix);
      await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
      created.push(name);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      await withAdmin(adminUrl, async (c) => {
        for (const name of created) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

/**
 * starts a server (or uses EDIGW_TEST_POSTGRES_URL); throws with the reason when it cannot.
 * `fsync: false` (the default, for tests) skips flushing to disk; benchmarks pass true.
 */
export async function startTestPostgres(opts: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const a = postgresAvailability();
  if (!a.ok) throw new Error(a.reason);
  if (a.url) return serverOnUrl(a.url);
  const binDir = a.binDir!;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) => {
    const cmd = path.join(binDir, bin);
    return asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: dir, stdio: 'pipe' })
      : execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const user = 'edigw';
  try {
    run('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`);
  }
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      // fsync off by default: a test server's data is thrown away; commits still go through the WAL
      run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=${opts.fsync ? 'on' : 'off'} -c max_connections=200`, 'start']);
      break;
    } catch (e) {
      if (attempt >= 2) {
        const log = existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}\n${log}`);
      }
    }
  }
  const adminUrl = `postgres://${user}@127.0.0.1:${port}/postgres`;
  const onUrl = serverOnUrl(adminUrl);
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // a test file that ends without stop() (a failed beforeAll, say) leaves no server behind
  process.on('exit', stopNow);
  return {
    createDatabase: onUrl.createDatabase,
    async stop() { stopNow(); },
  };
}
