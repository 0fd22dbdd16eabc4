// The shipped standard fixtures (fixtures/<group>/ where no partners/<group>.yaml exists: x12-004010,
// edifact-d96a, ...) run as no partner, on the base mappings. Their envelope ids must be ids no
// example partner (partners/*.yaml identifiers and us:) and no documentation example (envelopes
// and profile ids in README.md and docs/**) uses: onboarding a partner from the docs, or adding one
// of the examples, must never make `edigw check` run them as that partner (issue 19).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envelopeIds } from '../../src/config/envelope-ids.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const partnerIds = readdirSync(path.join(repo, 'partners')).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ''));

function filesUnder(dir: string, pick: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full, pick));
    else if (pick(e.name)) out.push(full);
  }
  return out;
}

/** every id the example partners and the documentation use for a partner or for us */
function exampleIds(): Map<string, string> {
  const where = new Map<string, string>();
  const add = (id: unknown, from: string) => { if (typeof id === 'string' || typeof id === 'number') where.set(String(id), from); };
  for (const id of partnerIds) {
    const p = parse(readFileSync(path.join(repo, 'partners', `${id}.yaml`), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    for (const block of [p.identifiers, p.us]) {
      for (const fmt of ['x12', 'edifact'] as const) {
        const v = block?.[fmt];
        for (const one of (Array.isArray(v) ? v : v ? [v] : []) as Array<Record<string, unknown>>) { add(one.id, `partners/${id}.yaml`); add(one.gsId, `partners/${id}.yaml`); }
      }
    }
  }
  for (const doc of [path.join(repo, 'README.md'), ...filesUnder(path.join(repo, 'docs'), (f) => f.endsWith('.md'))]) {
    const text = readFileSync(doc, 'utf8');
    const rel = path.relative(repo, doc);
    for (const id of envelopeIds(text)) add(id, rel);
    // profile examples: x12: { qualifier: ZZ, id: NORTHWIND }, edifact: { id: "4012345000009", ... }, gsId: ...
    for (const m of text.matchAll(/\{\s*(?:qualifier:\s*"?\w+"?,\s*)?(?:id|gsId):\s*"?([A-Za-z0-9]+)"?/g)) add(m[1], rel);
    for (const m of text.matchAll(/gsId:\s*"?([A-Za-z0-9]+)"?/g)) add(m[1], rel);
  }
  return where;
}

const standardGroups = readdirSync(path.join(repo, 'fixtures'))
  .filter((g) => statSync(path.join(repo, 'fixtures', g)).isDirectory() && !partnerIds.includes(g))
  // golden case groups: a case is a folder holding input.* (what edigw check runs)
  .filter((g) => readdirSync(path.join(repo, 'fixtures', g)).some((c) => statSync(path.join(repo, 'fixtures', g, c)).isDirectory() && readdirSync(path.join(repo, 'fixtures', g, c)).some((f) => f.startsWith('input.'))));

describe('standard fixtures use ids no example uses', () => {
  it('reads the envelope ids of X12 and EDIFACT interchanges', () => {
    expect(envelopeIds('ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261120*0915*U*00401*000000501*0*T*>~\nGS*PO*SENDERGS*RECEIVERGS*20261120*0915*501*X*004010~')).toEqual(['SENDER', 'RECEIVER', 'SENDERGS', 'RECEIVERGS']);
    expect(envelopeIds("UNA:+.? '\nUNB+UNOC:3+4000001000005:14+5412345000013:14+261120:0930+ORD0001'UNH+1+ORDERS:D:96A:UN'")).toEqual(['4000001000005', '5412345000013']);
  });

  it('the example ids include the walk-through partner and every demo partner', () => {
    const ids = exampleIds();
    expect(ids.get('NORTHWIND')).toBe('docs/onboarding.md');
    expect(ids.get('ACMESUPPLY')).toBe('partners/acme.yaml');
    expect(ids.get('4012345000009')).toBe('partners/eurotrade.yaml');
    expect(ids.get('GLOBEXAP')).toBe('partners/globex.yaml');
  });

  it.each(standardGroups)('fixtures/%s: no envelope id is an example partner\'s or a documentation example\'s', (group) => {
    const examples = exampleIds();
    const clashes: string[] = [];
    let envelopes = 0;
    for (const file of filesUnder(path.join(repo, 'fixtures', group), (f) => /^(input|expected)[.-]/.test(f) && /\.(edi|x12|edifact|txt)$/.test(f))) {
      const ids = envelopeIds(readFileSync(file, 'latin1'));
      if (ids.length > 0) envelopes++;
      for (const id of ids) if (examples.has(id)) clashes.push(`${path.relative(repo, file)}: ${id} (used by ${examples.get(id)})`);
    }
    expect(clashes).toEqual([]);
    if (/^(x12|edifact)-/.test(group)) expect(envelopes).toBeGreaterThan(0);
  });
});
