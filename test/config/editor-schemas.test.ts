/**
 * Editor schemas (issue 19): schemas/partner.schema.json and schemas/mapping.schema.json are what
 * scripts/editor-schemas.ts generates from the loader's own schemas (a change there without
 * regenerating fails here), every example profile and mapping names its schema on its first line
 * with the path right for its folder, the published schemas accept every example file (an editor
 * never underlines what the gateway takes), and the loader takes the modeline line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editorSchemaFiles } from '../../scripts/editor-schemas.ts';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createMappingCompiler } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import { sftpSourceConfigSchema } from '../../src/transports/sftp/config.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const yamlFiles = (dir: string): string[] => readdirSync(path.join(repo, dir), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
  .map((e) => path.relative(repo, path.join(e.parentPath, e.name)))
  .sort();

const schema = (name: string) => JSON.parse(readFileSync(path.join(repo, 'schemas', name), 'utf8')) as object;

describe('editor schemas', () => {
  it('are the generator\'s output (node --import tsx scripts/editor-schemas.ts --write)', () => {
    for (const [file, text] of Object.entries(editorSchemaFiles())) {
      expect(readFileSync(path.join(repo, file), 'utf8'), `${file} is stale: run node --import tsx scripts/editor-schemas.ts --write`).toBe(text);
    }
  });

  it('every example profile and mapping names its schema on its first line, relative to its folder', () => {
    const files = [...yamlFiles('partners'), ...yamlFiles('mappings')];
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const kind = f.startsWith('partners/') ? 'partner' : 'mapping';
      const first = readFileSync(path.join(repo, f), 'utf8').split('\n')[0];
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first ?? '');
      expect(m, `${f}: first line ${JSON.stringify(first)}`).not.toBeNull();
      // the path an editor resolves from the file's folder
      expect(path.relative(repo, path.resolve(repo, path.dirname(f), m![1]!)), f).toBe(`schemas/${kind}.schema.json`);
    }
  });

  it('accept every example file as it is', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(ajv);
    const partner = ajv.compile(schema('partner.schema.json'));
    const mapping = ajv.compile(schema('mapping.schema.json'));
    for (const f of yamlFiles('partners')) {
      expect(partner(parse(readFileSync(path.join(repo, f), 'utf8'))), `${f}: ${JSON.stringify(partner.errors)}`).toBe(true);
    }
    for (const f of yamlFiles('mappings')) {
      expect(mapping(parse(readFileSync(path.join(repo, f), 'utf8'))), `${f}: ${JSON.stringify(mapping.errors)}`).toBe(true);
    }
  });

  it('refuse what the loader refuses: an unknown key, a wrong enum, a mapping without its header', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(ajv);
    const partner = ajv.compile(schema('partner.schema.json'));
    const mapping = ajv.compile(schema('mapping.schema.json'));
    const ok = { id: 'northwind', name: 'Northwind', status: 'test', identifiers: { x12: { qualifier: 'ZZ', id: 'NORTHWIND' } } };
    expect(partner(ok), JSON.stringify(partner.errors)).toBe(true);
    expect(partner({ ...ok, statsu: 'test' })).toBe(false);
    expect(partner({ ...ok, status: 'live' })).toBe(false);
    expect(partner({ ...ok, sftp: { host: 'h', username: 'u', hostKeySha256: 'x', inbox: '/in', privateKeyFile: 'k' } })).toBe(false); // hostKeySha256 pattern
    expect(mapping({ format: 'x12', message: '850', version: '004010', direction: 'inbound', document: 'purchase_order', fields: {} })).toBe(true);
    expect(mapping({ extends: '_base/x12-004010-850.inbound.yaml', fields: {} })).toBe(true);
    expect(mapping({ fields: {} })).toBe(false);
    expect(mapping({ extends: '_base/x.yaml', feilds: {} })).toBe(false);
  });

  it('the loader takes the modeline: the examples load with it', () => {
    const { config, problems } = loadGatewayConfig({
      partnersDir: path.join(repo, 'partners'), mappingsDir: path.join(repo, 'mappings'), env: {},
      compile: createMappingCompiler(grammarFor), transportSchemas: { sftp: sftpSourceConfigSchema },
    });
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.text)).toEqual([]);
    expect(config).toBeDefined();
  });
});
