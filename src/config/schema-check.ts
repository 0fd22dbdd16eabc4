/**
 * Validates a parsed profile against the partner schema and the transport schemas, turning ajv
 * errors into located problems with a hint: nearest key for an unknown key, the allowed values
 * for a wrong enum, "quote it" for a number YAML read where a string was expected.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { partnerProfileSchema } from './partner-schema.ts';
import { minimalAs2Schema, minimalHttpSchema, minimalSftpSchema } from './transport-schemas.ts';
import { nearest } from './nearest.ts';
import { problem } from './problems.ts';
import type { Locate } from './yaml-locate.ts';
import type { ConfigProblem, TransportSchemas } from './types.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const transportNames = ['as2', 'sftp', 'http'] as const;

export interface ProfileValidator {
  /** problems of one parsed profile; `skipPointers` are already reported more precisely */
  check(value: unknown, file: string, locate: Locate, skipPointers: ReadonlySet<string>): ConfigProblem[];
  /** the keys the schema of the object at `pointer` declares, when known (for hints) */
  keysAt(pointer: string): string[] | undefined;
}

export function createProfileValidator(injected: TransportSchemas = {}): ProfileValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  const profile = ajv.compile(partnerProfileSchema);
  // injected schemas come from other modules (maybe another draft, maybe defaults): lenient
  const lenient = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
  addFormats(lenient);
  const transportSchemas = {
    as2: stripMeta(injected.as2 ?? minimalAs2Schema),
    sftp: stripMeta(injected.sftp ?? minimalSftpSchema),
    http: stripMeta(injected.http ?? minimalHttpSchema),
  };
  const transports: Record<(typeof transportNames)[number], ValidateFunction> = {
    as2: lenient.compile(transportSchemas.as2),
    sftp: lenient.compile(transportSchemas.sftp),
    http: lenient.compile(transportSchemas.http),
  };

  return {
    check(value, file, locate, skip) {
      const errors: ErrorObject[] = [];
      if (!profile(value)) errors.push(...(profile.errors ?? []));
      if (value && typeof value === 'object') {
        for (const name of transportNames) {
          const block = (value as Record<string, unknown>)[name];
          if (!block || typeof block !== 'object') continue;
          const v = transports[name];
          if (!v(block)) {
            for (const e of v.errors ?? []) errors.push({ ...e, instancePath: `/${name}${e.instancePath}` });
          }
        }
      }
      return toProblems(errors, file, locate, skip);
    },
    keysAt(pointer) {
      const name = transportNames.find((n) => pointer === `/${n}`);
      const props = name ? (transportSchemas[name] as { properties?: object }).properties : undefined;
      return props ? Object.keys(props) : undefined;
    },
  };
}

/** `$schema`/`$id` of an injected schema would clash or pin another draft; the body is what counts. */
function stripMeta(schema: object): object {
  const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function show(v: unknown): string {
  return JSON.stringify(v);
}

function oneOfAlternatives(e: ErrorObject): string | undefined {
  const alts = (e.schema as Array<{ required?: string[] }> | undefined) ?? [];
  const names = alts.map((a) => (a.required?.length === 1 ? a.required[0] : undefined));
  if (names.length === 0 || names.some((n) => n === undefined)) return undefined;
  return names.map((n) => `"${n}"`).join(' or ');
}

/** a key left empty (YAML null) where the schema wants a map or a list */
function isEmptyBlock(e: ErrorObject): boolean {
  if (e.keyword !== 'type' || e.data !== null || e.instancePath === '') return false;
  const t = (e.params as { type: string | string[] }).type;
  return [t].flat().some((x) => x === 'object' || x === 'array');
}

/**
 * A dedent turns a block into null: `rules:` with its keys at its own indentation reads as
 * `rules: null` and the keys as its siblings (unknown keys there). One finding at the empty key,
 * naming the keys that belong under it; their unknown-key errors are left out.
 */
function indentationProblems(errors: ErrorObject[], file: string, locate: Locate): { problems: ConfigProblem[]; adopted: Set<string> } {
  const problems: ConfigProblem[] = [];
  const adopted = new Set<string>();
  for (const e of errors.filter(isEmptyBlock)) {
    const parent = e.instancePath.slice(0, e.instancePath.lastIndexOf('/'));
    const key = e.instancePath.slice(e.instancePath.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
    const ps = e.parentSchema as { properties?: object; items?: { properties?: object } } | undefined;
    const own = Object.keys(ps?.properties ?? ps?.items?.properties ?? {});
    const keyPos = locate(e.instancePath, { key: true });
    const below = errors
      .filter((x) => x.keyword === 'additionalProperties' && x.instancePath === parent)
      .map((x) => String((x.params as { additionalProperty: string }).additionalProperty))
      .filter((k) => own.includes(k) && locate(`${parent}/${k}`, { key: true }).line > keyPos.line);
    for (const k of below) adopted.add(`${parent}/${k}`);
    const list = below.map((k) => `"${k}"`).join(', ');
    const wants = [(e.params as { type: string | string[] }).type].flat().includes('object') ? 'a map' : 'a list';
    problems.push(problem({
      file, ...keyPos, pointer: e.instancePath, rule: 'yaml_indentation',
      message: below.length > 0
        ? `"${key}:" on line ${keyPos.line} is empty (YAML reads null) where ${wants} is expected, and ${list} below it ${below.length === 1 ? 'is' : 'are'} at its indentation: it looks like an indentation mistake`
        : `"${key}:" on line ${keyPos.line} is empty (YAML reads null) where ${wants} is expected: it looks like an indentation mistake, or a key left without its value`,
      hint: below.length > 0 ? `indent ${list} under "${key}:" (two more spaces)` : `indent its keys under "${key}:", or remove the line`,
    }));
  }
  return { problems: problems.sort((a, b) => a.line - b.line), adopted };
}

function toProblems(errors: ErrorObject[], file: string, locate: Locate, skip: ReadonlySet<string>): ConfigProblem[] {
  const indentation = indentationProblems(errors.filter((e) => !/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)), file, locate);
  const out: ConfigProblem[] = [...indentation.problems];
  const seen = new Set<string>();
  // if/then wrappers and the branches of a oneOf repeat what the precise errors say
  const useful = errors.filter((e) => e.keyword !== 'if' && !/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath));
  for (const e of useful) {
    if (isEmptyBlock(e)) continue;
    if (e.keyword === 'additionalProperties' && indentation.adopted.has(`${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`)) continue;
    const where = e.instancePath || '/';
    let pointer = e.instancePath;
    let message = `${where} ${e.message ?? 'is invalid'}`;
    let hint: string | undefined;
    let atKey = false;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      pointer = `${e.instancePath}/${extra}`;
      atKey = true;
      message = `unknown key "${extra}" in ${where}`;
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const near = nearest(extra, allowed);
      hint = near ? `did you mean "${near}"?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined;
    } else if (e.keyword === 'required') {
      atKey = true;
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      message = `missing required key "${missing}" in ${where}`;
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      message = `value ${show(e.data)} of ${where} is not allowed`;
      hint = `allowed values: ${allowed.map(show).join(', ')}`;
      if (typeof e.data === 'number' && allowed.includes(String(e.data))) hint += `; quote it: "${e.data}"`;
    } else if (e.keyword === 'type') {
      const expected = String((e.params as { type: string | string[] }).type);
      message = `${where} must be ${expected.replace(',', ' or ')}, found ${show(e.data)}`;
      if (expected.includes('string') && typeof e.data === 'number') hint = `YAML read it as a number; quote it: "${e.data}"`;
    } else if (e.keyword === 'pattern') {
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      message = `${where} ${show(e.data)} does not match ${(e.params as { pattern: string }).pattern}`;
      if (description) hint = `expected ${description}`;
    } else if (e.keyword === 'propertyNames') {
      continue; // the nested pattern error names the key
    } else if (e.keyword === 'oneOf') {
      const alts = oneOfAlternatives(e);
      atKey = true;
      message = alts ? `${where} must have exactly one of ${alts}` : `${where} must match exactly one alternative`;
    }
    if (e.propertyName !== undefined) {
      pointer = `${e.instancePath}/${e.propertyName}`;
      atKey = true;
      message = `key ${show(e.propertyName)} in ${where} does not match ${(e.params as { pattern?: string }).pattern ?? 'the allowed names'}`;
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      hint = description ? `expected ${description}` : undefined;
    }
    if (skip.has(pointer)) continue;
    const dedupe = `${pointer}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const pos = locate(pointer, { key: atKey });
    out.push(problem({ file, ...pos, rule: e.keyword === 'pattern' && e.propertyName !== undefined ? 'propertyNames' : e.keyword, message, hint, pointer: pointer || '/' }));
  }
  return out;
}
