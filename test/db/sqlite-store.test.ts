import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { Store } from '../../src/db/store.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-store-'));
  const file = path.join(dir, 'gateway.db');
  const opened: Store[] = [createSqliteStore(file)];
  return {
    store: opened[0]!,
    async peer() {
      const s = createSqliteStore(file);
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
