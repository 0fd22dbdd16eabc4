import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import type { StaffToken } from './auth.ts';

/**
 * Bootstrap tokens: EDIGW_ADMIN_TOKEN, EDIGW_OPERATOR_TOKEN and EDIGW_ERP_TOKEN. When the admin token is
 * not set, one is generated for this run and logged once, so a fresh `npm start` is usable and never open.
 */
export function staffTokensFromEnv(env: Record<string, string | undefined>, logger: Logger): StaffToken[] {
  const tokens: StaffToken[] = [];
  let admin = env.EDIGW_ADMIN_TOKEN;
  if (!admin) {
    admin = randomBytes(18).toString('base64url');
    logger.warn('EDIGW_ADMIN_TOKEN is not set: generated an admin token for this run', { adminToken: admin });
  }
  tokens.push({ token: admin, role: 'admin', name: 'bootstrap-admin' });
  if (env.EDIGW_OPERATOR_TOKEN) tokens.push({ token: env.EDIGW_OPERATOR_TOKEN, role: 'operator', name: 'bootstrap-operator' });
  if (env.EDIGW_ERP_TOKEN) tokens.push({ token: env.EDIGW_ERP_TOKEN, role: 'erp', name: 'bootstrap-erp' });
  return tokens;
}
