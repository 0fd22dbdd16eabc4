/**
 * Subscribers: `subscribers/<name>.yaml`, one per consumer of business events, validated as
 * partner profiles are (the guarded YAML parse, a JSON Schema, every problem as file:line:col with
 * a hint, secrets by reference only) and hot-reloaded: a change that loads cleanly replaces the
 * set; a broken one is refused, logged, and the last good set keeps publishing.
 *
 *   events: [document.released, invoice.held]   # or ['*']
 *   filters: { partners: [acme], documentTypes: [invoice] }
 *   sink: { type: webhook, url: https://wms.example/edi-events, secretEnv: WMS_WEBHOOK_SECRET }
 *   sink: { type: nats, url: nats://127.0.0.1:4222, stream: EDI_EVENTS }
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.ts';
import { nearest } from '../config/nearest.ts';
import { problem } from '../config/problems.ts';
import { readConfigFile } from '../config/read-config-file.ts';
import { findInlineSecrets, readSecretFile, resolveReferences } from '../config/secrets.ts';
import type { ConfigProblem } from '../config/types.ts';
import { CONFIG_YAML_LIMITS } from '../config/yaml-limits.ts';
import { createLocator, type Locate } from '../config/yaml-locate.ts';
import { parseConfigYaml, yamlValue } from '../config/yaml-parse.ts';
import { EVENT_TYPES } from './envelope.ts';

export interface WebhookSinkConfig {
  type: 'webhook';
  url: string;
  /** the Standard Webhooks secret (whsec_<base64>), resolved from secretEnv or secretFile */
  secret: string;
  timeoutMs: number;
}

export interface NatsSinkConfig {
  type: 'nats';
  /** nats://host:port (a list: any of them) */
  servers: string[];
  /** the JetStream stream that takes subjects `<subjectPrefix>.>`; created when absent */
  stream: string;
  subjectPrefix: string;
  /** the stream's duplicate window (Nats-Msg-Id de-duplication), seconds; default 600 (JetStream's own: 120) */
  duplicateWindowSeconds: number;
  timeoutMs: number;
}

export type SinkConfig = WebhookSinkConfig | NatsSinkConfig;

export interface Subscriber {
  name: string;
  file: string;
  description?: string;
  enabled: boolean;
  /** event types, or '*' for all */
  events: string[];
  partners?: string[];
  documentTypes?: string[];
  sink: SinkConfig;
  /** attempts per delivery batch before the job fails (it is enqueued again by the next event); default 50 */
  maxAttempts: number;
  breaker: { failureThreshold: number; coolDownMs: number };
}

export interface SubscriberSet {
  subscribers: Subscriber[];
  byName(name: string): Subscriber | undefined;
  loadedAt: string;
}

const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';
const eventName = { type: 'string', enum: ['*', ...EVENT_TYPES] };
const schema = {
  type: 'object', additionalProperties: false, required: ['events', 'sink'],
  properties: {
    name: { type: 'string', pattern: NAME, description: 'lower-case letters, digits, - and _ (the file name without .yaml)' },
    description: { type: 'string' },
    enabled: { type: 'boolean' },
    events: { type: 'array', minItems: 1, items: eventName },
    filters: {
      type: 'object', additionalProperties: false,
      properties: {
        partners: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        documentTypes: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      },
    },
    sink: {
      type: 'object', required: ['type'],
      properties: { type: { enum: ['webhook', 'nats'] } },
      if: { properties: { type: { const: 'webhook' } } },
      then: {
        additionalProperties: false, required: ['type', 'url'],
        properties: {
          type: { const: 'webhook' },
          url: { type: 'string', pattern: '^https?://', description: 'an http:// or https:// URL' },
          secretEnv: { type: 'string', minLength: 1 },
          secretFile: { type: 'string', minLength: 1 },
          timeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
        },
      },
      else: {
        additionalProperties: false, required: ['type', 'url'],
        properties: {
          type: { const: 'nats' },
          url: { anyOf: [{ type: 'string', pattern: '^nats://' }, { type: 'array', minItems: 1, items: { type: 'string', pattern: '^nats://' } }] },
          stream: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
          subjectPrefix: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' },
          duplicateWindowSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
          timeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
        },
      },
    },
    retry: { type: 'object', additionalProperties: false, properties: { maxAttempts: { type: 'integer', minimum: 1, maximum: 10000 } } },
    breaker: {
      type: 'object', additionalProperties: false,
      properties: { failureThreshold: { type: 'integer', minimum: 1, maximum: 1000 }, coolDownSeconds: { type: 'integer', minimum: 1, maximum: 3600 } },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
const validate = ajv.compile(schema);
/** the keys each block accepts (for "did you mean") */
const KEYS: Record<string, string[]> = {
  '': Object.keys(schema.properties),
  '/filters': Object.keys(schema.properties.filters.properties),
  '/sink:webhook': Object.keys(schema.properties.sink.then.properties),
  '/sink:nats': Object.keys(schema.properties.sink.else.properties),
  '/retry': ['maxAttempts'],
  '/breaker': ['failureThreshold', 'coolDownSeconds'],
};

function toProblems(errors: ErrorObject[], file: string, locate: Locate, value: Record<string, unknown>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  // an enum's error says it better than the if/else branch's const at the same place
  const enums = new Set(errors.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword === 'if' || (e.keyword === 'const' && enums.has(e.instancePath))) continue;
    const where = e.instancePath || '/';
    let pointer = e.instancePath;
    let message = `${where} ${e.message ?? 'is invalid'}`;
    let hint: string | undefined;
    let key = false;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      pointer = `${e.instancePath}/${extra}`;
      key = true;
      message = `unknown key "${extra}" in ${where}`;
      const block = e.instancePath === '/sink' ? `/sink:${(value.sink as { type?: string }).type === 'nats' ? 'nats' : 'webhook'}` : e.instancePath;
      const allowed = KEYS[block] ?? [];
      const near = nearest(extra, allowed);
      hint = near ? `did you mean "${near}"?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined;
    } else if (e.keyword === 'required') {
      key = true;
      message = `missing required key "${String((e.params as { missingProperty: string }).missingProperty)}" in ${where}`;
    } else if (e.keyword === 'enum' || e.keyword === 'const') {
      const allowed = e.keyword === 'enum' ? (e.params as { allowedValues: unknown[] }).allowedValues : [(e.params as { allowedValue: unknown }).allowedValue];
      message = `value ${JSON.stringify(e.data)} of ${where} is not allowed`;
      const near = typeof e.data === 'string' ? nearest(e.data, allowed.map(String)) : undefined;
      hint = near ? `did you mean "${near}"?` : `allowed values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    } else if (e.keyword === 'pattern') {
      const d = (e.parentSchema as { description?: string } | undefined)?.description;
      message = `${where} ${JSON.stringify(e.data)} does not match ${(e.params as { pattern: string }).pattern}`;
      if (d) hint = `expected ${d}`;
    } else if (e.keyword === 'type') {
      message = `${where} must be ${String((e.params as { type: string }).type)}, found ${JSON.stringify(e.data)}`;
    }
    const dedupe = `${pointer}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push(problem({ file, ...locate(pointer, { key }), rule: e.keyword, message, hint, pointer: pointer || '/' }));
  }
  return out;
}

/** Loads one subscriber file; whatever is wrong is a located problem, never an exception. */
export function loadSubscriberFile(file: string, env: Record<string, string | undefined>): { subscriber?: Subscriber; problems: ConfigProblem[] } {
  const read = readConfigFile(file, CONFIG_YAML_LIMITS);
  if (read.problems) return { problems: read.problems };
  const parsed = parseConfigYaml(file, read.text, { maxDepth: CONFIG_YAML_LIMITS.maxDepth, aliases: 'allow' });
  if (!parsed.doc) return { problems: parsed.problems };
  const locate = createLocator(parsed.doc, parsed.lineCounter);
  const converted = yamlValue(file, parsed, CONFIG_YAML_LIMITS.maxAliasCount);
  if ('problems' in converted) return { problems: [...parsed.problems, ...converted.problems] };
  const value = converted.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [...parsed.problems, problem({ file, rule: 'type', message: 'a subscriber must be a YAML mapping (key: value lines)', hint: 'start with events: and sink:' })] };
  }
  const raw = value as Record<string, unknown>;
  const inline = findInlineSecrets(raw, file, locate);
  const problems = [...parsed.problems, ...inline.problems];
  if (!validate(raw)) problems.push(...toProblems(validate.errors ?? [], file, locate, raw).filter((p) => !inline.pointers.has(p.pointer ?? '')));
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (typeof raw.name === 'string' && raw.name !== expected) {
    problems.push(problem({ file, ...locate('/name'), pointer: '/name', rule: 'name_matches_file_name', message: `name "${raw.name}" does not match the file name "${path.basename(file)}"`, hint: `rename the file to "${raw.name}.yaml" or set name: ${expected}` }));
  }
  if (!new RegExp(NAME).test(expected)) {
    problems.push(problem({ file, rule: 'file_name', message: `"${path.basename(file)}" is not a subscriber name`, hint: 'lower-case letters, digits, - and _, then .yaml' }));
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const refs = resolveReferences(raw, file, locate, env);
  const s = raw.sink as Record<string, unknown>;
  let sink: SinkConfig;
  if (s.type === 'webhook') {
    const secret = refs.secrets['sink.secret'] ?? (typeof s.secretFile === 'string' ? readSecretFile(s.secretFile) : undefined);
    const where = s.secretEnv !== undefined ? '/sink/secretEnv' : s.secretFile !== undefined ? '/sink/secretFile' : '/sink';
    if (!secret || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 24) {
      problems.push(problem({
        file, ...locate(where, { key: where === '/sink' }), pointer: where, rule: 'webhook_secret',
        message: secret === undefined
          ? (where === '/sink' ? 'a webhook sink needs its signing secret: secretEnv or secretFile' : `the secret named by ${where} is not set or cannot be read`)
          : 'the webhook secret is not a Standard Webhooks secret (whsec_ then base64 of 24 to 64 random bytes)',
        hint: 'generate one with: echo "whsec_$(openssl rand -base64 32)"',
      }));
      return { problems };
    }
    sink = { type: 'webhook', url: String(s.url), secret, timeoutMs: Number(s.timeoutMs ?? 10_000) };
  } else {
    sink = {
      type: 'nats', servers: Array.isArray(s.url) ? s.url.map(String) : [String(s.url)], stream: String(s.stream ?? 'EDI_EVENTS'),
      subjectPrefix: String(s.subjectPrefix ?? 'edi'), duplicateWindowSeconds: Number(s.duplicateWindowSeconds ?? 600), timeoutMs: Number(s.timeoutMs ?? 5_000),
    };
  }
  const filters = (raw.filters ?? {}) as { partners?: string[]; documentTypes?: string[] };
  const breaker = (raw.breaker ?? {}) as { failureThreshold?: number; coolDownSeconds?: number };
  return {
    problems,
    subscriber: {
      name: expected, file, ...(typeof raw.description === 'string' ? { description: raw.description } : {}), enabled: raw.enabled !== false,
      events: raw.events as string[], ...(filters.partners ? { partners: filters.partners } : {}), ...(filters.documentTypes ? { documentTypes: filters.documentTypes } : {}),
      sink, maxAttempts: Number((raw.retry as { maxAttempts?: number } | undefined)?.maxAttempts ?? 50),
      breaker: { failureThreshold: breaker.failureThreshold ?? 5, coolDownMs: (breaker.coolDownSeconds ?? 30) * 1000 },
    },
  };
}

/** every subscribers/*.yaml; refused as a whole when any file has an error */
export function loadSubscribers(dir: string, env: Record<string, string | undefined>, now = new Date()): { set?: SubscriberSet; problems: ConfigProblem[] } {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort() : [];
  const subscribers: Subscriber[] = [];
  const problems: ConfigProblem[] = [];
  for (const f of files) {
    const r = loadSubscriberFile(path.join(dir, f), env);
    problems.push(...r.problems);
    if (r.subscriber) subscribers.push(r.subscriber);
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const byName = new Map(subscribers.map((s) => [s.name, s]));
  return { set: { subscribers, byName: (n) => byName.get(n), loadedAt: now.toISOString() }, problems };
}

/** does the subscriber take this event (its types and filters)? */
export function wants(s: Subscriber, e: { type: string; partnerId: string | null; documentType: string | null }): boolean {
  if (!s.events.includes('*') && !s.events.includes(e.type)) return false;
  if (s.partners && (e.partnerId === null || !s.partners.includes(e.partnerId))) return false;
  if (s.documentTypes && (e.documentType === null || !s.documentTypes.includes(e.documentType))) return false;
  return true;
}

export interface SubscriberWatch {
  current(): SubscriberSet;
  status(): { loadedAt: string; subscribers: number; refusedReload?: { at: string; problems: string[] } };
  reload(): boolean;
  close(): void;
}

/** loads now (a broken set at start throws, naming every problem) and reloads on changes */
export function watchSubscribers(opts: { dir: string; env: Record<string, string | undefined>; logger: Logger; watch?: boolean; debounceMs?: number; onReload?: (s: SubscriberSet) => void }): SubscriberWatch {
  const first = loadSubscribers(opts.dir, opts.env);
  if (!first.set) {
    const errors = first.problems.filter((p) => p.severity === 'error');
    throw Object.assign(new Error(`subscribers refused: ${errors.length} problem(s)\n${errors.map((p) => p.text).join('\n')}`), { code: 'config_invalid', problems: errors });
  }
  for (const p of first.problems) opts.logger.warn('subscriber configuration warning', { problem: p.text });
  let current = first.set;
  let refused: { at: string; problems: string[] } | undefined;
  const reload = (): boolean => {
    const next = loadSubscribers(opts.dir, opts.env);
    if (!next.set) {
      const errors = next.problems.filter((p) => p.severity === 'error');
      refused = { at: new Date().toISOString(), problems: errors.map((p) => p.text) };
      opts.logger.error('subscriber change refused; the last good subscribers keep publishing', { problems: refused.problems });
      return false;
    }
    current = next.set;
    refused = undefined;
    opts.logger.info('subscribers reloaded', { subscribers: current.subscribers.map((s) => s.name) });
    try { opts.onReload?.(current); } catch (e) { opts.logger.error('subscriber reload listener failed', { error: String(e) }); }
    return true;
  };
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  if (opts.watch !== false && existsSync(opts.dir)) {
    watcher = watch(opts.dir, { persistent: false }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { timer = undefined; reload(); }, opts.debounceMs ?? 250);
    });
    watcher.on('error', (e) => opts.logger.warn('subscribers watch error', { dir: opts.dir, error: e.message }));
  }
  return {
    current: () => current,
    status: () => ({ loadedAt: current.loadedAt, subscribers: current.subscribers.length, ...(refused ? { refusedReload: refused } : {}) }),
    reload,
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
