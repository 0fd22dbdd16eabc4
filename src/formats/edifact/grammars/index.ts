/**
 * EDIFACT grammar registry: ORDERS, ORDRSP, DESADV, INVOIC, APERAK, RECADV, INVRPT, IFTSTA and
 * INSDES (INSDES from D99B; D93A has no APERAK, RECADV or INSDES) in the UN/EDIFACT
 * directories we ship (directories.ts), and the rule for a directory we do not ship: it is read
 * with the nearest shipped directory that holds the message (D98B -> D99B, D05A -> D03B or D07A,
 * D21A -> D18A; on a tie the newer, whose element lengths are the wider), and `resolve` says so.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { directoryGrammar, directoryMessages, SHIPPED_DIRECTORIES } from './directories.ts';
import { contrlGrammars } from './contrl.ts';

export const EDIFACT_MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'APERAK', 'RECADV', 'INVRPT', 'IFTSTA', 'INSDES'] as const;
export const EDIFACT_VERSIONS: readonly string[] = SHIPPED_DIRECTORIES;

export interface GrammarResolution {
  grammar: MessageGrammar;
  /** the directory the message names, when it is not the one its grammar comes from */
  substitutedFor?: string;
}

export interface EdifactGrammarRegistry {
  /** exact directory, or the nearest shipped one; undefined when the message or version is unknown */
  find(message: string, version: string): MessageGrammar | undefined;
  /** as find, and whether the grammar is a substitute for a directory we do not ship */
  resolve(message: string, version: string): GrammarResolution | undefined;
  list(): MessageGrammar[];
}

/** 'D96A' -> 1996.0, 'D96B' -> 1996.5, 'D01C' -> 2001.75; undefined for non-directory versions */
export function releaseOrdinal(version: string): number | undefined {
  const m = /^D(\d{2})([ABC])$/.exec(version.toUpperCase());
  if (!m) return undefined;
  const yy = Number(m[1]);
  return (yy >= 90 ? 1900 + yy : 2000 + yy) + (m[2] === 'B' ? 0.5 : m[2] === 'C' ? 0.75 : 0);
}

export function createEdifactGrammarRegistry(grammars: MessageGrammar[] = defaultEdifactGrammars()): EdifactGrammarRegistry {
  const byKey = new Map(grammars.map((gr) => [`${gr.message}:${gr.version}`, gr]));
  const resolve = (message: string, version: string): GrammarResolution | undefined => {
    const v = version.toUpperCase();
    const exact = byKey.get(`${message}:${v}`);
    if (exact) return { grammar: exact };
    const want = releaseOrdinal(v);
    if (want === undefined) return undefined;
    let best: MessageGrammar | undefined;
    let bestDist = Number.POSITIVE_INFINITY;
    for (const gr of grammars) {
      if (gr.message !== message) continue;
      const have = releaseOrdinal(gr.version);
      if (have === undefined) continue;
      const d = Math.abs(have - want);
      if (d < bestDist || (d === bestDist && best && have > (releaseOrdinal(best.version) ?? 0))) { best = gr; bestDist = d; }
    }
    return best ? { grammar: best, substitutedFor: v } : undefined;
  };
  return {
    resolve,
    find: (message, version) => resolve(message, version)?.grammar,
    list: () => [...grammars],
  };
}

/** every message table of every shipped directory, and CONTRL (ISO 9735) */
export function defaultEdifactGrammars(): MessageGrammar[] {
  const out: MessageGrammar[] = contrlGrammars();
  for (const v of SHIPPED_DIRECTORIES) {
    for (const m of directoryMessages(v)) {
      const g = directoryGrammar(m, v);
      if (g) out.push(g);
    }
  }
  return out;
}
