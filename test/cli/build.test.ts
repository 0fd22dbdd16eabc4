/**
 * The compiled JavaScript (issue 19): `npm install` builds src/ to dist/ (prepare: scripts/build.mjs),
 * and the built files run without tsx: `--help`, a translation (JSON grammars and canonical schemas
 * found beside the compiled modules), and the gateway itself answering /healthz, serving the console's
 * static files, applying its SQL migrations and processing a message in a processing thread started
 * from the compiled processing-thread.js.
 *
 * Uses the prepare output (dist/) when it is current (CI: `npm ci` just built it); otherwise (an
 * edited checkout) builds into dist-test-<pid>/ beside it, so a launcher running dist/ meanwhile is
 * never disturbed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let out = path.join(repo, 'dist');
let built = false;
const tmp = mkdtempSync(path.join(tmpdir(), 'edigw-build-'));

beforeAll(async () => {
  const { distUnusable } = await import(path.join(repo, 'bin', 'launch.js')) as { distUnusable(env?: Record<string, string | undefined>): string };
  if (distUnusable({}) === '') return;
  out = path.join(repo, `dist-test-${process.pid}`);
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--out', out], { cwd: repo, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  built = true;
}, 120_000);
afterAll(() => {
  if (built) rmSync(out, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const node = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });

describe('compiled JavaScript', () => {
  it('refers to no TypeScript file: every import and worker entry names a .js beside it', () => {
    const offenders: string[] = [];
    for (const e of readdirSync(out, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.js') || e.name === 'gen-types.js') continue; // gen-types writes src/canonical/types.ts (a dev script)
      const text = readFileSync(path.join(e.parentPath, e.name), 'utf8');
      for (const m of text.matchAll(/['"`](\.{1,2}\/[^'"`\n]*\.ts)['"`]/g)) offenders.push(`${path.relative(out, path.join(e.parentPath, e.name))}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
    // what modules find beside themselves was copied
    for (const f of ['db/migrations/sqlite', 'db/migrations/postgres', 'server/console/assets', 'server/portal/assets', 'canonical/events/v1']) {
      expect(readdirSync(path.join(out, f)).length, f).toBeGreaterThan(0);
    }
  });

  it('runs --help and check --help without tsx', () => {
    const help = node([path.join(out, 'cli', 'main.js'), '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: edigw <command>/m);
    const check = node([path.join(out, 'cli', 'main.js'), 'check', '--help']);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^Usage: edigw check/);
  });

  it('translates a small X12 850 as the sources do', () => {
    const input = path.join(repo, 'fixtures', 'x12-004010', '850-purchase-order', 'input.edi');
    const r = node([path.join(out, 'cli', 'main.js'), 'translate', input]);
    expect(r.status, r.stderr).toBe(0);
    const docs = JSON.parse(r.stdout) as Array<{ type: string; document: { poNumber: string; lines: unknown[] } }>;
    expect(docs).toHaveLength(1);
    // BEG03 of the fixture's only 850
    expect(docs[0]!.type).toBe('purchase_order');
    expect(docs[0]!.document.poNumber).toBe('PO-45001');
  });

  it('starts the gateway: /healthz, the console, migrations, a message processed in a compiled processing thread', async () => {
    const child = spawn(process.execPath, ['--max-semi-space-size=4', path.join(out, 'main.js')], {
      cwd: repo, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, PORT: '0', HOST: '127.0.0.1', EDIGW_PROCESSING_THREADS: '1', EDIGW_FROM_SOURCE: '',
        EDIGW_DATABASE_URL: path.join(tmp, 'gateway.db'), EDIGW_BLOB_DIR: path.join(tmp, 'blobs'), EDIGW_ADMIN_TOKEN: 'admin-secret-build',
      },
    });
    const lines: string[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${lines.join('\n')}`)), 60_000);
        child.stderr!.on('data', (d: Buffer) => {
          buf += d.toString();
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            lines.push(line);
            try {
              const j = JSON.parse(line) as { msg?: string; port?: number };
              if (j.msg === 'gateway started') { clearTimeout(timer); resolve(`http://127.0.0.1:${j.port}`); }
            } catch { /* not a log line */ }
          }
        });
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${lines.join('\n')}`)); });
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      // the README's first example: restco posts a ship notice; processed by the thread (dist/pipeline/inbound/processing-thread.js)
      const posted = await fetch(`${url}/api/v1/inbound?wait=true`, {
        method: 'POST', headers: { 'x-api-key': 'restco-demo-key', 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'ship_notice', document: { shipmentId: 'SH-B1', shipDate: '2026-11-20', orders: [{ poNumber: 'PO-1001', lines: [{ lineNumber: '1', quantityShipped: 12, unitOfMeasure: 'EA' }] }] } }),
      });
      const answer = await posted.json() as { status?: string; documents?: unknown[] };
      expect(posted.status, JSON.stringify(answer)).toBe(200);
      expect(answer.status).toBe('processed');
      expect(lines.some((l) => l.includes('"thread":0')), 'a log line from processing thread 0').toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(null); else child.once('exit', r); });
    }
  });

  it('bin/edigw.js runs dist/ only when it is current (bin/launch.js)', () => {
    const r = execFileSync(process.execPath, ['-e', `import('./bin/launch.js').then((m) => process.stdout.write(m.distUnusable({ EDIGW_FROM_SOURCE: '1' })))`], { cwd: repo, encoding: 'utf8' });
    expect(r).toBe('EDIGW_FROM_SOURCE=1');
  });
});
