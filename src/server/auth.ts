/**
 * Bearer tokens with roles. Staff and ERP tokens (admin, operator, erp) come from the environment
 * at start; a partner's API key (header X-API-Key, or Bearer) reaches only intake and its own
 * messages. Keys are compared as SHA-256 digests in constant time; refusals are logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../core/logger.ts';

export type Role = 'admin' | 'operator' | 'erp';
export type Principal = { kind: 'staff'; role: Role; name: string } | { kind: 'partner'; partnerId: string };

export interface StaffToken { token: string; role: Role; name: string }

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createAuthenticator(opts: { tokens: StaffToken[]; partnerByKey(key: string): string | undefined; logger: Logger }) {
  const staff = opts.tokens.filter((t) => t.token.length > 0).map((t) => ({ ...t, hash: digest(t.token) }));
  const identify = (c: Context): Principal | undefined => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    const apiKey = c.req.header('x-api-key')?.trim();
    const presented = bearer ?? apiKey;
    if (!presented) return undefined;
    const h = digest(presented);
    const s = staff.find((t) => timingSafeEqual(t.hash, h));
    if (s) return { kind: 'staff', role: s.role, name: s.name };
    const partnerId = opts.partnerByKey(presented);
    return partnerId ? { kind: 'partner', partnerId } : undefined;
  };

  /**
   * Allows the given staff roles and, when `partners` is set, partner keys. Admin is allowed too
   * unless `only` is set: the ERP feed is the ERP's alone, since an admin pulling it would lease
   * documents away from the ERP (they come back only after the lease).
   */
  const require = (roles: Role[], partners = false, only = false): MiddlewareHandler => async (c, next) => {
    const p = identify(c);
    if (!p) {
      const presented = Boolean(c.req.header('authorization') || c.req.header('x-api-key'));
      opts.logger.warn('refused credentials', { path: c.req.path, reason: presented ? 'unknown token' : 'no token', ip: c.req.header('x-forwarded-for') });
      return c.json({ error: { code: 'unauthorized', message: presented ? 'the token or API key is not valid' : 'credentials required: Authorization: Bearer <token> or X-API-Key: <key>' } }, 401);
    }
    const allowed = p.kind === 'partner' ? partners : (p.role === 'admin' && !only) || roles.includes(p.role);
    if (!allowed) {
      opts.logger.warn('forbidden', { path: c.req.path, principal: p });
      const who = p.kind === 'partner' ? `partner ${p.partnerId}` : `role ${p.role}`;
      return c.json({ error: { code: 'forbidden', message: `${who} may not use ${c.req.method} ${c.req.path}` } }, 403);
    }
    c.set('principal', p);
    await next();
  };

  /** who presented valid credentials, without refusing anyone (public endpoints that show more to staff) */
  return { require, identify };
}

export function principalName(p: Principal): string {
  return p.kind === 'partner' ? `partner:${p.partnerId}` : `${p.role}:${p.name}`;
}

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}
