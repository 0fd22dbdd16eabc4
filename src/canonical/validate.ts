import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { commonSchema, documentSchemas, documentTypes, envelopeSchema, type DocumentType } from './schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One schema violation: where (JSON pointer), which rule, and a sentence a person can act on. */
export interface SchemaViolation {
  pointer: string;
  rule: string;
  message: string;
}

export interface CanonicalValidators {
  validateDocument(type: DocumentType, document: unknown): SchemaViolation[];
  validateEnvelope(envelope: unknown): SchemaViolation[];
}

/** Compiles every canonical schema once; the returned functions are cheap to call. */
export function createCanonicalValidators(): CanonicalValidators {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  ajv.addSchema(commonSchema);
  for (const s of Object.values(documentSchemas)) ajv.addSchema(s);
  const byType = Object.fromEntries(
    documentTypes.map((t) => [t, ajv.getSchema(String(documentSchemas[t].$id)) as ValidateFunction]),
  ) as Record<DocumentType, ValidateFunction>;
  const envelope = ajv.compile(envelopeSchema);
  return {
    validateDocument(type, document) {
      const v = byType[type];
      return v(document) ? [] : toViolations(v.errors ?? []);
    },
    validateEnvelope(value) {
      return envelope(value) ? [] : toViolations(envelope.errors ?? []);
    },
  };
}

function toViolations(errors: ErrorObject[]): SchemaViolation[] {
  // if/then wrappers repeat the inner error; keep the precise ones.
  const useful = errors.filter((e) => e.keyword !== 'if');
  return useful.map((e) => {
    let pointer = e.instancePath || '/';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      pointer = `${e.instancePath}/${missing}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      pointer = `${e.instancePath}/${extra}`;
      message = 'is not a field of the canonical model';
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      message = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    } else if (e.keyword === 'pattern') {
      const hint = (e.parentSchema as { description?: string } | undefined)?.description;
      message = `must match ${hint ?? (e.params as { pattern: string }).pattern}`;
    }
    return { pointer, rule: e.keyword, message: `${pointer} ${message}` };
  });
}
