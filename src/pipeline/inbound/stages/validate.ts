import { GatewayError } from '../../../core/errors.ts';
import type { CanonicalValidators } from '../../../canonical/validate.ts';
import type { TranslationUnit } from '../units.ts';
import { controlNumbers } from './identify.ts';
import type { Translated } from './translate.ts';

/** Validate: the canonical document against its JSON Schema; each error names the mapping rule that produced the value. */
export function validateTranslated(validators: CanonicalValidators, partnerId: string, unit: TranslationUnit, t: Translated): void {
  const violations = validators.validateDocument(t.type, t.document);
  if (violations.length === 0) return;
  const detailed = violations.map((v) => {
    const rule = t.mapping?.ruleFor(v.pointer);
    return { ...v, mappingRule: rule ? `${rule.file}:${rule.line}:${rule.col} (${rule.id})` : undefined };
  });
  const first = detailed[0]!;
  const where = first.mappingRule ? ` (from ${first.mappingRule})` : '';
  throw new GatewayError('canonical_invalid',
    `${t.type} is not valid: ${first.message}${where}${detailed.length > 1 ? ` (and ${detailed.length - 1} more)` : ''}`,
    { partnerId, ...controlNumbers(unit), violations: detailed });
}
