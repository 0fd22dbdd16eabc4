/**
 * loadGatewayConfig: every partner profile and every mapping, checked and compiled once, with
 * all problems reported together. A configuration is returned only when nothing is an error, with
 * one exception: a partner whose identifier another file already claims is disabled (listed in
 * config.disabledPartners, with its problems) and the others run.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createPartnerIndex } from './identify.ts';
import { loadPartnerFile } from './load-partner.ts';
import { compileMappings, listMappingFiles } from './mapping-files.ts';
import { mappingCandidates, pathKey } from './mapping-resolve.ts';
import { problem } from './problems.ts';
import { createProfileValidator, type ProfileValidator } from './schema-check.ts';
import { checkMappingCoverage } from './coverage.ts';
import { mappingNameProblems } from './mapping-names.ts';
import type { Locate } from './yaml-locate.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import type { CompiledMappingLike, ConfigProblem, DisabledPartner, DisabledPartnerIndex, GatewayConfig, LoadOptions, PartnerProfile } from './types.ts';

export function listPartnerFiles(partnersDir: string): string[] {
  if (!existsSync(partnersDir)) return [];
  return readdirSync(partnersDir)
    .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(partnersDir, n));
}

export type LoadResult<M extends CompiledMappingLike> = { config?: GatewayConfig<M>; problems: ConfigProblem[] };

/** Loads the whole configuration once. Compiles the profile schema each call: use createConfigLoader to reload often. */
export function loadGatewayConfig<M extends CompiledMappingLike = CompiledMapping>(opts: LoadOptions<M>): LoadResult<M> {
  return createConfigLoader(opts).load();
}

/** Compiles the profile and transport schemas once (a few hundred ms); `load()` then reads and checks the files. */
export function createConfigLoader<M extends CompiledMappingLike = CompiledMapping>(opts: LoadOptions<M>): { load(): LoadResult<M> } {
  const validator = createProfileValidator(opts.transportSchemas);
  return { load: () => loadWith(opts, validator) };
}

function loadWith<M extends CompiledMappingLike>(opts: LoadOptions<M>, validator: ProfileValidator): LoadResult<M> {
  const partnersDir = path.resolve(opts.partnersDir);
  const mappingsDir = path.resolve(opts.mappingsDir);
  const fixturesRoot = path.resolve(opts.fixturesDir ?? path.join(partnersDir, '..', 'fixtures'));
  const problems: ConfigProblem[] = [];
  if (!existsSync(partnersDir)) {
    problems.push(problem({ file: partnersDir, rule: 'partners_dir', message: `partners folder ${partnersDir} does not exist` }));
  }

  const partners: PartnerProfile[] = [];
  const locators = new Map<string, Locate>();
  for (const file of listPartnerFiles(partnersDir)) {
    const loaded = loadPartnerFile(file, { validator, env: opts.env });
    problems.push(...loaded.problems);
    if (loaded.profile) {
      const same = partners.find((p) => p.id === loaded.profile!.id);
      if (same) {
        problems.push(problem({
          file, ...(loaded.locate?.('/id') ?? {}), pointer: '/id', rule: 'unique_identifier',
          message: `partner id "${same.id}" is already defined by ${same.file}`, hint: 'keep one file per partner',
        }));
        continue;
      }
      partners.push(loaded.profile);
      if (loaded.locate) locators.set(loaded.profile.id, loaded.locate);
    }
  }
  // Two files claiming one identifier: the earlier file (by name) keeps it, the later partner is
  // disabled (left out of the running configuration, so its traffic is not attributed to anyone
  // and goes to the exception queue), and the rest of the gateway runs. Still an error: `edigw
  // check` fails on it, and the gateway raises an alert and shows it in /healthz.
  const first = createPartnerIndex(partners, locators);
  const conflicts = first.problems.filter((p) => p.rule === 'unique_identifier');
  const disabled: DisabledPartner[] = [];
  let index = first.index;
  let disabledIndex: DisabledPartnerIndex | undefined;
  if (conflicts.length > 0) {
    const disabledProfiles = partners.filter((x) => conflicts.some((c) => c.file === x.file));
    for (const p of disabledProfiles) {
      disabled.push({ id: p.id, file: p.file, problems: conflicts.filter((c) => c.file === p.file) });
    }
    partners.splice(0, partners.length, ...partners.filter((p) => !disabled.some((d) => d.file === p.file)));
    index = createPartnerIndex(partners, locators).index;
    disabledIndex = indexDisabled(disabled, createPartnerIndex(disabledProfiles, locators).index);
  }
  problems.push(...first.problems);

  const explicitFiles = partners.flatMap((p) => Object.values(p.mappings ?? {}));
  const compiled = compileMappings([...listMappingFiles(mappingsDir), ...explicitFiles], mappingsDir, opts.compile);
  problems.push(...compiled.problems);
  const byPath = new Map<string, M>();
  for (const [file, m] of compiled.mappings) byPath.set(pathKey(file), m);
  const baseVersions = [...compiled.mappings.keys()]
    .filter((f) => path.dirname(f) === path.join(mappingsDir, '_base'))
    .map((f) => path.basename(f).split('-'))
    .filter((parts) => parts.length >= 3)
    .map((parts) => parts[1]!.toUpperCase());

  const byId = new Map(partners.map((p) => [p.id, p]));
  const config: GatewayConfig<M> = {
    partners,
    partner: (id) => byId.get(id),
    ...index,
    mappings: compiled.mappings,
    mappingFor(partnerId, key) {
      const partner = partnerId === undefined ? undefined : byId.get(partnerId);
      for (const candidate of mappingCandidates(mappingsDir, partner?.id ?? partnerId, partner?.mappings, key, baseVersions)) {
        const m = byPath.get(pathKey(candidate));
        if (m) return m;
      }
      return undefined;
    },
    fixturesDir: (partnerId) => path.join(fixturesRoot, partnerId),
    ...(opts.clock ? { loadedAt: opts.clock.now().toISOString() } : {}),
  };
  problems.push(...checkMappingCoverage(config, locators));
  const usedByPath = new Set([...explicitFiles.map((f) => path.resolve(f)), ...compiled.extended]);
  const partnerIds = listPartnerFiles(partnersDir).map((f) => path.basename(f).replace(/\.ya?ml$/, ''));
  const refused = new Set(compiled.problems.map((p) => path.resolve(p.file)));
  problems.push(...mappingNameProblems({ mappingsDir, partnerIds, config, usedByPath, refused }));
  const otherErrors = problems.filter((p) => p.severity === 'error' && !conflicts.includes(p));
  if (otherErrors.length > 0) return { problems };
  return disabled.length > 0 ? { config: { ...config, disabledPartners: disabled, disabled: disabledIndex! }, problems } : { config, problems };
}

/** the disabled partners found by id, envelope id or API key (their own identifiers: see DisabledPartnerIndex) */
function indexDisabled(disabled: readonly DisabledPartner[], index: ReturnType<typeof createPartnerIndex>['index']): DisabledPartnerIndex {
  const of = (p: PartnerProfile | undefined) => (p ? disabled.find((d) => d.file === p.file) : undefined);
  return {
    partner: (id) => disabled.find((d) => d.id === id),
    byX12: (qualifier, id) => of(index.byX12(qualifier, id)),
    byEdifact: (id, qualifier) => of(index.byEdifact(id, qualifier)),
    byApiKey: (key) => of(index.byApiKey(key)),
  };
}
