/**
 * Another process holding the gateway's SQLite file: Debian's `sqlite3` command line opens it and
 * runs `BEGIN EXCLUSIVE`, as an operator's ad-hoc session or a stuck maintenance job would.
 */
import { spawn } from 'node:child_process';

export interface LockHolder {
  release(): Promise<void>;
}

export async function holdExclusiveLock(file: string): Promise<LockHolder> {
  const child = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  child.stdin.write("BEGIN EXCLUSIVE;\nSELECT 'lock' || 'ed';\n");
  const deadline = Date.now() + 5000;
  while (!out.includes('locked')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`sqlite3 did not take the lock: ${out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    release: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end('COMMIT;\n.quit\n');
    }),
  };
}
