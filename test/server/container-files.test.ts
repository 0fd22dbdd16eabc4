/**
 * The container files (Dockerfile, compose.yaml, .dockerignore) checked without a container runtime:
 * what they copy exists and is not ignored, the variables they set are ones the gateway reads, the
 * compose file wires two nodes to one PostgreSQL, one broker (NATS) and one file store, and the image's HEALTHCHECK
 * command itself, run with node against a real gateway, passes (and fails with nothing listening).
 * With a container runtime (`docker info` answers) the image is built too; here it is skipped.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const execFileP = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const read = (f: string) => readFileSync(path.join(repo, f), 'utf8');
const dockerfile = read('Dockerfile');
const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const compose = YAML.parse(read('compose.yaml'), { merge: true }) as { services: Record<string, any>; volumes: Record<string, unknown> };

/** every EDIGW_* / PORT / HOST variable the gateway reads (the serve command and what it calls) */
const readVariables = (() => {
  const names = new Set<string>(['PORT', 'HOST', 'NODE_ENV']);
  const src = execFileSync('grep', ['-rhoE', 'EDIGW_[A-Z0-9_]+', path.join(repo, 'src')], { encoding: 'utf8' });
  for (const n of src.split('\n')) if (n) names.add(n);
  return names;
})();

/** Dockerfile instructions, continuation lines joined */
const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const healthcheckScript = (() => {
  const hc = instructions.find((l) => l.startsWith('HEALTHCHECK '))!;
  const cmd = JSON.parse(hc.slice(hc.indexOf('CMD ') + 4)) as string[];
  expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
  return cmd[2]!;
})();

describe('Dockerfile', () => {
  it('builds in two stages from node:20-bookworm-slim and runs as the unprivileged node user', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms).toEqual(['FROM node:20-bookworm-slim AS deps', 'FROM node:20-bookworm-slim']);
    const last = instructions.slice(instructions.lastIndexOf(froms[1]!));
    expect(last).toContain('USER node');
    // the compilers stay in the deps stage
    expect(last.some((l) => /apt-get install/.test(l))).toBe(false);
    expect(last).toContain('VOLUME ["/data"]');
    // as `npm start`: 4 MB semi-spaces (and MALLOC_ARENA_MAX=2 in ENV), an idle gateway with one thread 225 MB instead of 287
    expect(last.find((l) => l.startsWith('CMD '))).toBe('CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "src/main.ts"]');
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1).filter((p) => !p.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect(existsSync(path.join(repo, s)), `${s} exists`).toBe(true);
      expect(ignored, `${s} is not in .dockerignore`).not.toContain(s);
    }
    expect(existsSync(path.join(repo, 'src/main.ts'))).toBe(true);
    for (const heavy of ['node_modules', '.git', 'data', 'test']) expect(ignored).toContain(heavy);
  });

  it('sets only variables the gateway reads, with the database and file store on the volume', () => {
    const env = instructions.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as const));
    // read by glibc's malloc, not by our code (as in `npm start`)
    const readByTheRuntime = new Set(['MALLOC_ARENA_MAX']);
    for (const [name] of env) if (!readByTheRuntime.has(name)) expect(readVariables, name).toContain(name);
    expect(Object.fromEntries(env)).toMatchObject({ MALLOC_ARENA_MAX: '2' });
    expect(Object.fromEntries(env)).toMatchObject({ EDIGW_DATABASE_URL: '/data/gateway.db', EDIGW_BLOB_DIR: '/data/blobs', HOST: '0.0.0.0', PORT: '8080' });
  });

  describe('its HEALTHCHECK command', () => {
    let f: GatewayFixture;
    beforeAll(async () => { f = await startGatewayFixture(); });
    afterAll(async () => { await f?.close(); });

    it('passes against a running gateway and fails where nothing listens', async () => {
      await expect(execFileP(process.execPath, ['-e', healthcheckScript], { env: { ...process.env, PORT: String(f.gw.port) } })).resolves.toBeDefined();
      await expect(execFileP(process.execPath, ['-e', healthcheckScript], { env: { ...process.env, PORT: '9' } })).rejects.toMatchObject({ code: 1 });
    });
  });
});

describe('compose.yaml', () => {
  const gateways = Object.entries(compose.services).filter(([, s]) => s.build === '.');

  it('runs two gateway nodes, PostgreSQL and the broker, the nodes starting once both are healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway-1', 'gateway-2', 'nats', 'postgres']);
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+/);
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    // NATS with JetStream on (the event sink needs streams), healthy only once JetStream is
    expect(compose.services.nats.image).toMatch(/^nats:2\.\d+-alpine$/);
    expect(compose.services.nats.command).toContain('--jetstream');
    expect(compose.services.nats.healthcheck.test.join(' ')).toContain('/healthz?js-enabled-only=true');
    expect(gateways.length).toBe(2);
    for (const [, s] of gateways) expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, nats: { condition: 'service_healthy' } });
  });

  it('mounts a subscriber that publishes every event to the broker service', () => {
    for (const [, s] of gateways) expect(s.volumes).toContain('./deploy/compose/subscribers:/app/subscribers:ro');
    const bus = YAML.parse(read('deploy/compose/subscribers/bus.yaml')) as { events: string[]; sink: { type: string; url: string } };
    expect(bus.events).toEqual(['*']);
    expect(bus.sink).toMatchObject({ type: 'nats', url: 'nats://nats:4222' });
  });

  it('gives each node its own id, one database URL, one shared file store, and only variables the gateway reads', () => {
    const ids = gateways.map(([, s]) => s.environment.EDIGW_NODE_ID);
    expect(new Set(ids).size).toBe(2);
    for (const [name, s] of gateways) {
      for (const v of Object.keys(s.environment)) expect(readVariables, `${name}: ${v}`).toContain(v);
      expect(s.environment.EDIGW_DATABASE_URL).toMatch(/^postgres:\/\/edigw:\$\{EDIGW_PG_PASSWORD:\?[^}]*\}@postgres:5432\/edigw$/);
      expect(s.volumes).toContain(`blobs:${s.environment.EDIGW_BLOB_DIR}`);
      // no secret is written into the file: tokens and the password come from the caller's environment
      expect(s.environment.EDIGW_ADMIN_TOKEN).toMatch(/^\$\{EDIGW_ADMIN_TOKEN:\?/);
    }
    for (const [, s] of Object.entries(compose.services)) {
      for (const v of s.volumes ?? []) {
        const source = String(v).split(':')[0]!;
        if (!source.startsWith('.')) expect(Object.keys(compose.volumes), `volume ${source} is declared`).toContain(source);
        else expect(existsSync(path.join(repo, source)), `${source} exists`).toBe(true);
      }
    }
  });
});

const runtime = (() => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

if (!runtime) console.warn('container-files: the image is not built: no container runtime answers `docker info` (the files are checked without one)');
describe.runIf(runtime)('with a container runtime', () => {
  it('builds the image', async () => {
    await execFileP('docker', ['build', '-t', 'edi-gateway:test', repo], { timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  }, 900_000);
});
