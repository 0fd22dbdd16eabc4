/**
 * The shipped partners and mappings loaded with the real mapping engine (src/mapping): every
 * mapping under mappings/ compiles, and resolution finds the base X12 004010 850 for partners.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createMappingCompiler } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';

// the compile function the gateway and `edigw` use: the mapping language with the codecs' grammars
const compileMapping = createMappingCompiler(grammarFor);
import { createTempConfig, profile } from './support.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = {};

describe('with the real mapping engine', () => {
  it('the repository configuration loads: no errors', () => {
    const r = loadGatewayConfig({ partnersDir: path.join(repoRoot, 'partners'), mappingsDir: path.join(repoRoot, 'mappings'), env, compile: compileMapping });
    expect(r.problems.filter((p) => p.severity === 'error').map((p) => p.text)).toEqual([]);
    expect(r.config!.mappings.size).toBeGreaterThan(0);
    const po = r.config!.mappingFor('acme', { format: 'x12', message: '850', version: '004010', direction: 'outbound' });
    expect(po?.file).toBe('_base/x12-004010-850.outbound.yaml');
    expect(po?.documentType).toBe('purchase_order');
  });

  it("a partner override extending the base compiles through config's load(); a bad one is located", () => {
    const t = createTempConfig();
    try {
      t.write('partners/acme.yaml', profile('acme'));
      const base = readFileSync(path.join(repoRoot, 'mappings/_base/x12-004010-850.inbound.yaml'), 'utf8');
      t.write('mappings/_base/x12-004010-850.inbound.yaml', base);
      t.write('mappings/acme/x12-850.inbound.yaml', 'extends: _base/x12-004010-850.inbound.yaml\nfields:\n  poNumbr: BEG/03\n');
      const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: compileMapping });
      expect(r.config).toBeUndefined();
      const bad = r.problems.filter((p) => p.file === path.join(t.mappingsDir, 'acme/x12-850.inbound.yaml'));
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatchObject({ line: 3, col: 3, severity: 'error' });
      // the message is the mapping engine's; config places it at the mapping's file:line:col
      expect(bad[0]!.text).toMatch(/^.*acme\/x12-850\.inbound\.yaml:3:3 \w+: .*"poNumbr".*\(hint: .*"poNumber".*\)$/);
    } finally {
      t.cleanup();
    }
  });
});
