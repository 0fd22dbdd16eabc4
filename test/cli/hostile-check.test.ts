/**
 * `edigw check` on hostile partner YAML (issue 12: "edigw check dies without file:line"): the real
 * bin/edigw.js as a child process prints each finding as file:line:col rule: message, exits 2,
 * and prints no stack trace. Lines and columns counted by hand in the texts below.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../bin/edigw.js');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-check-'));
const partners = path.join(dir, 'partners');
mkdirSync(partners);
mkdirSync(path.join(dir, 'mappings'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** writes partners/acme.yaml and runs `edigw check` on it */
function check(text: string): { status: number | null; stdout: string; stderr: string; file: string } {
  const file = path.join(partners, 'acme.yaml');
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [bin, 'check'], {
    cwd: dir, encoding: 'utf8', timeout: 60_000,
    env: { PATH: process.env.PATH, EDIGW_PARTNERS_DIR: partners, EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'), EDIGW_FIXTURES_DIR: path.join(dir, 'fixtures') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, file };
}

const noStack = (s: string) => {
  expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(s).not.toMatch(/node_modules|node:internal|RangeError|ReferenceError|TypeError/);
};

describe('edigw check on hostile partner YAML (real bin/edigw.js)', () => {
  it('an alias to no anchor (name: *nothere): the alias located, exit 2', () => {
    const r = check('id: acme\nname: *nothere\nstatus: production\nidentifiers: {}\n');
    expect(r.status).toBe(2);
    // "name: " is 6 columns: the alias starts at line 2, column 7
    expect(r.stderr).toBe('edigw check: configuration has problems:\n'
      + `  error: ${r.file}:2:7 yaml_alias_unknown: alias *nothere names no anchor defined before it (hint: define &nothere earlier in the file, or quote the value if "*" is meant literally)\n`);
    noStack(r.stderr + r.stdout);
  });

  it('10,000 levels of block nesting: refused at the 65th level, not a stack overflow', () => {
    const r = check(`id: acme\nname: ACME\nstatus: production\nidentifiers: {}\nnotes:\n${'- '.repeat(10_000)}x\n`);
    expect(r.status).toBe(2);
    // line 6 is "- - - ...": the 65th "-" is column 1 + 2 x 64 = 129
    expect(r.stderr).toBe('edigw check: configuration has problems:\n'
      + `  error: ${r.file}:6:129 yaml_too_deep: nesting deeper than 64 levels (hint: configuration is a few levels deep; check for unclosed [ or { or runaway indentation)\n`);
    noStack(r.stderr + r.stdout);
  });

  it('10,000 nested [ on one line: refused at the 65th bracket', () => {
    const r = check(`id: acme\nname: ${'['.repeat(10_000)}\nstatus: production\nidentifiers: {}\n`);
    expect(r.status).toBe(2);
    // "name: " is 6 columns: the 65th "[" is column 71
    expect(r.stderr).toContain(`  error: ${r.file}:2:71 yaml_too_deep: nesting deeper than 64 levels`);
    noStack(r.stderr + r.stdout);
  });

  it('a tab-indented line: YAML allows no tabs in indentation, located at the tab', () => {
    const r = check('id: acme\nname: ACME\nstatus: production\nidentifiers:\n\tx12: { qualifier: ZZ, id: ACME }\n');
    expect(r.status).toBe(2);
    // line 5 starts with the tab
    expect(r.stderr).toMatch(new RegExp(`^edigw check: configuration has problems:\\n  error: ${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1 yaml_syntax: Tabs are not allowed as indentation`));
    noStack(r.stderr + r.stdout);
  });
});
