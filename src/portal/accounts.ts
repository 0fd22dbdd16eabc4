/**
 * Portal accounts: an operator invites a partner's user (one-time token, stored as SHA-256, valid
 * INVITE_DAYS); the user sets a password (scrypt, passwords.ts) with the token, once; logins open
 * a session (cookie token stored as SHA-256, with its CSRF token); LOCK_AFTER wrong passwords in a
 * row lock the account for LOCK_MINUTES. Every invitation, acceptance, login, failure, lock and
 * logout is written to the audit log. A user belongs to one partner and sees only its data.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Store } from '../db/store.ts';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import type { PortalSessionRow, PortalUserRow } from './portal-store.ts';

export const INVITE_DAYS = 7;
export const SESSION_HOURS = 8;
export const LOCK_AFTER = 5;
export const LOCK_MINUTES = 15;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>".]{2,}$/;

export interface PortalSession { session: PortalSessionRow; user: PortalUserRow }

export interface AccountDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** whether the partner is configured (an invitation names a partner the gateway knows) */
  partnerExists(partnerId: string): boolean;
}

export function createAccounts(deps: AccountDeps) {
  const { store, clock } = deps;
  const now = () => clock.now();
  const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
  const audit = (actor: string, action: string, subject: string | null, detail: Record<string, unknown> = {}) =>
    store.audit({ at: now().toISOString(), actor, action, subject, detail });

  /** a new invitation (or a fresh one for a user who never accepted): the token is returned once, never stored */
  async function invite(partnerId: string, emailIn: string, by: string): Promise<{ userId: string; email: string; partnerId: string; token: string; expiresAt: string }> {
    const email = String(emailIn ?? '').trim().toLowerCase();
    if (!EMAIL.test(email)) throw new GatewayError('email_invalid', `"${emailIn}" is not an e-mail address`, { expected: 'name@domain.tld', found: String(emailIn) });
    if (!deps.partnerExists(partnerId)) throw new GatewayError('partner_not_found', `partner ${partnerId} is not configured`, { partnerId });
    const t = token();
    const expiresAt = later(INVITE_DAYS * 86_400_000);
    const at = now().toISOString();
    const existing = await store.portal.userByEmail(email);
    let userId: string;
    if (existing) {
      if (existing.partnerId !== partnerId) throw new GatewayError('portal_user_exists', `${email} already has a portal account of another partner`, { email });
      if (existing.status === 'active') throw new GatewayError('portal_user_exists', `${email} already has a portal account for ${partnerId}; it signs in with its password`, { email, partnerId });
      userId = existing.id;
      await store.portal.updateUser(userId, { inviteHash: sha256(t), inviteExpiresAt: expiresAt }, at);
    } else {
      userId = deps.ids('usr');
      await store.portal.insertUser({ id: userId, partnerId, email, passwordHash: null, status: 'invited', failedLogins: 0, lockedUntil: null,
        inviteHash: sha256(t), inviteExpiresAt: expiresAt, invitedBy: by, createdAt: at, updatedAt: at, lastLoginAt: null });
    }
    await audit(by, 'portal_invite', userId, { partnerId, email, expiresAt, reissued: Boolean(existing) });
    return { userId, email, partnerId, token: t, expiresAt };
  }

  /** sets the password of an invited user with its token, once */
  async function accept(inviteToken: string, password: unknown): Promise<PortalUserRow> {
    const user = typeof inviteToken === 'string' && inviteToken ? await store.portal.userByInvite(sha256(inviteToken)) : undefined;
    if (!user) throw new GatewayError('invitation_invalid', 'this invitation link is not valid or was already used: ask the operator for a new one');
    if (!user.inviteExpiresAt || user.inviteExpiresAt <= now().toISOString()) {
      throw new GatewayError('invitation_expired', `this invitation expired at ${user.inviteExpiresAt}: ask the operator for a new one`, { expiredAt: user.inviteExpiresAt });
    }
    const problem = passwordProblem(password, user.email);
    if (problem) throw new GatewayError('password_invalid', problem, { expected: 'at least 12 characters, not the e-mail address' });
    const taken = await store.portal.acceptInvite(sha256(inviteToken), await hashPassword(password as string), now().toISOString());
    if (!taken) throw new GatewayError('invitation_invalid', 'this invitation link is not valid or was already used: ask the operator for a new one');
    await audit(`portal:${user.email}`, 'portal_invite_accepted', user.id, { partnerId: user.partnerId });
    return (await store.portal.getUser(user.id))!;
  }

  async function login(emailIn: unknown, password: unknown, from?: string): Promise<{ token: string; session: PortalSessionRow; user: PortalUserRow }> {
    const email = String(emailIn ?? '').trim().toLowerCase();
    const user = email ? await store.portal.userByEmail(email) : undefined;
    const wrong = new GatewayError('login_failed', 'the e-mail address or the password is wrong');
    if (!user || !user.passwordHash || typeof password !== 'string') {
      await verifyPassword(String(password ?? ''), await dummyHash());
      await audit(`portal:${email || '(none)'}`, 'portal_login_failed', user?.id ?? null, { reason: user ? 'no password set yet' : 'unknown e-mail', from });
      throw wrong;
    }
    const at = now().toISOString();
    if (user.lockedUntil && user.lockedUntil > at) {
      await audit(`portal:${email}`, 'portal_login_refused', user.id, { reason: 'locked', lockedUntil: user.lockedUntil, from });
      throw new GatewayError('account_locked', `this account is locked after ${LOCK_AFTER} wrong passwords until ${user.lockedUntil}`, { lockedUntil: user.lockedUntil });
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const failed = user.failedLogins + 1;
      const lock = failed >= LOCK_AFTER;
      const lockedUntil = lock ? later(LOCK_MINUTES * 60_000) : null;
      await store.portal.updateUser(user.id, { failedLogins: lock ? 0 : failed, ...(lock ? { lockedUntil } : {}) }, at);
      await audit(`portal:${email}`, lock ? 'portal_locked' : 'portal_login_failed', user.id, { reason: 'wrong password', failedInARow: failed, ...(lock ? { lockedUntil } : {}), from });
      if (lock) throw new GatewayError('account_locked', `this account is locked after ${LOCK_AFTER} wrong passwords until ${lockedUntil}`, { lockedUntil });
      throw wrong;
    }
    await store.portal.updateUser(user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: at }, at);
    const t = token();
    const session: PortalSessionRow = { tokenHash: sha256(t), userId: user.id, partnerId: user.partnerId, csrf: token(), createdAt: at, expiresAt: later(SESSION_HOURS * 3_600_000) };
    await store.portal.insertSession(session);
    await audit(`portal:${email}`, 'portal_login', user.id, { partnerId: user.partnerId, from });
    return { token: t, session, user };
  }

  /** the live session of a cookie token, or undefined (an expired one is deleted) */
  async function session(cookieToken: string | undefined): Promise<PortalSession | undefined> {
    if (!cookieToken) return undefined;
    const s = await store.portal.getSession(sha256(cookieToken));
    if (!s) return undefined;
    if (s.expiresAt <= now().toISOString()) { await store.portal.deleteSession(s.tokenHash); return undefined; }
    const user = await store.portal.getUser(s.userId);
    if (!user || user.status !== 'active') return undefined;
    return { session: s, user };
  }

  async function logout(s: PortalSession): Promise<void> {
    await store.portal.deleteSession(s.session.tokenHash);
    await audit(`portal:${s.user.email}`, 'portal_logout', s.user.id, { partnerId: s.user.partnerId });
  }

  return { invite, accept, login, session, logout };
}

export type Accounts = ReturnType<typeof createAccounts>;
