/**
 * Loads one partner profile: parse YAML (with positions), refuse inline secrets, check the
 * schema and transport schemas, check id == file name and transport/channel consistency,
 * resolve secret references and relative paths.
 */
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { problem } from './problems.ts';
import { findInlineSecrets, resolveReferences } from './secrets.ts';
import { createLocator, type Locate } from './yaml-locate.ts';
import type { ProfileValidator } from './schema-check.ts';
import type { ConfigProblem, PartnerProfile } from './types.ts';

export interface LoadedPartner {
  profile?: PartnerProfile;
  problems: ConfigProblem[];
  locate?: Locate;
}

export function loadPartnerText(
  file: string, text: string, deps: { validator: ProfileValidator; env: Record<string, string | undefined> },
): LoadedPartner {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return problem({ file, line: pos.line, col: pos.col, rule: 'yaml_syntax', message: e.message.split('\n')[0] ?? e.message });
      }),
    };
  }
  const locate = createLocator(doc, lineCounter);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [problem({ file, rule: 'type', message: 'a partner profile must be a YAML mapping (key: value lines)' })], locate };
  }
  const inline = findInlineSecrets(value, file, locate, deps.validator.keysAt);
  const problems = [...inline.problems, ...deps.validator.check(value, file, locate, inline.pointers)];
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
  const refs = resolveReferences(raw, file, locate, deps.env);
  problems.push(...refs.problems);
  if (problems.some((p) => p.severity === 'error')) return { problems, locate };

  const profile = { ...raw, file } as unknown as PartnerProfile;
  Object.defineProperty(profile, 'secrets', { value: Object.freeze(refs.secrets), enumerable: false });
  Object.defineProperty(profile, 'unresolvedSecrets', { value: Object.freeze(refs.unresolved), enumerable: false });
  return { profile, problems, locate };
}
