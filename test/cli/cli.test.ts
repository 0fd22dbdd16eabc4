import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(repo, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), ...env }, cwd: repo });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('edigw', () => {
  it('has --help on every command', async () => {
    for (const c of ['serve', 'translate', 'check', 'replay', 'render']) {
      const r = await cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: edigw ${c}`));
    }
    const top = await cli(['--help']);
    expect(top.out).toContain('translate  translate a file to canonical JSON (stores nothing)');
  });

  it('names an unknown command and an unknown option', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringMatching(/^edigw: unknown command "frobnicate"/) });
    const r = await cli(['translate', '--bogus', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^edigw translate: Unknown option '--bogus'/);
  });

  it('translates an X12 850 with the base mapping when no partner matches, storing nothing', async () => {
    const r = await cli(['translate', 'fixtures/x12/850-004010.edi']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.out);
    expect(docs[0]).toMatchObject({ type: 'purchase_order', partnerId: null, document: { poNumber: 'PO-45001', poDate: '2024-03-15' } });
  });

  it('exits 1 with the precise error for a file it cannot translate, and 2 for a missing file', async () => {
    const bad = path.join(dir, 'bad.edi');
    writeFileSync(bad, 'ISA*00*garbage~');
    const r = await cli(['translate', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bad\.edi: x12_/);
    const missing = await cli(['translate', path.join(dir, 'nope.edi')]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('cannot read') });
  });

  it('check refuses a broken partner profile with file:line:col and exit 2', async () => {
    const partners = path.join(dir, 'partners');
    mkdirSync(partners, { recursive: true });
    writeFileSync(path.join(partners, 'x.yaml'), 'id: x\nname: X\nstatus: live\nidentifiers: {}\n');
    const r = await cli(['check'], { EDIGW_PARTNERS_DIR: partners });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path.join(partners, 'x.yaml')}:3:9`);
  });

  it('runs through the bin script as `npx edigw` would', () => {
    const out = execFileSync(process.execPath, [path.join(repo, 'bin/edigw.js'), '--help'], { cwd: repo, encoding: 'utf8' });
    expect(out).toMatch(/^Usage: edigw <command>/);
  });
});
