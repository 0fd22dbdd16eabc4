import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { createReaders } from '../pipeline/inbound/readers.ts';
import { translateFile } from '../pipeline/inbound/translate-file.ts';
import { unmappedReport } from '../pipeline/inbound/unmapped-report.ts';
import { dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';
import { compareFixture, listFixtureCases } from './fixtures.ts';

export const checkHelp = `Usage: edigw check [--fixtures <dir>] [--quiet] [--strict] [--unmapped[=strict]]

Validates every partner profile (partners/) and mapping (mappings/), then runs every golden
fixture (fixtures/<partner or standard>/<case>/: input.* with expected.json or
expected-errors.json) and prints a table. Reports mapping rules that no fixture exercises.

Options:
  --fixtures <dir>  fixtures folder (default: EDIGW_FIXTURES_DIR or ./fixtures)
  --quiet           print only failures and the summary
  --strict          configuration warnings fail the check too (exit 2), e.g. a partner's
                    secret environment variable that is not set
  --unmapped        also run the unmapped-data report over every X12/EDIFACT fixture input: the
                    elements no mapping rule reads and no ignore: declares, per fixture
  --unmapped=strict the same, and undeclared elements fail the check (exit 1)
  -h, --help        show this help

Exit status: 0 when everything passes, 1 when a fixture fails, 2 when configuration is invalid
(or, with --strict, has warnings). Warnings are printed either way.`;

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  // --unmapped=strict is --unmapped-strict to parseArgs (a boolean option takes no value)
  const args = argv.map((a) => (a === '--unmapped=strict' ? '--unmapped-strict' : a));
  const { values } = parseArgs({ args, options: { fixtures: { type: 'string' }, quiet: { type: 'boolean' }, strict: { type: 'boolean' }, unmapped: { type: 'boolean' }, 'unmapped-strict': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.out(checkHelp); return 0; }
  const { config, warnings } = loadConfigOrExplain(io.env);
  io.out(`configuration: ${config.partners.length} partner(s), ${config.mappings.size} mapping(s) valid`);
  for (const w of warnings) io.out(`  warning: ${w}`);

  const root = path.resolve(io.cwd, values.fixtures ?? dirsFromEnv(io.env).fixturesDir);
  const cases = listFixtureCases(root);
  const deps = { config, readers: createReaders(), validators: createCanonicalValidators() };
  const used = new Map<string, Set<string>>();
  const rows: Array<[string, string, string, string]> = [];
  let failed = 0;
  const unmapped = values.unmapped || values['unmapped-strict'] ? { fixtures: 0, sets: 0, undeclared: 0, declared: 0, lines: [] as string[] } : undefined;
  for (const [i, c] of cases.entries()) {
    io.err(`[${i + 1}/${cases.length}] ${c.group}/${c.name}`);
    const partnerId = config.partner(c.group) ? c.group : undefined;
    const bytes = readFileSync(c.input);
    const got = await translateFile(deps, bytes, { partnerId, ...c.options });
    if (unmapped) {
      const r = await unmappedReport(deps, { head: bytes, whole: () => bytes }, { partnerId, contentType: c.options?.contentType });
      if (r.sets.length > 0) unmapped.fixtures++;
      for (const s of r.sets) {
        unmapped.sets++;
        for (const u of s.undeclared) { unmapped.undeclared += u.count; unmapped.lines.push(`  ${c.group}/${c.name} (document ${s.document}, ${s.mappingFile}): ${u.path} not mapped: ${u.count}x (e.g. '${u.example}')`); }
        for (const d of s.declared) unmapped.declared += d.count;
      }
    }
    for (const d of got.documents) {
      if (!d.mappingFile) continue;
      const set = used.get(d.mappingFile) ?? new Set<string>();
      for (const r of d.usedRules) set.add(r);
      used.set(d.mappingFile, set);
    }
    const problems = compareFixture(c, got);
    if (problems.length > 0) failed++;
    if (problems.length > 0 || !values.quiet) rows.push([c.group, c.name, problems.length ? 'FAIL' : 'ok', problems.join('; ')]);
  }
  if (rows.length > 0) io.out(table(['partner', 'case', 'result', 'detail'], rows));

  const unexercised: string[] = [];
  for (const m of config.mappings.values()) {
    if (m.direction !== 'inbound') continue;
    const seen = used.get(m.file);
    if (!seen) { unexercised.push(`${m.file}: no fixture uses this mapping`); continue; }
    for (const r of m.rules) if (!seen.has(r.id)) unexercised.push(`${r.file}:${r.line}:${r.col} rule ${r.id}`);
  }
  if (unexercised.length > 0) {
    io.out(`\nmapping rules no fixture exercises (${unexercised.length}):`);
    for (const u of unexercised.slice(0, 200)) io.out(`  ${u}`);
  }
  io.out(`\nfixtures: ${cases.length - failed} of ${cases.length} passed, ${failed} failed`);
  if (unmapped) {
    io.out(`\nunmapped data (X12/EDIFACT inputs): ${unmapped.fixtures} fixture(s), ${unmapped.sets} set(s), ${unmapped.undeclared} element(s) undeclared, ${unmapped.declared} declared (ignore:)`);
    for (const l of unmapped.lines) io.out(l);
  }
  if (failed > 0) return 1;
  if (unmapped && values['unmapped-strict'] && unmapped.undeclared > 0) {
    io.out(`--unmapped=strict: ${unmapped.undeclared} undeclared element(s) fail the check: map them or declare them in the mapping's ignore: with a reason`);
    return 1;
  }
  if (values.strict && warnings.length > 0) {
    io.out(`--strict: ${warnings.length} configuration warning(s) fail the check`);
    return 2;
  }
  return 0;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
