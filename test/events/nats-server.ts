/**
 * A throwaway NATS server with JetStream for a test file (Debian's `nats-server`, 2.9.10 here):
 * a free loopback port, its JetStream store in a temp dir. `stop()` stops it (the store stays, so
 * `start()` brings the same broker back with its streams: a broker down and up again);
 * `close()` stops it and removes the dir. Measured here: ready ~30 ms after spawn.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcp, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type NatsAvailability = { ok: true } | { ok: false; reason: string };

export function natsAvailability(): NatsAvailability {
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  return found ? { ok: true } : { ok: false, reason: 'NATS tests skipped: no nats-server on PATH (apt-get install nats-server)' };
}

export interface TestNats {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

const accepting = (port: number) => new Promise<boolean>((resolve) => {
  const c = tcp(port, '127.0.0.1');
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

export async function startNats(): Promise<TestNats> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const log: string[] = [];
  const start = async () => {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    const end = Date.now() + 10_000;
    for (;;) {
      // JetStream is ready once the server logs it (the port accepts slightly earlier)
      if (await accepting(port) && log.join('').includes('Server is ready')) return;
      if (child.exitCode !== null) throw new Error(`nats-server exited:\n${log.join('')}`);
      if (Date.now() > end) throw new Error(`nats-server did not start:\n${log.join('')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL'); });
    log.length = 0;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`, port, start, stop,
    async close() { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
