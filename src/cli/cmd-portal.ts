import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { systemClock } from '../core/clock.ts';
import { isGatewayError } from '../core/errors.ts';
import { createIdGenerator } from '../core/ids.ts';
import { openStore } from '../db/open-store.ts';
import { createAccounts, INVITE_DAYS } from '../portal/accounts.ts';
import { invitationLink } from '../server/portal/routes.ts';
import { CliError, dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';

export const portalHelp = `Usage: edigw portal invite --partner <id> --email <address> [--json]
       edigw portal users --partner <id>

The supplier portal's accounts, on the database in EDIGW_DATABASE_URL (the running gateway's).
  invite   invites a user of a partner: prints the invitation link, valid ${INVITE_DAYS} days and once;
           the user sets a password with it and then signs in at /portal/. The link holds a
           one-time token that is not stored (only its SHA-256): send it to the user yourself.
           Inviting the same address again (before it was accepted) replaces the link.
  users    lists a partner's portal users (status, last sign-in, locked until).
The invitation is written to the audit log with your user name.

Options:
  --partner <id>       the partner the user belongs to (a configured partner)
  --email <address>    the user's e-mail address (their sign-in name)
  --json               print the result as JSON
  -h, --help           show this help

The link starts with EDIGW_PUBLIC_URL (the address partners reach the gateway at; default
http://localhost:\${PORT or 8080}).

Exit status: 0 when done; 1 when the invitation is refused (unknown partner, bad address,
an account that exists); 2 on a usage error.`;

export async function portalCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { partner: { type: 'string' }, email: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(portalHelp); return 0; }
  const [action] = positionals;
  if (action !== 'invite' && action !== 'users') throw new CliError(action ? `unknown portal action "${action}" (expected invite or users)\n\n${portalHelp}` : `portal needs an action: invite or users\n\n${portalHelp}`, 2);
  if (!values.partner) throw new CliError(`portal ${action} needs --partner <id>\n\n${portalHelp}`, 2);
  if (action === 'invite' && !values.email) throw new CliError(`portal invite needs --email <address>\n\n${portalHelp}`, 2);
  const { config } = loadConfigOrExplain(io.env);
  const store = await openStore(dirsFromEnv(io.env).databaseUrl);
  try {
    if (action === 'users') {
      if (!config.partner(values.partner)) throw new CliError(`partner ${values.partner} is not configured`, 1);
      const users = await store.portal.listUsers(values.partner);
      if (values.json) io.out(JSON.stringify(users.map(({ passwordHash: _p, inviteHash: _i, ...u }) => u), null, 2));
      else if (users.length === 0) io.out(`partner ${values.partner} has no portal users`);
      else for (const u of users) io.out(`${u.email.padEnd(32)} ${u.status.padEnd(8)} ${u.lastLoginAt ? `last sign-in ${u.lastLoginAt}` : u.status === 'invited' ? `invitation valid until ${u.inviteExpiresAt}` : 'never signed in'}${u.lockedUntil ? `, locked until ${u.lockedUntil}` : ''}`);
      return 0;
    }
    const accounts = createAccounts({ store, clock: systemClock, ids: createIdGenerator(), partnerExists: (id) => Boolean(config.partner(id)) });
    let r;
    try {
      r = await accounts.invite(values.partner, values.email!, `cli:${userInfo().username}`);
    } catch (e) {
      if (isGatewayError(e)) throw new CliError(`${e.message} (${e.code})`, 1);
      throw e;
    }
    const base = io.env.EDIGW_PUBLIC_URL ?? `http://localhost:${io.env.PORT ?? '8080'}`;
    const link = invitationLink(base, r.token);
    if (values.json) io.out(JSON.stringify({ userId: r.userId, partnerId: r.partnerId, email: r.email, expiresAt: r.expiresAt, link }, null, 2));
    else io.out(`invited ${r.email} to the portal for partner ${r.partnerId}; send them this link (valid once, until ${r.expiresAt}):\n${link}`);
    return 0;
  } finally {
    await store.close();
  }
}
