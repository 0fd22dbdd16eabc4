/**
 * The portal's session and CSRF rules. The session token is in an HttpOnly, SameSite=Strict
 * cookie scoped to /portal (Secure when the request came over https, directly or through a proxy
 * that says so in X-Forwarded-Proto). Every POST carries a CSRF token in the X-CSRF-Token header:
 * the session's own once signed in, before that (login, invitation) the value of a SameSite=Strict
 * cookie the page read from GET /portal/api/session (double submit). A post from another origin
 * (its Origin header) is refused too. A refusal stores nothing.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Accounts, PortalSession } from '../../portal/accounts.ts';

export const SESSION_COOKIE = 'edigw_portal';
export const CSRF_COOKIE = 'edigw_portal_csrf';

const secure = (c: Context) => c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' || new URL(c.req.url).protocol === 'https:';
const cookieOptions = (c: Context) => ({ path: '/portal', httpOnly: true, sameSite: 'Strict' as const, secure: secure(c) });

export const portalError = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429, code: string, message: string, detail?: Record<string, unknown>) =>
  c.json({ error: { code, message, ...(detail ? { detail } : {}) } }, status);

export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: maxAgeSeconds });
}
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

/** the pre-session CSRF token: the cookie's, or a fresh one set now */
export function preSessionCsrf(c: Context): string {
  const have = getCookie(c, CSRF_COOKIE);
  if (have && /^[A-Za-z0-9_-]{43}$/.test(have)) return have;
  const fresh = randomBytes(32).toString('base64url');
  setCookie(c, CSRF_COOKIE, fresh, cookieOptions(c));
  return fresh;
}

/** the host of an Origin header; '' for one that is not a URL ('null' from a sandboxed frame included) */
const originHost = (origin: string) => { try { return new URL(origin).host; } catch { return ''; } };
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

declare module 'hono' {
  interface ContextVariableMap {
    portalSession: PortalSession | undefined;
  }
}

/** reads the session (if any) and refuses a POST whose CSRF token or origin is not ours */
export function portalGuard(accounts: Accounts): MiddlewareHandler {
  return async (c, next) => {
    const s = await accounts.session(getCookie(c, SESSION_COOKIE));
    c.set('portalSession', s);
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin && originHost(origin) !== c.req.header('host')) {
        return portalError(c, 403, 'origin_mismatch', `a form posted from ${origin} is not accepted: use the portal's own pages`);
      }
      const sent = c.req.header('x-csrf-token') ?? '';
      const expected = s ? s.session.csrf : getCookie(c, CSRF_COOKIE) ?? '';
      if (!sent) return portalError(c, 403, 'csrf_missing', 'the form carries no CSRF token (X-CSRF-Token): reload the page and submit it again');
      if (!expected || !same(sent, expected)) return portalError(c, 403, 'csrf_mismatch', 'the form\'s CSRF token is not this session\'s: reload the page and submit it again');
    }
    await next();
  };
}

/** the signed-in user's session, or a 401 */
export const requireSession: MiddlewareHandler = async (c, next) => {
  if (!c.get('portalSession')) return portalError(c, 401, 'not_signed_in', 'sign in to the portal first (your session may have expired)');
  await next();
};
