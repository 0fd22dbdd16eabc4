import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { createReaders } from '../pipeline/inbound/readers.ts';
import { translateFile } from '../pipeline/inbound/translate-file.ts';
import { unmappedReport } from '../pipeline/inbound/unmapped-report.ts';
import type { GatewayConfig } from '../config/index.ts';
import { fixtureIdentityProblems } from '../config/fixture-identities.ts';
import { nearest } from '../config/nearest.ts';
import { problemLines } from '../config/problems.ts';
import type { GatewayMapping } from '../pipeline/inbound/compile-mapping.ts';
import { CliError, dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';
import { compareFixture, listFixtureCases } from './fixtures.ts';

export const checkHelp = `Usage: edigw check [--partner <id>] [--fixtures <dir>] [--verbose] [--quiet] [--strict] [--unmapped[=strict]]

Validates every partner profile (partners/) and mapping (mappings/), then runs every golden
fixture (fixtures/<partner or standard>/<case>/: input.* with expected.json or
expected-errors.json) and prints a table: each case, the partner it ran as and the mapping(s) it
used. Reports mapping rules that no fixture exercises, and warns when a profile's X12/EDIFACT
identifiers (ISA05/06, GS02, UNB S002) match none of its own fixtures' envelopes (or it has none:
a partner's fixtures run as the partner, so only this catches a wrong ISA id). Errors come first; warnings are labelled,
and folded when there are errors or many of them, so the output fits a screen (--verbose: all).

Options:
  --partner <id>    only that partner: its profile's warnings, its mappings (mappings/<id>/, its
                    explicit mappings: files and the base mappings its documents resolve to) and its
                    fixtures (fixtures/<id>/). Errors anywhere are still shown: the gateway refuses
                    the whole configuration for one
  --fixtures <dir>  fixtures folder (default: EDIGW_FIXTURES_DIR or ./fixtures)
  --verbose         every warning, every fixture row and every unexercised rule
  --quiet           print only failures and the summary
  --strict          configuration warnings fail the check too (exit 2), e.g. a partner's
                    secret environment variable that is not set
  --unmapped        also run the unmapped-data report over every X12/EDIFACT fixture input: the
                    elements no mapping rule reads and no ignore: declares, per fixture
  --unmapped=strict the same, and undeclared elements fail the check (exit 1)
  -h, --help        show this help

Exit status: 0 when everything passes, 1 when a fixture fails, 2 when configuration is invalid
(or, with --strict, has warnings; or --partner names no partner).`;

/** at most this many fixture rows, warnings and unexercised rules by default (one screen) */
const SCREEN = { rows: 20, warnings: 5, rules: 10 };

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  // --unmapped=strict is --unmapped-strict to parseArgs (a boolean option takes no value)
  const args = argv.map((a) => (a === '--unmapped=strict' ? '--unmapped-strict' : a));
  const { values } = parseArgs({ args, options: { partner: { type: 'string' }, verbose: { type: 'boolean' }, fixtures: { type: 'string' }, quiet: { type: 'boolean' }, strict: { type: 'boolean' }, unmapped: { type: 'boolean' }, 'unmapped-strict': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.out(checkHelp); return 0; }
  const verbose = values.verbose === true;
  const { config, problems } = loadConfigOrExplain(io.env, { verbose });
  const scope = values.partner === undefined ? undefined : partnerScope(config, values.partner, path.resolve(io.cwd, dirsFromEnv(io.env).mappingsDir));
  const root = path.resolve(io.cwd, values.fixtures ?? dirsFromEnv(io.env).fixturesDir);
  const allCases = listFixtureCases(root);
  // a profile's envelope ids against its own fixtures' (which run as the partner, so never test them)
  const identities = config.partners.flatMap((p) => fixtureIdentityProblems(p, path.join(root, p.id), allCases.filter((c) => c.group === p.id).map((c) => ({ file: c.input, text: readFileSync(c.input, 'latin1') }))));
  // with --partner: its files, anything under mappings/<id>/, and a folder that looks like a misspelling of it
  const own = scope && path.join(path.resolve(io.cwd, dirsFromEnv(io.env).mappingsDir), values.partner!) + path.sep;
  const warnings = [...problems, ...identities].filter((p) => !scope || scope.files.has(p.file) || p.file.startsWith(own!)
    || (p.rule === 'mapping_folder_unknown' && (p.hint ?? '').includes(`mappings/${values.partner}/`)));
  io.out(`configuration: ${config.partners.length} partner(s), ${config.mappings.size} mapping(s) valid${scope ? `; partner ${values.partner}: ${scope.mappings.size} mapping(s)` : ''}`);
  for (const l of problemLines(warnings, { verbose, maxWarnings: values.quiet ? 0 : SCREEN.warnings })) io.out(`  ${l}`);

  const cases = allCases.filter((c) => !scope || c.group === values.partner);
  const deps = { config, readers: createReaders(), validators: createCanonicalValidators() };
  const used = new Map<string, Set<string>>();
  const rows: Array<{ failed: boolean; cells: string[] }> = [];
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
    const ranAs = unique(got.documents.map((d) => d.partnerId ?? '-')).join(',') || (partnerId ?? '-');
    const mappings = unique(got.documents.map((d) => d.mappingFile ?? '-')).join(',') || '-';
    rows.push({ failed: problems.length > 0, cells: [c.group, c.name, problems.length ? 'FAIL' : 'ok', ranAs, mappings, problems.join('; ')] });
  }
  // every row when they fit a screen (or --verbose), else the failures and a count of the rest
  const listed = values.quiet ? rows.filter((r) => r.failed) : verbose || rows.length <= SCREEN.rows ? rows : rows.filter((r) => r.failed);
  if (listed.length > 0) io.out(table(['fixtures', 'case', 'result', 'as partner', 'mapping', 'detail'], listed.map((r) => r.cells)));
  if (!values.quiet && listed.length < rows.length) io.out(`${rows.length - listed.length} passing case(s) not listed: --verbose lists them (or --partner <id>)`);

  const unexercised: string[] = [];
  for (const m of config.mappings.values()) {
    if (m.direction !== 'inbound' || (scope && !scope.mappings.has(m.file))) continue;
    const seen = used.get(m.file);
    if (!seen) { unexercised.push(`${m.file}: no fixture uses this mapping`); continue; }
    for (const r of m.rules) if (!seen.has(r.id)) unexercised.push(`${r.file}:${r.line}:${r.col} rule ${r.id}`);
  }
  if (unexercised.length > 0) {
    io.out(`\nmapping rules no fixture exercises (${unexercised.length}):`);
    const shown = verbose ? unexercised : values.quiet ? [] : unexercised.slice(0, SCREEN.rules);
    for (const u of shown) io.out(`  ${u}`);
    if (shown.length < unexercised.length) io.out(`  and ${unexercised.length - shown.length} more: --verbose lists them`);
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
  if (values.strict && warnings.some((w) => w.severity !== 'error')) {
    io.out(`--strict: ${warnings.length} configuration warning(s) fail the check`);
    return 2;
  }
  return 0;
}

/**
 * What --partner <id> covers: its profile file and its mappings (by the names the mapping engine
 * uses: mappings/<id>/..., its explicit mappings: files, and what its declared documents resolve
 * to, a shared base included). An unknown id is a CliError naming the known ones.
 */
function partnerScope(config: GatewayConfig<GatewayMapping>, id: string, mappingsDir: string): { files: Set<string>; mappings: Set<string> } {
  const p = config.partner(id);
  if (!p) {
    const known = config.partners.map((x) => x.id).sort();
    const near = nearest(id, known);
    throw new CliError(`no partner "${id}"${near ? `: did you mean "${near}"?` : ''} (known: ${known.join(', ') || 'none'}; a partner is partners/<id>.yaml)`, 2);
  }
  const byFile = new Map([...config.mappings.entries()].map(([file, m]) => [path.resolve(file), m.file]));
  const mappings = new Set<string>();
  for (const m of config.mappings.values()) if (m.file.startsWith(`${id}/`)) mappings.add(m.file);
  for (const f of Object.values(p.mappings ?? {})) { const name = byFile.get(path.resolve(f)); if (name) mappings.add(name); }
  for (const direction of ['inbound', 'outbound'] as const) {
    for (const d of p.documents?.[direction] ?? []) {
      const m = config.mappingFor(id, { format: d.format, message: d.message ?? d.type, version: d.version, direction });
      if (m) mappings.add(m.file);
    }
  }
  const files = new Set([path.resolve(p.file), ...[...mappings].map((m) => path.resolve(mappingsDir, m))]);
  return { files, mappings };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
