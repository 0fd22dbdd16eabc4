/**
 * A profile's envelope identifiers against its own fixtures: `edigw check` runs a partner's
 * fixtures as that partner (fixtures/<id>/), so a wrong ISA id in the profile is never caught by
 * them, and the partner's first real interchange is refused as an unknown sender. Warns for each
 * X12 identity (ISA05/06 and GS02) and EDIFACT identity (UNB S002) that no fixture's sender
 * carries, and, for a partner with such identifiers, when it has no fixture of that format at all.
 */
import path from 'node:path';
import { envelopeParties, type EdifactParty, type X12Party } from './envelope-ids.ts';
import { problem } from './problems.ts';
import { readConfigFile } from './read-config-file.ts';
import { CONFIG_YAML_LIMITS } from './yaml-limits.ts';
import { createLocator } from './yaml-locate.ts';
import { parseConfigYaml } from './yaml-parse.ts';
import type { ConfigProblem, PartnerProfile } from './types.ts';

export interface FixtureInput { file: string; text: string }

const x12Text = (p: X12Party) => `${p.qualifier}/${p.id}${p.gs !== undefined ? ` (GS02 ${p.gs})` : ''}`;
const edifactText = (p: EdifactParty) => `${p.id}${p.qualifier ? `:${p.qualifier}` : ''}`;
const few = (xs: string[]) => { const u = [...new Set(xs)]; return u.length <= 3 ? u.join(', ') : `${u.slice(0, 3).join(', ')} and ${u.length - 3} more`; };

export function fixtureIdentityProblems(partner: PartnerProfile, fixturesDir: string, inputs: readonly FixtureInput[]): ConfigProblem[] {
  const ids = partner.identities ?? { x12: [], edifact: [], as2: [] };
  if (ids.x12.length === 0 && ids.edifact.length === 0) return [];
  const locate = locator(partner.file);
  const at = (pointer: string) => ({ file: partner.file, ...locate(pointer), pointer, severity: 'warning' as const });
  const folder = `${path.basename(path.dirname(fixturesDir))}/${path.basename(fixturesDir)}/`;
  const senders = { x12: [] as X12Party[], edifact: [] as EdifactParty[] };
  for (const f of inputs) {
    const p = envelopeParties(f.text);
    senders.x12.push(...p.x12.map((x) => x.sender));
    senders.edifact.push(...p.edifact.map((x) => x.sender));
  }
  const out: ConfigProblem[] = [];
  const pointerOf = (fmt: 'x12' | 'edifact', i: number, n: number) => `/identifiers/${fmt}${n > 1 ? `/${i}` : ''}`;
  const none = (fmt: 'x12' | 'edifact', what: string) => problem({
    ...at(`/identifiers/${fmt}`), rule: 'identifiers_untested',
    message: inputs.length === 0
      ? `partner ${partner.id} has no fixtures (${folder}): nothing checks its ${what} against one of its interchanges`
      : `none of partner ${partner.id}'s ${inputs.length} fixture(s) is an ${fmt === 'x12' ? 'X12' : 'EDIFACT'} interchange: nothing checks its ${what}`,
    hint: `save a test file they sent as ${folder}<case>/input.edi with its expected.json: edigw check then compares the envelope with the profile`,
  });
  if (ids.x12.length > 0) {
    if (senders.x12.length === 0) out.push(none('x12', `identifiers.x12 (${ids.x12.map((x) => `${x.qualifier}/${x.id}`).join(', ')})`));
    else ids.x12.forEach((x, i) => {
      const gs = x.gsId ?? x.id;
      const isa = senders.x12.filter((s) => s.qualifier === x.qualifier && s.id === x.id);
      if (isa.length > 0 && isa.some((s) => s.gs === undefined || s.gs === gs)) return;
      out.push(problem({
        ...at(pointerOf('x12', i, ids.x12.length)), rule: 'identifiers_match_fixtures',
        message: isa.length > 0
          ? `identifiers.x12 ${x.qualifier}/${x.id} matches its fixtures' ISA05/06, but their GS02 is ${few(isa.map((s) => s.gs ?? ''))}, not ${gs}${x.gsId ? ' (gsId)' : ' (the id, as no gsId is set)'}`
          : `identifiers.x12 ${x.qualifier}/${x.id} matches none of ${partner.id}'s fixtures: their interchanges come from ${few(senders.x12.map(x12Text))} (ISA05/06)`,
        hint: isa.length > 0 ? `set gsId: ${isa[0]!.gs} in the profile, or correct the fixture` : 'an interchange from an id no profile has is refused as an unknown sender: correct the profile (or the fixture, if it is the one that is wrong)',
      }));
    });
  }
  if (ids.edifact.length > 0) {
    if (senders.edifact.length === 0) out.push(none('edifact', `identifiers.edifact (${ids.edifact.map(edifactText).join(', ')})`));
    else ids.edifact.forEach((x, i) => {
      if (senders.edifact.some((s) => s.id === x.id && (x.qualifier === undefined || s.qualifier === undefined || s.qualifier === x.qualifier))) return;
      out.push(problem({
        ...at(pointerOf('edifact', i, ids.edifact.length)), rule: 'identifiers_match_fixtures',
        message: `identifiers.edifact ${edifactText(x)} matches none of ${partner.id}'s fixtures: their interchanges come from ${few(senders.edifact.map(edifactText))} (UNB S002)`,
        hint: 'an interchange from an id no profile has is refused as an unknown sender: correct the profile (or the fixture, if it is the one that is wrong)',
      }));
    });
  }
  return out;
}

/** positions in the profile (it loaded, so it reads and parses) */
function locator(file: string): (pointer: string) => { line: number; col: number } {
  const read = readConfigFile(file, CONFIG_YAML_LIMITS);
  const parsed = read.text === undefined ? undefined : parseConfigYaml(file, read.text, { maxDepth: CONFIG_YAML_LIMITS.maxDepth, aliases: 'allow' });
  if (!parsed?.doc) return () => ({ line: 1, col: 1 });
  return createLocator(parsed.doc, parsed.lineCounter);
}
