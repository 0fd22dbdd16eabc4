/**
 * Starts a real gateway in-process on 127.0.0.1 (port 0) over a temp SQLite file and temp
 * partners/ and mappings/ folders, for end-to-end tests over real HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock, systemClock } from '../../src/core/clock.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/gateway.ts';

/** The instant the fixture's fixed clock starts at; certificates made for a fixture use it too. */
export const FIXTURE_TIME = '2026-11-23T10:00:00.000Z';

export const tokens = { admin: 'admin-token-0123456789', operator: 'operator-token-0123456789', erp: 'erp-token-0123456789' };

export const restcoYaml = `id: restco
name: RestCo Inc.
status: production
identifiers: {}
formats:
  json: { canonical: true }
http:
  apiKeyEnv: RESTCO_API_KEY
duplicates: { policy: reject, windowDays: 30 }
`;

export interface GatewayFixture {
  gw: RunningGateway;
  dir: string;
  clock: ReturnType<typeof fixedClock>;
  logger: ReturnType<typeof createMemoryLogger>;
  keys: Record<string, string>;
  fetch(pathname: string, init?: RequestInit & { token?: string; key?: string }): Promise<Response>;
  writePartner(id: string, yaml: string): void;
  writeMapping(rel: string, yaml: string): void;
  close(): Promise<void>;
}

export async function startGatewayFixture(opts: { partners?: Record<string, string>; mappings?: Record<string, string>; maxBodyBytes?: number; realClock?: boolean; env?: Record<string, string>; files?: Record<string, string | Buffer>; as2?: GatewayOptions['as2']; erpPush?: GatewayOptions['erpPush']; databaseUrl?: string; watchConfig?: boolean; processingThreads?: number; processingHeapMb?: number; streamThresholdBytes?: number } = {}): Promise<GatewayFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-'));
  const partnersDir = path.join(dir, 'partners');
  const mappingsDir = path.join(dir, 'mappings');
  mkdirSync(partnersDir);
  mkdirSync(mappingsDir);
  const writePartner = (id: string, yaml: string) => writeFileSync(path.join(partnersDir, `${id}.yaml`), yaml);
  const writeMapping = (rel: string, yaml: string) => {
    mkdirSync(path.dirname(path.join(mappingsDir, rel)), { recursive: true });
    writeFileSync(path.join(mappingsDir, rel), yaml);
  };
  for (const [id, yaml] of Object.entries(opts.partners ?? { restco: restcoYaml })) writePartner(id, yaml);
  for (const [rel, yaml] of Object.entries(opts.mappings ?? {})) writeMapping(rel, yaml);
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  const keys: Record<string, string> = { RESTCO_API_KEY: 'restco-key-abcdef', JSONCO_API_KEY: 'jsonco-key-abcdef', OTHER_API_KEY: 'other-key-abcdef', ...opts.env };
  const clock = fixedClock(FIXTURE_TIME);
  const logger = createMemoryLogger();
  const gw = await startGateway({
    port: 0, host: '127.0.0.1', databaseUrl: opts.databaseUrl ?? path.join(dir, 'gateway.db'), partnersDir, mappingsDir,
    as2: opts.as2, erpPush: opts.erpPush,
    env: keys, logger, clock: opts.realClock ? systemClock : clock, maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024, watchConfig: opts.watchConfig ?? false,
    ...(opts.processingThreads ? { processingThreads: opts.processingThreads, processingHeapMb: opts.processingHeapMb } : {}),
    ...(opts.streamThresholdBytes ? { streamThresholdBytes: opts.streamThresholdBytes } : {}),
    tokens: [
      { token: tokens.admin, role: 'admin', name: 'test-admin' },
      { token: tokens.operator, role: 'operator', name: 'test-operator' },
      { token: tokens.erp, role: 'erp', name: 'test-erp' },
    ],
  });
  return {
    gw, dir, clock, logger, keys, writePartner, writeMapping,
    fetch(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.key) headers.set('x-api-key', init.key);
      return fetch(gw.url + pathname, { ...init, headers });
    },
    async close() {
      await gw.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
