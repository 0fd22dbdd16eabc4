/**
 * A profile's `retention:` block: the problems an integration engineer sees (file:line:col, rule,
 * message, hint; positions counted by hand in the YAML below), `edigw check` refusing a bad window,
 * and the gateway-wide defaults read from the environment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { policyFor, retentionDefaultsFromEnv } from '../../src/retention/policy.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from '../config/support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

const texts = () => loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile }).problems.map((p) => p.text);

describe('retention in a partner profile', () => {
  it('a valid block loads without a problem', () => {
    t.write('partners/acme.yaml', profile('acme', 'retention:\n  archiveAfterDays: 30\n  purgeAfterDays: never\n'));
    expect(texts()).toEqual([]);
  });

  it('zero days: located at the value, with the range and an example', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'retention:\n  archiveAfterDays: 0\n'));
    expect(texts()).toEqual([`${f}:7:21 retention_days: retention.archiveAfterDays must be a whole number of days from 1 to 36500 or "never", found 0 (hint: e.g. archiveAfterDays: 30)`]);
  });

  it('a quoted number and a word that is not "never"', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'retention:\n  archiveAfterDays: "30"\n  purgeAfterDays: forever\n'));
    expect(texts()).toEqual([
      `${f}:7:21 retention_days: retention.archiveAfterDays must be a whole number of days from 1 to 36500 or "never", found "30" (hint: write it without quotes: archiveAfterDays: 30)`,
      `${f}:8:19 retention_days: retention.purgeAfterDays must be a whole number of days from 1 to 36500 or "never", found "forever" (hint: e.g. purgeAfterDays: 365)`,
    ]);
  });

  it('a purge before the archive is refused at purgeAfterDays', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'retention: { archiveAfterDays: 30, purgeAfterDays: 10 }\n'));
    expect(texts()).toEqual([`${f}:6:52 retention_order: retention.purgeAfterDays (10) is shorter than retention.archiveAfterDays (30): raw messages would be deleted before they are archived (hint: set purgeAfterDays to 30 or more, or lower archiveAfterDays)`]);
  });

  it('a misspelt key gets the nearest one; a boolean is a type problem', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'retention:\n  archiveAfterDay: 30\n  purgeAfterDays: true\n'));
    expect(texts()).toEqual([
      `${f}:7:3 additionalProperties: unknown key "archiveAfterDay" in /retention (hint: did you mean "archiveAfterDays"?)`,
      `${f}:8:19 type: /retention/purgeAfterDays must be integer or string, found true`,
    ]);
  });

  it('edigw check refuses the profile with the same text', async () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'retention: { archiveAfterDays: 30, purgeAfterDays: 10 }\n'));
    const out: string[] = [];
    const code = await runCli(['check'], { out: (s) => out.push(s), err: (s) => out.push(s), env: { EDIGW_PARTNERS_DIR: t.partnersDir, EDIGW_MAPPINGS_DIR: t.mappingsDir, EDIGW_FIXTURES_DIR: `${t.root}/fixtures` }, cwd: t.root });
    expect(code).not.toBe(0);
    expect(out.join('\n')).toContain(`${f}:6:52 retention_order: retention.purgeAfterDays (10) is shorter than retention.archiveAfterDays (30)`);
  });
});

describe('gateway-wide defaults', () => {
  it('come from the environment; a profile overrides each key it sets; a purge is never earlier than the archive', () => {
    const d = retentionDefaultsFromEnv({ EDIGW_RETENTION_ARCHIVE_AFTER_DAYS: '30', EDIGW_RETENTION_PURGE_AFTER_DAYS: '365', EDIGW_RETENTION_INTERVAL_MINUTES: '15' });
    expect(d).toEqual({ archiveAfterDays: 30, purgeAfterDays: 365, intervalMinutes: 15 });
    const p = (retention: object) => ({ id: 'acme', retention }) as never;
    expect(policyFor('acme', p({ archiveAfterDays: 7 }), d)).toMatchObject({ archiveAfterDays: 7, archiveSource: 'partner', purgeAfterDays: 365, purgeSource: 'gateway' });
    expect(policyFor('acme', p({ purgeAfterDays: 'never' }), d)).toMatchObject({ archiveAfterDays: 30, purgeAfterDays: null });
    expect(policyFor('acme', p({ archiveAfterDays: 400 }), d)).toMatchObject({ archiveAfterDays: 400, purgeAfterDays: 400 });
    expect(policyFor(null, undefined, {})).toMatchObject({ archiveAfterDays: null, purgeAfterDays: null });
  });

  it('a bad value names the variable', () => {
    expect(() => retentionDefaultsFromEnv({ EDIGW_RETENTION_PURGE_AFTER_DAYS: '1y' })).toThrow('EDIGW_RETENTION_PURGE_AFTER_DAYS must be a whole number of days (1 or more) or "never", got "1y"');
    expect(() => retentionDefaultsFromEnv({ EDIGW_RETENTION_INTERVAL_MINUTES: '0' })).toThrow('EDIGW_RETENTION_INTERVAL_MINUTES must be a positive number of minutes, got "0"');
  });
});
