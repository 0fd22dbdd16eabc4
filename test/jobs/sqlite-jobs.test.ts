import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqlite } from '../../src/db/open-sqlite.ts';
import { createSqliteJobs } from '../../src/jobs/sqlite-jobs.ts';
import { jobsContract } from './jobs-contract.ts';

jobsContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-jobs-'));
  const file = path.join(dir, 'gateway.db');
  const opened = [openSqlite(file)];
  const main = opened[0]!;
  return {
    jobs: createSqliteJobs(main.raw),
    async peer() {
      const o = openSqlite(file);
      opened.push(o);
      return createSqliteJobs(o.raw);
    },
    async inTransaction(commit, work) {
      let pending: Promise<unknown> | undefined;
      try {
        main.raw.transaction(() => {
          main.raw.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES ('2026-12-07T10:00:00.000Z', 'test', 'state', '{}')").run();
          // better-sqlite3 transactions are synchronous: enqueue writes its row before it returns
          pending = work({ dialect: 'sqlite', db: main.raw });
          if (!commit) throw new Error('roll back');
        })();
      } catch (e) {
        if (commit || (e as Error).message !== 'roll back') throw e;
      }
      await pending;
    },
    async auditRows() {
      return (main.raw.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'state'").get() as { n: number }).n;
    },
    async cleanup() {
      for (const o of opened) o.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
