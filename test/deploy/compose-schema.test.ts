/**
 * compose.yaml against the Compose Specification's own JSON schema (schema/compose-spec.json of
 * the compose-spec repository, vendored beside this file: no npm package ships a current one, see
 * README.md here), as `docker compose config` would check it, with anchors and `<<` merges applied
 * as Compose applies them. A deliberately broken file proves the validator refuses what Compose
 * refuses. What the deployment must hold (two nodes, PostgreSQL, the broker, healthchecks, the
 * image) is checked by test/server/container-files.test.ts.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'test/deploy/compose-spec.schema.json'), 'utf8')) as { $schema: string };

/** the schema names draft-07 by its https address; ajv knows it by the http one */
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
addFormats(ajv);
const { $id: _draft07Id, ...draft07 } = require('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;
ajv.addMetaSchema(draft07, schema.$schema);
const validate = ajv.compile(schema);

const errorsOf = (yaml: string): string[] => {
  const ok = validate(YAML.parse(yaml, { merge: true }));
  return ok ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`);
};

describe('compose.yaml and the Compose Specification schema', () => {
  it('is a valid Compose file', () => {
    expect(errorsOf(readFileSync(path.join(repo, 'compose.yaml'), 'utf8'))).toEqual([]);
  });

  it('refuses a broken file: unknown keys, a healthcheck test that is a number, a depends_on condition Compose does not have', () => {
    const broken = `
services:
  gateway:
    image: edi-gateway:local
    restart: sometimes
    helthcheck: { test: ["CMD", "true"] }
    healthcheck: { test: 5, interval: 5s }
    depends_on:
      postgres: { condition: service_up }
  postgres:
    image: postgres:16-bookworm
`;
    const errors = errorsOf(broken);
    expect(errors).toContain('/services/gateway must NOT have additional properties');
    expect(errors).toContain('/services/gateway/healthcheck/test must match exactly one schema in oneOf');
    expect(errors).toContain('/services/gateway/depends_on/postgres/condition must be equal to one of the allowed values');
    // restart is a free string in the specification (the engine checks it), so it is not among them
    expect(errors.some((e) => e.includes('/restart'))).toBe(false);
  });

  it('checks what an anchor merges into a service, as Compose does', () => {
    const base = 'x-base: &base\n  image: edi-gateway:local\n  stop_grace_period: 30s\n';
    expect(errorsOf(`${base}services:\n  a:\n    <<: *base\n`)).toEqual([]);
    // the misspelt key comes from the anchor: refused once merged into the service
    expect(errorsOf(`${base}  stop_grace_periode: 30s\nservices:\n  a:\n    <<: *base\n`)).toContain('/services/a must NOT have additional properties');
  });
});
