/**
 * Hot reload after saves by rename, as editors, `sed -i` and Kubernetes write files: a new file is
 * written beside the old one and renamed over it (the old inode goes away), and a ConfigMap volume
 * swaps a `..data` symlink to a new timestamped folder (the visible files are symlinks through it).
 * Each save, several in a row, must be picked up: a watch on the file itself would see the first
 * and nothing after. Real fs.watch on temp folders.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchGatewayConfig, type CompiledMappingLike, type ConfigWatch } from '../../src/config/index.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
let w: ConfigWatch<CompiledMappingLike> | undefined;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => { w?.close(); w = undefined; t.cleanup(); });

const named = (id: string, name: string) => profile(id).replace(`name: Partner ${id}`, `name: ${name}`);

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not seen within ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function start(partnersDir = t.partnersDir, mappingsDir = t.mappingsDir) {
  const logger = createMemoryLogger();
  w = watchGatewayConfig<CompiledMappingLike>({ partnersDir, mappingsDir, env: {}, compile: fakeCompile, logger, debounceMs: 30, onReload: () => {} });
  return logger;
}

/** what sed -i and most editors do: write a temporary file in the same folder, rename it over the file */
function saveByRename(file: string, text: string, n: number): void {
  const tmp = path.join(path.dirname(file), `sed${n}Xq7`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

describe('hot reload after saves by rename', () => {
  it('a partner file saved by rename five times: each save is picked up', async () => {
    const file = t.write('partners/acme.yaml', named('acme', 'v0'));
    start();
    for (let n = 1; n <= 5; n++) {
      saveByRename(file, named('acme', `v${n}`), n);
      await until(`save ${n}`, () => w!.current().partner('acme')?.name === `v${n}`);
    }
  });

  it('a mapping in a sub-folder saved by rename, and an editor that moves the old file to a backup first', async () => {
    t.write('partners/acme.yaml', profile('acme'));
    const file = t.write('mappings/acme/x12-856.inbound.yaml', 'format: x12\nmessage: "856"\ndirection: inbound\n# v0\n');
    start();
    const text = () => (w!.current().mappingFor('acme', { format: 'x12', message: '856', direction: 'inbound' }) as unknown as { text?: string } | undefined)?.text ?? '';
    expect(text()).toContain('# v0');
    for (let n = 1; n <= 3; n++) {
      saveByRename(file, `format: x12\nmessage: "856"\ndirection: inbound\n# v${n}\n`, n);
      await until(`mapping save ${n}`, () => text().includes(`# v${n}`));
    }
    const partner = path.join(t.partnersDir, 'acme.yaml');
    for (let n = 4; n <= 6; n++) {
      // vim with backupcopy=no: the file is renamed to a backup, a new one written, the backup removed
      renameSync(partner, `${partner}~`);
      writeFileSync(partner, named('acme', `v${n}`));
      rmSync(`${partner}~`);
      await until(`backup-style save ${n}`, () => w!.current().partner('acme')?.name === `v${n}`);
    }
  });

  it('a Kubernetes ConfigMap volume: the ..data symlink swapped to a new folder four times', async () => {
    // the layout the kubelet writes: <mount>/..<timestamp>/acme.yaml, ..data -> ..<timestamp>, acme.yaml -> ..data/acme.yaml
    const mount = path.join(t.root, 'configmap');
    mkdirSync(mount);
    const version = (n: number, files: Record<string, string>) => {
      const dir = path.join(mount, `..2026_12_07_18_00_0${n}.${1000 + n}`);
      mkdirSync(dir);
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      return path.basename(dir);
    };
    let current = version(0, { 'acme.yaml': named('acme', 'v0') });
    symlinkSync(current, path.join(mount, '..data'));
    symlinkSync('..data/acme.yaml', path.join(mount, 'acme.yaml'));
    start(mount);
    expect(w!.current().partner('acme')?.name).toBe('v0');
    for (let n = 1; n <= 4; n++) {
      const next = version(n, { 'acme.yaml': named('acme', `v${n}`) });
      symlinkSync(next, path.join(mount, '..data_tmp'));
      renameSync(path.join(mount, '..data_tmp'), path.join(mount, '..data'));
      rmSync(path.join(mount, current), { recursive: true });
      current = next;
      await until(`ConfigMap update ${n}`, () => w!.current().partner('acme')?.name === `v${n}`);
    }
    // a key added to the ConfigMap: a new symlink beside the others
    const next = version(5, { 'acme.yaml': named('acme', 'v5'), 'beta.yaml': named('beta', 'b5') });
    symlinkSync(next, path.join(mount, '..data_tmp'));
    renameSync(path.join(mount, '..data_tmp'), path.join(mount, '..data'));
    symlinkSync('..data/beta.yaml', path.join(mount, 'beta.yaml'));
    rmSync(path.join(mount, current), { recursive: true });
    await until('the new key', () => w!.current().partner('beta')?.name === 'b5');
  });
});
