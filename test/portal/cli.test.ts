/** `edigw portal invite|users` against a database and partners folder, as an operator runs it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { openStore } from '../../src/db/open-store.ts';
import { sha256 } from '../../src/portal/accounts.ts';
import { restcoYaml } from '../support/gateway-fixture.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-portal-cli-'));
mkdirSync(path.join(dir, 'partners'));
mkdirSync(path.join(dir, 'mappings'));
writeFileSync(path.join(dir, 'partners/restco.yaml'), restcoYaml);
const env = { EDIGW_DATABASE_URL: path.join(dir, 'gateway.db'), EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'), EDIGW_FIXTURES_DIR: path.join(dir, 'fixtures'), RESTCO_API_KEY: 'k', EDIGW_PUBLIC_URL: 'https://edi.example.com' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function edigw(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('edigw portal', () => {
  it('--help says what it does', async () => {
    const r = await edigw('portal', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: edigw portal invite --partner <id> --email <address>');
    expect((await edigw('--help')).out).toContain('portal     invite supplier portal users, list them');
  });

  it('invites: prints the one-time link; the token is stored only as its SHA-256; a second invite of an active user is refused', async () => {
    const r = await edigw('portal', 'invite', '--partner', 'restco', '--email', 'Buyer@RestCo.example', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ partnerId: 'restco', email: 'buyer@restco.example' });
    const token = /^https:\/\/edi\.example\.com\/portal\/#\/invite\/([A-Za-z0-9_-]{43})$/.exec(out.link)?.[1];
    expect(token).toBeDefined();
    const store = await openStore(env.EDIGW_DATABASE_URL);
    const user = await store.portal.userByEmail('buyer@restco.example');
    expect(user?.inviteHash).toBe(sha256(token!));
    await store.portal.acceptInvite(sha256(token!), 'scrypt$x', new Date().toISOString());
    await store.close();
    const again = await edigw('portal', 'invite', '--partner', 'restco', '--email', 'buyer@restco.example');
    expect(again).toMatchObject({ code: 1, err: 'edigw portal: buyer@restco.example already has a portal account for restco; it signs in with its password (portal_user_exists)' });
    expect((await edigw('portal', 'users', '--partner', 'restco')).out).toMatch(/^buyer@restco\.example\s+active\s+never signed in$/);
  });

  it('usage errors are precise', async () => {
    expect(await edigw('portal', 'invite', '--partner', 'restco')).toMatchObject({ code: 2 });
    expect((await edigw('portal', 'invite', '--partner', 'restco')).err).toContain('portal invite needs --email <address>');
    expect((await edigw('portal', 'invite', '--partner', 'nobody', '--email', 'a@b.example')).err).toBe('edigw portal: partner nobody is not configured (partner_not_found)');
    expect((await edigw('portal', 'frobnicate')).err).toContain('unknown portal action "frobnicate" (expected invite or users)');
  });
});
