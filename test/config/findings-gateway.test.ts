// The silent-ignore findings of issue 19 come from the one configuration loader, so the gateway
// reports them at start and on every hot reload as `edigw check` does (test/cli/check-findings.test.ts
// has each finding's text). Real mapping compiler and grammars; a rename-style save for the reload.
import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchGatewayConfig, type ConfigWatch } from '../../src/config/index.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { createMappingCompiler, type GatewayMapping } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import { createTempConfig, type TempConfig } from './support.ts';

let t: TempConfig | undefined;
let w: ConfigWatch<GatewayMapping> | undefined;
afterEach(() => { w?.close(); t?.cleanup(); w = undefined; t = undefined; });

const partner = `id: nwcomponents
name: NW Components
status: production
identifiers:
  x12: { qualifier: ZZ, id: NWCOMP }
documents:
  inbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
`;
const mapping = (fields: string) => `format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\nfields:\n${fields}`;

describe('findings at gateway start and on hot reload', () => {
  it('start logs them; a reload that brings a new one lists it with the reload', async () => {
    t = createTempConfig();
    t.write('partners/nwcomponents.yaml', partner);
    const misplaced = t.write('mappings/nwcomponent/x12-850.inbound.yaml', mapping('  poNumber: BEG/03\n'));
    const logger = createMemoryLogger();
    w = watchGatewayConfig<GatewayMapping>({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: createMappingCompiler(grammarFor), logger, debounceMs: 50, onReload: () => {} });
    const start = logger.entries.find((e) => e.msg === 'configuration loaded with warnings');
    expect(start?.level).toBe('warn');
    expect(start?.fields?.warnings).toEqual([
      `${path.join(t.partnersDir, 'nwcomponents.yaml')}:8:7 mapping_resolves: no mapping found for inbound x12 850 004010 (hint: add mappings/nwcomponents/x12-850.inbound.yaml or a base mapping under mappings/_base/)`,
      `${misplaced}:1:1 mapping_folder_unknown: mappings/nwcomponent/ matches no partner (no partners/nwcomponent.yaml): its mappings are never used (hint: did you mean mappings/nwcomponents/ (partners/nwcomponents.yaml)?)`,
    ]);

    // an editor's save: write a temporary file, rename it over the target
    const file = path.join(t.mappingsDir, 'nwcomponents', 'x12-850.inbound.yaml');
    t.write('mappings/nwcomponents/.x12-850.tmp', mapping('  poNumber: BEG/03\n  lines:\n    each: PO1\n    fields:\n      lineNumber: PO1/01\n      description: BEG/03\n'));
    renameSync(path.join(t.mappingsDir, 'nwcomponents', '.x12-850.tmp'), file);
    const deadline = Date.now() + 5000;
    let reloaded;
    while (!(reloaded = logger.entries.find((e) => e.msg === 'configuration reloaded')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(reloaded?.fields?.warnings).toContain(`${file}:12:20 not_in_loop: path "BEG/03": BEG is not in loop PO1 per the 850 004010 grammar, so this path finds nothing here; BEG is at the message level (outside every loop) (hint: read it from the loop that holds this one: ../BEG/03)`);
    expect(w.current().mappingFor('nwcomponents', { format: 'x12', message: '850', version: '004010', direction: 'inbound' })?.file).toBe('nwcomponents/x12-850.inbound.yaml');
  });
});
