/**
 * Partner profile YAML through the configuration loader (createConfigLoader on a temp folder,
 * as hot reload and `edigw check` load it). Problems are the typed outcome; any throw is a crash.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConfigLoader } from '../../src/config/index.ts';
import { createMappingCompiler, type GatewayMapping } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import type { FuzzTarget } from '../types.ts';
import { YAML_DIALECT } from './yaml-dialect.ts';

let dir = '';
let load: (() => unknown) | undefined;
/** the seeds as shipped, by partner id: every other file is put back before an input is written */
const originals = new Map<string, Uint8Array>();
let dirty: string | undefined;

export const target: FuzzTarget = {
  name: 'partner-yaml',
  description: 'src/config: partners/<id>.yaml in a temp folder through createConfigLoader().load()',
  dialect: YAML_DIALECT,
  ratio: 20000,
  floorMs: 200,
  // the loader reports problems; it has no error it may throw
  isTyped: () => false,
  async setup(src) {
    dir = mkdtempSync(path.join(tmpdir(), 'fuzz-partner-'));
    for (const d of ['partners', 'mappings', 'fixtures']) mkdirSync(path.join(dir, d));
    const loader = createConfigLoader<GatewayMapping>({
      partnersDir: path.join(dir, 'partners'), mappingsDir: path.join(dir, 'mappings'), fixturesDir: path.join(dir, 'fixtures'),
      env: {}, compile: createMappingCompiler(grammarFor),
    });
    load = () => loader.load();
    const partners = path.join(src.repoRoot, 'partners');
    const seeds = readdirSync(partners).filter((n) => n.endsWith('.yaml'))
      .map((n) => ({ name: `partners/${n}`, bytes: readFileSync(path.join(partners, n)), meta: { id: n.replace(/\.yaml$/, '') } }));
    // the folder holds every shipped profile (identifier conflicts across files are checked), and only
    // the one file an input replaces differs: a slow or crashing load is that input's, and reproducible
    for (const s of seeds) { originals.set(s.meta.id, s.bytes); writeFileSync(path.join(dir, 'partners', `${s.meta.id}.yaml`), s.bytes); }
    return seeds;
  },
  run(bytes, meta) {
    const id = meta.id ?? 'fuzz';
    if (dirty !== undefined && dirty !== id) {
      const original = originals.get(dirty);
      if (original) writeFileSync(path.join(dir, 'partners', `${dirty}.yaml`), original);
      else rmSync(path.join(dir, 'partners', `${dirty}.yaml`), { force: true });
    }
    dirty = id;
    writeFileSync(path.join(dir, 'partners', `${id}.yaml`), bytes);
    load!();
  },
  teardown() { if (dir) rmSync(dir, { recursive: true, force: true }); originals.clear(); dirty = undefined; },
};
