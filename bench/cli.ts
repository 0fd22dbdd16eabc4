/**
 * npm run bench -- cli: how long `edigw` takes to start, as whole processes (issue 19: --help under
 * 0.5 s). Per task (--help, check --help, translate of the 649-byte X12 850 fixture, gateway start until
 * /healthz answers 200) the compiled JavaScript (node dist/cli/main.js, dist/main.js) and the
 * TypeScript through tsx (node --import tsx src/...), beside `node -e 0` in the same run: runs
 * interleaved (built, tsx, node -e 0, ...), medians of wall and CPU seconds (CPU from /usr/bin/time
 * when present) and peak RSS. Uses dist/ when current (bin/launch.js), else builds into
 * dist-test-bench-<pid>/ and removes it after.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchRow } from './lib.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';
const fixture = path.join(repo, 'fixtures', 'x12-004010', '850-purchase-order', 'input.edi');

interface Run { wall: number; cpu?: number; rssMb?: number }

/** one whole process: wall seconds measured here, CPU and peak RSS from /usr/bin/time when there */
function timed(args: string[], env: Record<string, string> = {}): Run {
  const timeFile = path.join(tmpdir(), `edigw-bench-cli-${process.pid}.time`);
  const useTime = existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-o', timeFile, '-f', '%U %S %M', process.execPath, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: repo, env: { ...process.env, MALLOC_ARENA_MAX: '2', ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!useTime) return { wall };
  const [u, s, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: u! + s!, rssMb: Math.round(kb! / 1024) };
}

/** the gateway from spawn to the first 200 of /healthz, then SIGTERM */
async function startToHealthz(args: string[], dir: string, n: number): Promise<Run> {
  const port = 19500 + (process.pid % 400) + n;
  const child = spawn(process.execPath, args, {
    cwd: repo, stdio: 'ignore',
    env: { ...process.env, MALLOC_ARENA_MAX: '2', PORT: String(port), HOST: '127.0.0.1', EDIGW_PROCESSING_THREADS: '1', EDIGW_ADMIN_TOKEN: 'bench-admin',
      EDIGW_DATABASE_URL: path.join(dir, `gw-${n}.db`), EDIGW_BLOB_DIR: path.join(dir, `blobs-${n}`) },
  });
  const t0 = performance.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode} before /healthz answered`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return { wall: (performance.now() - t0) / 1000 };
      if (performance.now() - t0 > 120_000) throw new Error('no /healthz in 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => { if (child.exitCode !== null || child.signalCode !== null) r(null); else child.once('exit', r); });
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const { distUnusable } = await import(path.join(repo, 'bin', 'launch.js')) as { distUnusable(env?: Record<string, string | undefined>): string };
  let dist = path.join(repo, 'dist');
  let own = false;
  if (distUnusable({}) !== '') {
    dist = path.join(repo, `dist-test-bench-${process.pid}`);
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--out', dist], { cwd: repo, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
    own = true;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-cli-'));
  const runs = opts.quick ? 3 : 7;
  const flags = ['--max-semi-space-size=4'];
  const tasks: Array<{ name: string; args: string[] }> = [
    { name: '--help', args: ['--help'] },
    { name: 'check --help', args: ['check', '--help'] },
    { name: 'translate (649-byte X12 850)', args: ['translate', fixture] },
  ];
  const rows: BenchRow[] = [];
  try {
    const bare: Run[] = [];
    const baseline = () => ({ name: 'node -e 0', value: median(bare.map((r) => r.wall)), unit: 's' });
    for (const t of tasks) {
      const built: Run[] = [];
      const tsx: Run[] = [];
      timed([...flags, path.join(dist, 'cli', 'main.js'), ...t.args]); // warm-up (disk cache)
      timed([...flags, '--import', 'tsx', 'src/cli/main.ts', ...t.args]);
      for (let i = 0; i < runs; i++) {
        built.push(timed([...flags, path.join(dist, 'cli', 'main.js'), ...t.args]));
        tsx.push(timed([...flags, '--import', 'tsx', 'src/cli/main.ts', ...t.args]));
        bare.push(timed(['-e', '0']));
      }
      for (const [how, rs] of [['built JS', built], ['tsx', tsx]] as const) {
        const cpu = rs.every((r) => r.cpu !== undefined) ? `, cpu median ${median(rs.map((r) => r.cpu!)).toFixed(2)} s (node -e 0: ${median(bare.map((r) => r.cpu ?? 0)).toFixed(2)} s)` : '';
        rows.push({
          area: 'cli', name: `edigw ${t.name}, ${how}: wall median of ${runs}`, value: median(rs.map((r) => r.wall)), unit: 's',
          ...(rs[0]!.rssMb !== undefined ? { peakRssMb: median(rs.map((r) => r.rssMb!)) } : {}),
          baseline: baseline(), notes: `min ${Math.min(...rs.map((r) => r.wall)).toFixed(2)} s, max ${Math.max(...rs.map((r) => r.wall)).toFixed(2)} s${cpu}`,
        });
      }
    }
    const startRuns = opts.quick ? 2 : 4;
    const built: Run[] = [];
    const tsx: Run[] = [];
    for (let i = 0; i < startRuns; i++) {
      built.push(await startToHealthz([...flags, path.join(dist, 'main.js')], dir, 2 * i));
      tsx.push(await startToHealthz([...flags, '--import', 'tsx', 'src/main.ts'], dir, 2 * i + 1));
      bare.push(timed(['-e', '0']));
    }
    for (const [how, rs] of [['built JS', built], ['tsx', tsx]] as const) {
      rows.push({
        area: 'cli', name: `gateway start to /healthz 200 (one processing thread), ${how}: wall median of ${startRuns}`, value: median(rs.map((r) => r.wall)), unit: 's',
        baseline: baseline(), notes: `min ${Math.min(...rs.map((r) => r.wall)).toFixed(2)} s, max ${Math.max(...rs.map((r) => r.wall)).toFixed(2)} s`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (own) rmSync(dist, { recursive: true, force: true });
  }
  return rows;
}
