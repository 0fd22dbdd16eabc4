/**
 * The zero-undeclared test: the unmapped report over every file in ../shared/conformance/ (read
 * from there, never copied) whose sets/messages are the four supported X12 sets (850, 855, 856,
 * 810) or the four EDIFACT messages (ORDERS, ORDRSP, DESADV, INVOIC). Every element the base
 * mappings do not read is either mapped or declared in their `ignore:` with a reason; the count of
 * undeclared drops stays zero. Prints per folder: files, sets, undeclared, declared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unmappedReport } from '../../src/pipeline/inbound/unmapped-report.ts';
import { loadRepoConfig, repoRoot } from '../golden/gateway-config.ts';

const conformance = path.resolve(repoRoot, '../shared/conformance');
const SUPPORTED = new Set(['850', '855', '856', '810', 'ORDERS', 'ORDRSP', 'DESADV', 'INVOIC']);
const present = existsSync(conformance);

describe.skipIf(!present)('unmapped report over ../shared/conformance: zero undeclared drops', () => {
  it('every supported set is mapped or declared, per folder', async () => {
    const { deps } = loadRepoConfig();
    const lines: string[] = [];
    const undeclared: string[] = [];
    for (const folder of readdirSync(conformance).sort()) {
      const dir = path.join(conformance, folder);
      if (!statSync(dir).isDirectory()) continue;
      const stats = { files: 0, sets: 0, undeclared: 0, declared: 0, refused: 0 };
      for (const name of readdirSync(dir).sort()) {
        const file = path.join(dir, name);
        if (!statSync(file).isFile()) continue;
        const bytes = readFileSync(file);
        const report = await unmappedReport(deps, { head: bytes, whole: () => bytes });
        const sets = report.sets.filter((s) => SUPPORTED.has(s.message));
        // a supported set its syntax refuses is not read, so not reported: counted apart
        stats.refused += report.skipped.filter((k) => SUPPORTED.has(k.message)).length;
        if (sets.length === 0) continue;
        stats.files++;
        for (const s of sets) {
          stats.sets++;
          for (const u of s.undeclared) { stats.undeclared += u.count; undeclared.push(`${folder}/${name} (document ${s.document}, ${s.mappingFile}): ${u.path} ${u.count}x (e.g. '${u.example}')`); }
          for (const d of s.declared) stats.declared += d.count;
        }
      }
      lines.push(`${folder.padEnd(10)} files ${String(stats.files).padStart(3)}  sets ${String(stats.sets).padStart(4)}  undeclared ${String(stats.undeclared).padStart(4)}  declared ${String(stats.declared).padStart(5)}  (sets refused by their syntax, not read: ${stats.refused})`);
    }
    console.log(`unmapped report over ${conformance}:\n${lines.join('\n')}`);
    expect(undeclared).toEqual([]);
  }, 30_000);
});

describe.runIf(!present)('unmapped report over ../shared/conformance', () => {
  it('is skipped: the folder is absent', () => {
    console.log(`${conformance} is absent: the zero-undeclared test did not run`);
  });
});
