/**
 * Partner identification: by X12 envelope ids (ISA05/06, GS02), EDIFACT UNB sender, AS2-From
 * and API key (only its sha256 is kept; found by digest, confirmed timing-safe). Every identifier must name
 * exactly one partner: duplicates are reported where the second partner declares them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { problem } from './problems.ts';
import { readSecretFile } from './secrets.ts';
import type { Locate } from './yaml-locate.ts';
import type { ConfigProblem, PartnerProfile } from './types.ts';

export interface PartnerIndex {
  byX12(qualifier: string, id: string): PartnerProfile | undefined;
  byEdifact(id: string, qualifier?: string): PartnerProfile | undefined;
  byAs2(as2From: string): PartnerProfile | undefined;
  byApiKey(key: string): PartnerProfile | undefined;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const norm = (s: string) => s.trim().toUpperCase();
const unquoteAs2 = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');

/** The sha256 of a partner's API key: from apiKeyEnv (resolved), apiKeyFile, or apiKeySha256. */
export function apiKeyHash(p: PartnerProfile): Buffer | undefined {
  const fromEnv = p.secrets['http.apiKey'];
  if (fromEnv !== undefined) return sha256(fromEnv);
  const http = p.http as { apiKeyFile?: unknown; apiKeySha256?: unknown } | undefined;
  if (typeof http?.apiKeyFile === 'string') {
    const key = readSecretFile(http.apiKeyFile);
    return key ? sha256(key) : undefined;
  }
  if (typeof http?.apiKeySha256 === 'string') return Buffer.from(http.apiKeySha256, 'hex');
  return undefined;
}

interface Claim { key: string; label: string; pointer: string; kind: 'x12' | 'gs' | 'edifact' | 'as2' }

function claims(p: PartnerProfile): Claim[] {
  const out: Claim[] = [];
  const { x12, edifact, as2 } = identitiesOf(p);
  // one value is at /identifiers/x12 (or the list holding it), one of several at /identifiers/x12/<n>
  const at = (kind: string, n: number, count: number) => (count === 1 ? `/identifiers/${kind}` : `/identifiers/${kind}/${n}`);
  x12.forEach((x, n) => {
    const base = at('x12', n, x12.length);
    out.push({ key: `x12:${norm(x.qualifier)}/${norm(x.id)}`, label: `X12 sender ${x.qualifier}/${x.id}`, pointer: `${base}/id`, kind: 'x12' });
    if (x.gsId && norm(x.gsId) !== norm(x.id)) {
      out.push({ key: `gs:${norm(x.gsId)}`, label: `X12 GS02 ${x.gsId}`, pointer: `${base}/gsId`, kind: 'gs' });
    }
  });
  edifact.forEach((e, n) => out.push({ key: `edifact:${norm(e.id)}|${norm(e.qualifier ?? '')}`, label: `EDIFACT sender ${e.id}${e.qualifier ? `:${e.qualifier}` : ''}`, pointer: `${at('edifact', n, edifact.length)}/id`, kind: 'edifact' }));
  as2.forEach((a, n) => out.push({ key: `as2:${unquoteAs2(a)}`, label: `AS2 id ${a}`, pointer: at('as2', n, as2.length), kind: 'as2' }));
  return out;
}

/** a profile's identities (loaded profiles carry them; a hand-made one in a test may hold only identifiers) */
export function identitiesOf(p: Pick<PartnerProfile, 'identifiers'> & { identities?: PartnerProfile['identities'] }): PartnerProfile['identities'] {
  if (p.identities) return p.identities;
  const { x12, edifact, as2 } = p.identifiers;
  return { x12: x12 ? [x12] : [], edifact: edifact ? [edifact] : [], as2: as2 ? [as2] : [] };
}

/** how to give two partners distinct identifiers, by kind */
const DISTINCT_HINT: Record<Claim['kind'], string> = {
  x12: 'each identifier must name exactly one partner: give each its own ISA qualifier/id, or, when both send under one ISA id, set a distinct gsId (GS02) on each and drop the shared ISA id from one',
  gs: 'each identifier must name exactly one partner: give each partner its own gsId (GS02)',
  edifact: 'each identifier must name exactly one partner: give each its own UNB id, or the same id with a distinct qualifier (S002 0007)',
  as2: 'each identifier must name exactly one partner: give each partner its own AS2 id',
};

export function createPartnerIndex(
  partners: readonly PartnerProfile[], locators: ReadonlyMap<string, Locate>,
): { index: PartnerIndex; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const owner = new Map<string, { partner: PartnerProfile; pointer: string }>();
  for (const p of partners) {
    for (const c of claims(p)) {
      const first = owner.get(c.key);
      if (!first) { owner.set(c.key, { partner: p, pointer: c.pointer }); continue; }
      const firstPos = locators.get(first.partner.id)?.(first.pointer) ?? { line: 1, col: 1 };
      problems.push(problem({
        file: p.file, ...(locators.get(p.id)?.(c.pointer) ?? {}), pointer: c.pointer, rule: 'unique_identifier',
        message: `${c.label} is already used by partner "${first.partner.id}" (${first.partner.file}:${firstPos.line}:${firstPos.col})`,
        hint: DISTINCT_HINT[c.kind],
      }));
    }
  }
  const keyed: Array<{ hash: Buffer; partner: PartnerProfile }> = [];
  for (const p of partners) {
    const hash = apiKeyHash(p);
    if (!hash) continue;
    const dup = keyed.find((k) => k.hash.equals(hash));
    if (dup) {
      const pointer = ['/http/apiKeyEnv', '/http/apiKeyFile', '/http/apiKeySha256'].find((ptr) => (p.http ?? {})[ptr.slice(6)] !== undefined) ?? '/http';
      problems.push(problem({
        file: p.file, ...(locators.get(p.id)?.(pointer) ?? {}), pointer, rule: 'unique_identifier',
        message: `API key is the same as partner "${dup.partner.id}"'s`,
        hint: 'give every partner its own API key',
      }));
      continue;
    }
    keyed.push({ hash, partner: p });
  }

  const byKeyHash = new Map(keyed.map((k) => [k.hash.toString('hex'), k]));
  const lookup = (key: string) => owner.get(key)?.partner;
  const index: PartnerIndex = {
    byX12(qualifier, id) {
      const q = norm(qualifier);
      const i = norm(id);
      if (q) {
        const exact = lookup(`x12:${q}/${i}`);
        if (exact) return exact;
      }
      // GS02 carries no qualifier: match a declared gsId, or an ISA06 declared by only one partner
      const gs = lookup(`gs:${i}`);
      if (gs) return gs;
      if (q) return undefined;
      const byId = partners.filter((p) => identitiesOf(p).x12.some((x) => norm(x.id) === i));
      return byId.length === 1 ? byId[0] : undefined;
    },
    byEdifact(id, qualifier) {
      const i = norm(id);
      const q = norm(qualifier ?? '');
      const exact = lookup(`edifact:${i}|${q}`) ?? lookup(`edifact:${i}|`);
      if (exact) return exact;
      if (q) return undefined;
      const byId = partners.filter((p) => identitiesOf(p).edifact.some((e) => norm(e.id) === i));
      return byId.length === 1 ? byId[0] : undefined;
    },
    byAs2(as2From) {
      return lookup(`as2:${unquoteAs2(as2From)}`);
    },
    byApiKey(key) {
      // Only the sha256 of a key is kept. The lookup is by that digest: its timing can at most tell
      // an attacker about the digest of the key they sent, not about a stored key; the final
      // comparison is timing-safe anyway.
      const presented = sha256(key);
      const k = byKeyHash.get(presented.toString('hex'));
      return k && timingSafeEqual(k.hash, presented) ? k.partner : undefined;
    },
  };
  return { index, problems };
}
