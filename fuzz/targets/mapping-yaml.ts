/**
 * Mapping YAML through the configuration loader's compile step (compileMappings, what
 * loadGatewayConfig runs for every mapping file) in a temp mappings folder that holds a copy of
 * mappings/_base, so `extends:` resolves. Problems are the typed outcome; any throw is a crash.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileMappings, listMappingFiles } from '../../src/config/mapping-files.ts';
import { createMappingCompiler } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import type { FuzzTarget } from '../types.ts';
import { YAML_DIALECT } from './yaml-dialect.ts';

let dir = '';
const compile = createMappingCompiler(grammarFor);

export const target: FuzzTarget = {
  name: 'mapping-yaml',
  description: 'src/config/mapping-files.ts compileMappings (mapping load + compile) in a temp mappings folder',
  dialect: YAML_DIALECT,
  ratio: 20000,
  floorMs: 200,
  isTyped: () => false,
  async setup(src) {
    dir = mkdtempSync(path.join(tmpdir(), 'fuzz-mapping-'));
    const repoMappings = path.join(src.repoRoot, 'mappings');
    cpSync(path.join(repoMappings, '_base'), path.join(dir, '_base'), { recursive: true });
    mkdirSync(path.join(dir, 'fuzz'));
    return listMappingFiles(repoMappings).map((f) => ({ name: path.relative(src.repoRoot, f), bytes: readFileSync(f), meta: { file: path.basename(f) } }));
  },
  run(bytes, meta) {
    const file = path.join(dir, 'fuzz', meta.file ?? 'x12-850.inbound.yaml');
    writeFileSync(file, bytes);
    compileMappings([file], dir, compile);
  },
  teardown() { if (dir) rmSync(dir, { recursive: true, force: true }); },
};
