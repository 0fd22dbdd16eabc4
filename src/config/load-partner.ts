/**
 * Loads one partner profile: parse YAML (with positions), refuse inline secrets, check the
 * schema and transport schemas, check id == file name and transport/channel consistency,
 * resolve secret references and relative paths.
 */
import path from 'node:path';
import { problem } from './problems.ts';
import { readConfigFile } from './read-config-file.ts';
import { retentionProblems } from './retention-check.ts';
import { findInlineSecrets, resolveReferences } from './secrets.ts';
import { CONFIG_YAML_LIMITS, type YamlLimits } from './yaml-limits.ts';
import { createLocator, type Locate } from './yaml-locate.ts';
import { parseConfigYaml, yamlValue } from './yaml-parse.ts';
import type { ProfileValidator } from './schema-check.ts';
import type { ConfigProblem, PartnerProfile } from './types.ts';

export interface LoadedPartner {
  profile?: PartnerProfile;
  problems: ConfigProblem[];
  locate?: Locate;
}

export interface PartnerLoadDeps {
  validator: ProfileValidator;
  env: Record<string, string | undefined>;
  limits?: YamlLimits;
}

/** Reads and loads one profile file; whatever goes wrong is a located problem, never an exception. */
export function loadPartnerFile(file: string, deps: PartnerLoadDeps): LoadedPartner {
  try {
    const read = readConfigFile(file, deps.limits ?? CONFIG_YAML_LIMITS);
    return read.problems ? { problems: read.problems } : loadPartnerText(file, read.text, deps);
  } catch (e) {
    // a defect in our own checks must cost this one file, not the process or the other partners
    return { problems: [problem({ file, rule: 'config_unexpected', message: `the profile could not be checked (${e instanceof Error ? e.message : String(e)})`, hint: 'this is a gateway defect: report it with the file' })] };
  }
}

export function loadPartnerText(file: string, text: string, deps: PartnerLoadDeps): LoadedPartner {
  const limits = deps.limits ?? CONFIG_YAML_LIMITS;
  const parsed = parseConfigYaml(file, text, { maxDepth: limits.maxDepth, aliases: 'allow' });
  if (!parsed.doc) return { problems: parsed.problems };
  const locate = createLocator(parsed.doc, parsed.lineCounter);
  const converted = yamlValue(file, parsed, limits.maxAliasCount);
  if ('problems' in converted) return { problems: [...parsed.problems, ...converted.problems], locate };
  const value = converted.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [...parsed.problems, problem({ file, rule: 'type', message: 'a partner profile must be a YAML mapping (key: value lines)' })], locate };
  }
  const inline = findInlineSecrets(value, file, locate, deps.validator.keysAt);
  const problems = [...parsed.problems, ...inline.problems, ...deps.validator.check(value, file, locate, inline.pointers)];
  const raw = value as Record<string, unknown>;

  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (typeof raw.id === 'string' && raw.id !== expectedId) {
    problems.push(problem({
      file, ...locate('/id'), pointer: '/id', rule: 'id_matches_file_name',
      message: `id "${raw.id}" does not match the file name "${path.basename(file)}"`,
      hint: `rename the file to "${raw.id}.yaml" or set id: ${expectedId}`,
    }));
  }
  const channel = (raw.outbound as { channel?: unknown } | undefined)?.channel;
  if ((channel === 'as2' || channel === 'sftp') && raw[channel] === undefined) {
    problems.push(problem({
      file, ...locate('/outbound/channel'), pointer: '/outbound/channel', rule: 'outbound_transport',
      message: `outbound channel "${channel}" needs a "${channel}:" block in the profile`,
      hint: `add ${channel}: with the partner's ${channel === 'as2' ? 'url and certificate' : 'server'}`,
    }));
  }
  const ids = raw.identifiers as Record<string, unknown> | undefined;
  const http = raw.http as Record<string, unknown> | undefined;
  if (ids && typeof ids === 'object' && Object.keys(ids).length === 0 && !['apiKeyEnv', 'apiKeyFile', 'apiKeySha256'].some((k) => http?.[k] !== undefined)) {
    problems.push(problem({
      file, ...locate('/identifiers', { key: true }), pointer: '/identifiers', rule: 'identifiable', severity: 'warning',
      message: 'no identifier and no API key: no inbound traffic can be attributed to this partner',
      hint: 'add identifiers (x12, edifact, as2) or http.apiKeyEnv',
    }));
  }
  problems.push(...retentionProblems(raw, file, locate));
  const refs = resolveReferences(raw, file, locate, deps.env);
  problems.push(...refs.problems);
  if (problems.some((p) => p.severity === 'error')) return { problems, locate };

  // identifiers.x12/edifact/as2 are each one value or a list: identities keeps all, identifiers the first
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const given = (raw.identifiers ?? {}) as { x12?: unknown; edifact?: unknown; as2?: unknown };
  const identities = { x12: list(given.x12), edifact: list(given.edifact), as2: list(given.as2) } as PartnerProfile['identities'];
  const identifiers = Object.fromEntries(Object.entries(identities).filter(([, v]) => v.length > 0).map(([k, v]) => [k, v[0]]));
  const profile = { ...raw, identifiers, identities, file } as unknown as PartnerProfile;
  Object.defineProperty(profile, 'secrets', { value: Object.freeze(refs.secrets), enumerable: false });
  Object.defineProperty(profile, 'unresolvedSecrets', { value: Object.freeze(refs.unresolved), enumerable: false });
  return { profile, problems, locate };
}
