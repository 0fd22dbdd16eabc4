/** The jobs contract on a real PostgreSQL server (test/support/postgres.ts starts one for this file). */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migratePg } from '../../src/db/pg/migrate.ts';
import { createPgJobs } from '../../src/jobs/pg-jobs.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { jobsContract } from './jobs-contract.ts';

const availability = postgresAvailability();
if (!availability.ok) console.warn(availability.reason);

describe.skipIf(!availability.ok)('PostgreSQL jobs', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });

  jobsContract('PostgreSQL', async () => {
    const url = await server.createDatabase('jobs');
    const pools = [new pg.Pool({ connectionString: url, max: 10 })];
    const main = pools[0]!;
    await migratePg(main);
    return {
      jobs: createPgJobs(main),
      async peer() {
        const p = new pg.Pool({ connectionString: url, max: 10 });
        pools.push(p);
        return createPgJobs(p);
      },
      async inTransaction(commit, work) {
        const client = await main.connect();
        try {
          await client.query('BEGIN');
          await client.query("INSERT INTO audit_log (at, actor, action, detail) VALUES ('2026-12-07T10:00:00.000Z', 'test', 'state', '{}')");
          await work({ dialect: 'pg', client });
          await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      },
      async auditRows() {
        return (await main.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'state'")).rows[0]!.n;
      },
      async cleanup() {
        for (const p of pools) await p.end();
      },
    };
  });
});
