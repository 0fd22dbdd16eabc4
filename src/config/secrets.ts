/**
 * Secrets by reference only. A key such as `password:` or `apiKey:` holding the secret itself is
 * refused; `passwordEnv:` names an environment variable (looked up in the env the caller passes,
 * never process.env) and `passwordFile:` a file. Paths in a profile are made absolute against the
 * profile's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { problem } from './problems.ts';
import type { Locate } from './yaml-locate.ts';
import type { ConfigProblem } from './types.ts';

const SECRET_WORD = /(password|passphrase|secret|apikey|api_key|token|privatekey|private_key|credentials?)$/i;
const REFERENCE_SUFFIX = /(Env|File|Sha256)$/;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

export function isInlineSecretKey(key: string): boolean {
  return SECRET_WORD.test(key) && !REFERENCE_SUFFIX.test(key);
}

type Visit = (key: string, value: unknown, pointer: string, parent: Record<string, unknown>) => void;

function walk(value: unknown, pointer: string, visit: Visit): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      visit(String(i), v, `${pointer}/${i}`, value as unknown as Record<string, unknown>);
      walk(v, `${pointer}/${i}`, visit);
    });
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const p = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      visit(k, v, p, obj);
      walk(v, p, visit);
    }
  }
}

/** Inline secrets anywhere in the profile; returns the problems and their pointers. */
export function findInlineSecrets(
  value: unknown, file: string, locate: Locate, keysAt: (pointer: string) => string[] | undefined = () => undefined,
): { problems: ConfigProblem[]; pointers: Set<string> } {
  const problems: ConfigProblem[] = [];
  const pointers = new Set<string>();
  walk(value, '', (key, v, pointer, parent) => {
    if (typeof v === 'string' && PRIVATE_KEY_PEM.test(v)) {
      pointers.add(pointer);
      problems.push(problem({
        file, ...locate(pointer), pointer, rule: 'secret_by_reference',
        message: `${pointer} holds a private key: secrets are given by reference only`,
        hint: 'put the key in a file and name it with ...File (e.g. privateKeyFile: ./secrets/key.pem)',
      }));
      return;
    }
    if (Array.isArray(parent) || !isInlineSecretKey(key)) return;
    pointers.add(pointer);
    const block = pointer.slice(0, pointer.lastIndexOf('/'));
    const where = block || '/';
    // suggest only the reference forms the block's schema accepts, when it is known
    const known = keysAt(block);
    const forms = [`${key}Env: <ENV_VAR_NAME>`, `${key}File: <path>`].filter((f) => !known || known.includes(f.split(':')[0]!));
    const hint = forms.length > 0 ? `use ${forms.map((f) => `"${f}"`).join(' or ')}` : 'name an environment variable (...Env) or a file (...File) instead';
    problems.push(problem({
      file, ...locate(pointer, { key: true }), pointer,
      rule: 'secret_by_reference',
      message: `inline secret "${key}" in ${where} is refused: secrets are given by reference only`,
      hint,
    }));
  });
  return { problems, pointers };
}

/** A `...Env` reference whose variable is unset or empty: the partner loads, without that secret. */
export interface UnresolvedSecret {
  /** dotted path without the suffix: `http.apiKey`, `sftp.password` */
  field: string;
  /** the environment variable the profile names */
  env: string;
  /** JSON pointer of the reference in the profile (`/http/apiKeyEnv`) */
  pointer: string;
  /** what does not work for this partner until the variable is set */
  effect: string;
}

export interface ResolvedReferences {
  /** env values by dotted path without the suffix: `http.apiKey`, `sftp.password` */
  secrets: Record<string, string>;
  /** `...Env` references whose variable is not set (each also reported as a warning) */
  unresolved: UnresolvedSecret[];
  problems: ConfigProblem[];
}

/** What a partner loses while the secret at `field` is missing (said in the warning, the log and /healthz). */
export function effectOfMissingSecret(field: string): string {
  if (field === 'http.apiKey') return 'it cannot authenticate over HTTP (its API key is refused with 401)';
  if (field === 'sftp.password') return 'its SFTP poller does not start and SFTP sends to it fail';
  if (field === 'http.signature.secret') return 'its signed posts cannot be verified (each is refused with 401 webhook_secret_unavailable, its body kept)';
  if (field === 'outbound.sharedSecret') return 'cXML orders to it are not posted (each fails with cxml_shared_secret_missing)';
  return `${field} is not available`;
}

/**
 * Resolves `...Env` references against `env` (a missing variable is a warning: the partner loads
 * without that secret, so one partner's unset variable does not stop the gateway), makes `...File`,
 * `certificate`, `certificates[]` and `mappings` paths absolute in place (a missing file is a warning: the
 * transport reads it when it needs it), and reports both precisely.
 */
export function resolveReferences(
  value: Record<string, unknown>, file: string, locate: Locate, env: Record<string, string | undefined>,
): ResolvedReferences {
  const secrets: Record<string, string> = {};
  const unresolved: UnresolvedSecret[] = [];
  const problems: ConfigProblem[] = [];
  const dir = path.dirname(file);
  const partner = typeof value.id === 'string' ? `partner "${value.id}"` : 'this partner';
  walk(value, '', (key, v, pointer, parent) => {
    if (typeof v !== 'string') return;
    const dotted = pointer.slice(1).split('/').join('.');
    if (Array.isArray(parent) && !/\/certificates\/\d+$/.test(pointer)) return;
    if (key.endsWith('Env') && key.length > 3) {
      const found = env[v];
      const field = dotted.slice(0, -3);
      if (found === undefined || found === '') {
        const effect = effectOfMissingSecret(field);
        unresolved.push({ field, env: v, pointer, effect });
        problems.push(problem({
          file, ...locate(pointer), pointer, rule: 'secret_env_set', severity: 'warning',
          message: `environment variable "${v}" named by ${pointer} is not set: until it is, ${partner} is loaded but ${effect}`,
          hint: `set ${v} in the gateway's environment, or use ${key.slice(0, -3)}File`,
        }));
      } else {
        secrets[field] = found;
      }
      return;
    }
    const isPath = (key.endsWith('File') && key.length > 4) || key === 'certificate'
      || /\/certificates\/\d+$/.test(pointer) || pointer.startsWith('/mappings/');
    if (!isPath || v.includes('\n')) return; // not a path (pasted content is refused above)
    const absolute = path.resolve(dir, v);
    parent[key] = absolute;
    // explicit mapping files are checked (as errors) when mappings are compiled
    if (!pointer.startsWith('/mappings/') && !existsSync(absolute)) {
      problems.push(problem({
        file, ...locate(pointer), pointer, rule: 'file_exists', severity: 'warning',
        message: `${pointer} names ${absolute}, which does not exist`,
        hint: 'paths are relative to the profile file',
      }));
    }
  });
  return { secrets, unresolved, problems };
}

/** Reads a secret file's content (trimmed); undefined when it cannot be read. */
export function readSecretFile(absolute: string): string | undefined {
  try {
    return readFileSync(absolute, 'utf8').trim();
  } catch {
    return undefined;
  }
}
