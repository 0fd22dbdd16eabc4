// edigw check --partner, and output an operator reads: errors first, warnings labelled and folded,
// one screen by default (issue 19, "Configuration that behaves"). Runs the real CLI over copies of
// the repository's partners and mappings.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-check-partner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const base = { EDIGW_PARTNERS_DIR: path.join(repo, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_FIXTURES_DIR: path.join(repo, 'fixtures') };
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...base, ...env }, cwd: repo });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('edigw check --partner', () => {
  it('runs only that partner\'s fixtures and shows the partner and mapping each used', async () => {
    const r = await cli(['check', '--partner', 'acme']);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^acme\s/.test(l));
    // fixtures/acme holds three cases; the 856 runs on ACME's own mapping, the others on the shipped 004010 bases
    expect(rows).toHaveLength(3);
    expect(rows.find((l) => l.includes('856-ship-notice'))).toMatch(/ok\s+acme\s+acme\/x12-856\.inbound\.yaml/);
    expect(rows.find((l) => l.includes('810-invoice'))).toMatch(/ok\s+acme\s+_base\/x12-004010-810\.inbound\.yaml/);
    expect(r.out).not.toMatch(/^(globex|x12-004010|cxml)\s/m);
    // only acme's profile warnings (its SFTP key file is absent in the repository), no other partner's
    expect(r.out).toContain('partners/acme.yaml');
    expect(r.out).not.toMatch(/partners\/(globex|keystone|swiftfreight)\.yaml/);
    expect(r.out.trim().split('\n').at(-1)).toBe('fixtures: 3 of 3 passed, 0 failed');
  });

  it('refuses an unknown partner id, naming the known ones and the nearest', async () => {
    const r = await cli(['check', '--partner', 'acmee']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no partner "acmee": did you mean "acme"?');
    expect(r.err).toMatch(/known: acme, eurotrade, globex, keystone/);
  });

  it('says so in --help', async () => {
    const r = await cli(['check', '--help']);
    expect(r.out).toMatch(/--partner <id>\s+only that partner/);
    expect(r.out).toContain('--verbose');
  });
});

describe('edigw check output', () => {
  it('fits one screen by default over the repository, and --verbose lists every case', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(r.out).toMatch(/and \d+ more warning\(s\): --verbose lists them/);
    expect(r.out).toMatch(/\d+ passing case\(s\) not listed: --verbose lists them/);
    expect(lines.at(-1)).toMatch(/^fixtures: (\d+) of \1 passed, 0 failed$/);
    const all = await cli(['check', '--verbose']);
    expect(all.out).toMatch(/^x12-004010\s+850-purchase-order\s+ok/m);
    expect(all.out.split('\n').filter((l) => l.startsWith('  warning: ')).length).toBeGreaterThan(5);
  });

  it('puts the real error first when configuration is refused, the demo partners\' warnings folded', async () => {
    const partners = path.join(dir, 'partners');
    const mappings = path.join(dir, 'mappings');
    cpSync(path.join(repo, 'partners'), partners, { recursive: true });
    cpSync(path.join(repo, 'mappings'), mappings, { recursive: true });
    mkdirSync(path.join(mappings, 'acme'), { recursive: true });
    // a misspelt canonical field in ACME's 856 override: an error; the demo partners' missing key files are warnings
    writeFileSync(path.join(mappings, 'acme', 'x12-856.inbound.yaml'), 'extends: _base/x12-004010-856.inbound.yaml\nfields:\n  carrier:\n    trackingNumbr: "REF[01=2I]/02"\n');
    const env = { EDIGW_PARTNERS_DIR: partners, EDIGW_MAPPINGS_DIR: mappings };
    const r = await cli(['check'], env);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n');
    expect(lines[0]).toBe('edigw check: configuration has problems:');
    expect(lines[1]).toMatch(new RegExp(`^  error: ${path.join(mappings, 'acme', 'x12-856.inbound.yaml').replace(/[.\\/]/g, '\\$&')}:4:5 unknown_field`));
    expect(lines.at(-1)).toMatch(/^  and \d+ warning\(s\): edigw check --verbose lists them$/);
    expect(r.err).not.toContain('warning: ');
    const verbose = await cli(['check', '--verbose'], env);
    const v = verbose.err.split('\n');
    expect(v[1]).toMatch(/^  error: .*unknown_field/);
    expect(v.slice(2).every((l) => l.startsWith('  warning: '))).toBe(true);
    expect(v.length).toBeGreaterThan(3);
  });
});
