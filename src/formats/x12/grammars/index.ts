/**
 * Grammar registry: finds the grammar for a transaction set id and a GS08 version.
 * GS08 is reduced to its 6-digit version ('004010VICS' -> 004010, '005010X231A1' -> 005010);
 * a version without its own grammar is read with the nearest shipped one (003040..004060 and
 * anything before 005000 -> 004010; 005000 and later -> 005010). 997 and 999 have one grammar each.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { GRAMMAR_810_004010 } from './810-004010.ts';
import { GRAMMAR_810_005010 } from './810-005010.ts';
import { GRAMMAR_850_004010 } from './850-004010.ts';
import { GRAMMAR_850_005010 } from './850-005010.ts';
import { GRAMMAR_855_004010 } from './855-004010.ts';
import { GRAMMAR_855_005010 } from './855-005010.ts';
import { GRAMMAR_856_004010 } from './856-004010.ts';
import { GRAMMAR_856_005010 } from './856-005010.ts';
import { GRAMMAR_940_004010 } from './940-004010.ts';
import { GRAMMAR_940_005010 } from './940-005010.ts';
import { GRAMMAR_943_004010 } from './943-004010.ts';
import { GRAMMAR_943_005010 } from './943-005010.ts';
import { GRAMMAR_944_004010 } from './944-004010.ts';
import { GRAMMAR_944_005010 } from './944-005010.ts';
import { GRAMMAR_945_004010 } from './945-004010.ts';
import { GRAMMAR_945_005010 } from './945-005010.ts';
import { GRAMMAR_846_004010 } from './846-004010.ts';
import { GRAMMAR_846_005010 } from './846-005010.ts';
import { GRAMMAR_947_004010 } from './947-004010.ts';
import { GRAMMAR_947_005010 } from './947-005010.ts';
import { GRAMMAR_861_004010 } from './861-004010.ts';
import { GRAMMAR_861_005010 } from './861-005010.ts';
import { GRAMMAR_214_004010 } from './214-004010.ts';
import { GRAMMAR_214_005010 } from './214-005010.ts';
import { GRAMMAR_997 } from './997.ts';
import { GRAMMAR_999 } from './999.ts';

export const X12_GRAMMARS: readonly MessageGrammar[] = [
  GRAMMAR_850_004010, GRAMMAR_850_005010, GRAMMAR_855_004010, GRAMMAR_855_005010,
  GRAMMAR_856_004010, GRAMMAR_856_005010, GRAMMAR_810_004010, GRAMMAR_810_005010, GRAMMAR_997, GRAMMAR_999,
  // warehouse and carrier sets (issue 16)
  GRAMMAR_940_004010, GRAMMAR_940_005010,
  GRAMMAR_943_004010, GRAMMAR_943_005010,
  GRAMMAR_944_004010, GRAMMAR_944_005010,
  GRAMMAR_945_004010, GRAMMAR_945_005010,
  GRAMMAR_846_004010, GRAMMAR_846_005010,
  GRAMMAR_947_004010, GRAMMAR_947_005010,
  GRAMMAR_861_004010, GRAMMAR_861_005010,
  GRAMMAR_214_004010, GRAMMAR_214_005010,
];

export interface GrammarRegistry {
  /** grammar for ST01 + GS08, or undefined when the set is not supported */
  find(message: string, gsVersion: string): MessageGrammar | undefined;
}

/** '004010VICS' -> 4010; non-numeric -> NaN */
export function versionNumber(gsVersion: string): number {
  const m = /^(\d{6})/.exec(gsVersion);
  return m ? Number(m[1]) : Number.NaN;
}

export function createGrammarRegistry(grammars: readonly MessageGrammar[] = X12_GRAMMARS): GrammarRegistry {
  const byMessage = new Map<string, MessageGrammar[]>();
  for (const g of grammars) {
    const list = byMessage.get(g.message) ?? [];
    list.push(g);
    byMessage.set(g.message, list);
  }
  const cache = new Map<string, MessageGrammar | undefined>();
  return {
    find(message, gsVersion) {
      const key = `${message}/${gsVersion}`;
      if (cache.has(key)) return cache.get(key);
      const list = byMessage.get(message);
      let found: MessageGrammar | undefined;
      if (list && list.length > 0) {
        const v = versionNumber(gsVersion);
        const exact = list.find((g) => versionNumber(g.version) === v);
        if (exact) found = exact;
        else if (list.length === 1 || !Number.isFinite(v)) found = list[0];
        else {
          const target = v >= 5000 ? 5010 : 4010;
          found = list.find((g) => versionNumber(g.version) === target) ?? list[0];
        }
      }
      cache.set(key, found);
      return found;
    },
  };
}
