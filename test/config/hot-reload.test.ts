/**
 * Hot reload with a real fs.watch on temp folders: a changed profile or mapping takes effect
 * without restart; a broken change is refused, logged with its problems, and the last good
 * configuration keeps serving.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchGatewayConfig, type CompiledMappingLike, type ConfigWatch } from '../../src/config/index.ts';
import type { GatewayConfig as Config } from '../../src/config/index.ts';

type GatewayConfig = Config<CompiledMappingLike>;
import { createMemoryLogger } from '../../src/core/logger.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
let w: ConfigWatch<CompiledMappingLike> | undefined;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => { w?.close(); w = undefined; t.cleanup(); });

/** Resolves with the next reloaded config or the next refusal, whichever comes first. */
function nextEvent(logger: ReturnType<typeof createMemoryLogger>, reloads: GatewayConfig[]): Promise<'reloaded' | 'refused'> {
  const seenReloads = reloads.length;
  const seenErrors = logger.entries.filter((e) => e.level === 'error').length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (reloads.length > seenReloads) { clearInterval(tick); resolve('reloaded'); }
      else if (logger.entries.filter((e) => e.level === 'error').length > seenErrors) { clearInterval(tick); resolve('refused'); }
      else if (Date.now() - started > 10_000) { clearInterval(tick); reject(new Error('no reload within 10 s')); }
    }, 20);
  });
}

describe('hot reload', () => {
  it('a changed partner file takes effect; a broken one is refused and the old config keeps serving', async () => {
    t.write('partners/acme.yaml', profile('acme'));
    const logger = createMemoryLogger();
    const reloads: GatewayConfig[] = [];
    w = watchGatewayConfig<CompiledMappingLike>({
      partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile,
      logger, debounceMs: 50, onReload: (c) => reloads.push(c),
    });
    expect(w!.current().partner('acme')?.name).toBe('Partner acme');

    let event = nextEvent(logger, reloads);
    t.write('partners/acme.yaml', profile('acme').replace('name: Partner acme', 'name: ACME Renamed'));
    expect(await event).toBe('reloaded');
    expect(w!.current().partner('acme')?.name).toBe('ACME Renamed');
    expect(reloads.at(-1)).toBe(w!.current());

    event = nextEvent(logger, reloads);
    const broken = t.write('partners/acme.yaml', profile('acme').replace('status: production', 'status: prod'));
    expect(await event).toBe('refused');
    expect(w!.current().partner('acme')?.name).toBe('ACME Renamed');
    const refusal = logger.entries.find((e) => e.level === 'error');
    expect(refusal?.msg).toBe('configuration change refused; the last good configuration keeps serving');
    expect(refusal?.fields?.problems).toEqual([
      `${broken}:3:9 enum: value "prod" of /status is not allowed (hint: allowed values: "test", "production")`,
    ]);

    event = nextEvent(logger, reloads);
    t.write('partners/beta.yaml', profile('beta'));
    t.write('partners/acme.yaml', profile('acme'));
    expect(await event).toBe('reloaded');
    expect(w!.current().partners.map((p) => p.id)).toEqual(['acme', 'beta']);
  });

  it('a new mapping in a sub-folder is picked up (recursive watch); a broken one is refused', async () => {
    t.write('partners/acme.yaml', profile('acme'));
    const logger = createMemoryLogger();
    const reloads: GatewayConfig[] = [];
    w = watchGatewayConfig<CompiledMappingLike>({
      partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile,
      logger, debounceMs: 50, onReload: (c) => reloads.push(c),
    });
    const key = { format: 'x12', message: '856', direction: 'inbound' as const };
    expect(w!.current().mappingFor('acme', key)).toBeUndefined();

    let event = nextEvent(logger, reloads);
    t.write('mappings/acme/x12-856.inbound.yaml', 'format: x12\nmessage: "856"\ndirection: inbound\n');
    expect(await event).toBe('reloaded');
    expect(w!.current().mappingFor('acme', key)?.file).toBe('acme/x12-856.inbound.yaml');

    event = nextEvent(logger, reloads);
    t.write('mappings/acme/x12-856.inbound.yaml', 'format: x12\nbroken: yes\n');
    expect(await event).toBe('refused');
    expect(w!.current().mappingFor('acme', key)?.file).toBe('acme/x12-856.inbound.yaml');
  });

  it('under traffic: every lookup during a series of reloads finds the partner, old or new', async () => {
    const version = (n: number) => profile('acme', `http: { apiKeyEnv: ACME_KEY }\nnotes: "v${n}"\n`);
    t.write('partners/acme.yaml', version(0));
    const logger = createMemoryLogger();
    const reloads: GatewayConfig[] = [];
    w = watchGatewayConfig<CompiledMappingLike>({
      partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: { ACME_KEY: 'k' }, compile: fakeCompile,
      logger, debounceMs: 20, onReload: (c) => reloads.push(c),
    });
    let lookups = 0;
    const misses: string[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        for (let i = 0; i < 200; i++) {
          lookups++;
          const p = w!.current().byApiKey('k');
          if (!p || !/^v\d$/.test(p.notes ?? '')) misses.push(String(p?.notes));
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let n = 1; n <= 5; n++) {
      const event = nextEvent(logger, reloads);
      t.write('partners/acme.yaml', '');            // a non-atomic save: truncated first...
      t.write('partners/acme.yaml', version(n));    // ...then written
      await event;
      while (w!.current().partner('acme')?.notes !== `v${n}`) await nextEvent(logger, reloads);
    }
    running = false;
    await traffic;
    expect(lookups).toBeGreaterThan(1000);
    expect(misses).toEqual([]);
    expect(w!.current().partner('acme')?.notes).toBe('v5');
  });

  it('a configuration that is broken at start is refused with all its problems', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'bogus: 1\n'));
    expect(() => watchGatewayConfig<CompiledMappingLike>({
      partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile,
      logger: createMemoryLogger(), onReload: () => {},
    })).toThrow(`configuration refused: 1 problem(s)\nerror: ${f}:6:1 additionalProperties: unknown key "bogus" in / (hint: allowed keys: id, name, status`);
  });
});
