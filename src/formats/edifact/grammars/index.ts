/**
 * EDIFACT grammar registry: ORDERS, ORDRSP, DESADV, INVOIC in D96A and D01B, and the rule that
 * any D93A..D03B release reads with the nearest one we hold (D97B -> D96A, D99B -> D01B).
 */
import type { MessageGrammar } from '../../grammar.ts';
import { buildMessageGrammar } from './messages.ts';
import { SEGMENTS_D96A } from './segments-d96a.ts';
import { SEGMENTS_D01B } from './segments-d01b.ts';

export const EDIFACT_MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC'] as const;
export const EDIFACT_VERSIONS = ['D96A', 'D01B'] as const;

export interface EdifactGrammarRegistry {
  /** exact version, or the nearest held release within D93A..D03B; undefined when unsupported */
  find(message: string, version: string): MessageGrammar | undefined;
  list(): MessageGrammar[];
}

/** 'D96A' -> 1996.0, 'D96B' -> 1996.5, 'D01B' -> 2001.5; undefined for non-directory versions */
export function releaseOrdinal(version: string): number | undefined {
  const m = /^D(\d{2})([AB])$/.exec(version.toUpperCase());
  if (!m) return undefined;
  const yy = Number(m[1]);
  return (yy >= 90 ? 1900 + yy : 2000 + yy) + (m[2] === 'B' ? 0.5 : 0);
}

export function createEdifactGrammarRegistry(grammars: MessageGrammar[] = defaultEdifactGrammars()): EdifactGrammarRegistry {
  const byKey = new Map(grammars.map((gr) => [`${gr.message}:${gr.version}`, gr]));
  const min = releaseOrdinal('D93A') as number;
  const max = releaseOrdinal('D03B') as number;
  return {
    find(message, version) {
      const exact = byKey.get(`${message}:${version.toUpperCase()}`);
      if (exact) return exact;
      const want = releaseOrdinal(version);
      if (want === undefined || want < min || want > max) return undefined;
      let best: MessageGrammar | undefined;
      let bestDist = Number.POSITIVE_INFINITY;
      for (const gr of grammars) {
        if (gr.message !== message) continue;
        const have = releaseOrdinal(gr.version);
        if (have === undefined) continue;
        const d = Math.abs(have - want);
        if (d < bestDist) { best = gr; bestDist = d; }
      }
      return best;
    },
    list: () => [...grammars],
  };
}

export function defaultEdifactGrammars(): MessageGrammar[] {
  const out: MessageGrammar[] = [];
  for (const m of EDIFACT_MESSAGES) {
    out.push(buildMessageGrammar(m, 'D96A', SEGMENTS_D96A));
    out.push(buildMessageGrammar(m, 'D01B', SEGMENTS_D01B));
  }
  return out;
}
