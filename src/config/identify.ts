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

interface Claim { key: string; label: string; pointer: string }

function claims(p: PartnerProfile): Claim[] {
  const out: Claim[] = [];
  const { x12, edifact, as2 } = p.identifiers;
  if (x12) {
    out.push({ key: `x12:${norm(x12.qualifier)}/${norm(x12.id)}`, label: `X12 sender ${x12.qualifier}/${x12.id}`, pointer: '/identifiers/x12/id' });
    if (x12.gsId && norm(x12.gsId) !== norm(x12.id)) {
      out.push({ key: `gs:${norm(x12.gsId)}`, label: `X12 GS02 ${x12.gsId}`, pointer: '/identifiers/x12/gsId' });
    }
  }
  if (edifact) out.push({ key: `edifact:${norm(edifact.id)}|${norm(edifact.qualifier ?? '')}`, label: `EDIFACT sender ${edifact.id}${edifact.qualifier ? `:${edifact.qualifier}` : ''}`, pointer: '/identifiers/edifact/id' });
  if (as2) out.push({ key: `as2:${unquoteAs2(as2)}`, label: `AS2 id ${as2}`, pointer: '/identifiers/as2' });
  return out;
}

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
        hint: 'each identifier must name exactly one partner',
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
      const byId = partners.filter((p) => p.identifiers.x12 && norm(p.identifiers.x12.id) === i);
      return byId.length === 1 ? byId[0] : undefined;
    },
    byEdifact(id, qualifier) {
      const i = norm(id);
      const q = norm(qualifier ?? '');
      const exact = lookup(`edifact:${i}|${q}`) ?? lookup(`edifact:${i}|`);
      if (exact) return exact;
      if (q) return undefined;
      const byId = partners.filter((p) => p.identifiers.edifact && norm(p.identifiers.edifact.id) === i);
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
