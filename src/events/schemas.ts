/**
 * The business events' JSON Schemas (src/canonical/events/v1/): the CloudEvent envelope and each
 * type's data, version 1 (`dataschema` names the file's $id). document.released's data refers to
 * the canonical envelope schema (src/canonical/), loaded beside them.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { commonSchema, documentSchemas, envelopeSchema } from '../canonical/schemas.ts';
import { dataSchemaOf } from './envelope.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const dir = new URL('../canonical/events/v1/', import.meta.url);

export const eventSchemas: Array<Record<string, unknown>> = readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Record<string, unknown>);

/** problems of one CloudEvent as a sink sends it: its envelope, then its data against its type's schema (empty: valid) */
export function createEventValidator(): (event: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema(commonSchema);
  for (const s of Object.values(documentSchemas)) ajv.addSchema(s);
  ajv.addSchema(envelopeSchema);
  for (const s of eventSchemas) ajv.addSchema(s);
  const envelope = ajv.getSchema(dataSchemaOf('cloudevent')) as ValidateFunction;
  const text = (v: ValidateFunction, where: string) => (v.errors ?? []).map((e) => `${where}${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  return (event) => {
    if (!envelope(event)) return text(envelope, '');
    const e = event as { type: string; dataschema: string; data: unknown };
    if (e.dataschema !== dataSchemaOf(e.type)) return [`/dataschema ${e.dataschema} is not ${dataSchemaOf(e.type)}`];
    const data = ajv.getSchema(e.dataschema);
    if (!data) return [`/dataschema ${e.dataschema}: no such schema`];
    return data(e.data) ? [] : text(data, '/data');
  };
}
