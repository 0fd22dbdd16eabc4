import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;

describe('edigw --version', () => {
  it.each(['--version', '-V'])('%s prints the package version and exits 0', (flag) => {
    const out = execFileSync(process.execPath, ['bin/edigw.js', flag], { cwd: root, encoding: 'utf8' });
    expect(out).toBe(`edigw ${version}\n`);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
