/**
 * Partners loaded without a secret their profile names by `...Env` (the variable was not set):
 * what the gateway logs at start and on reload, shows on /healthz, and names when an API key is refused.
 */
import type { PartnerProfile } from './types.ts';

export interface MissingSecret {
  partnerId: string;
  /** `http.apiKey`, `sftp.password` */
  field: string;
  /** the unset environment variable */
  env: string;
  /** what does not work for the partner until it is set */
  effect: string;
}

export function missingSecrets(partners: readonly Pick<PartnerProfile, 'id' | 'unresolvedSecrets'>[]): MissingSecret[] {
  return partners.flatMap((p) => (p.unresolvedSecrets ?? []).map((u) => ({ partnerId: p.id, field: u.field, env: u.env, effect: u.effect })));
}

/**
 * The reason to log when a presented API key matches no partner and some partners have no key
 * because their variable is unset; undefined when every partner's key resolved.
 */
export function unresolvedApiKeysReason(partners: readonly Pick<PartnerProfile, 'id' | 'unresolvedSecrets'>[]): string | undefined {
  const missing = missingSecrets(partners).filter((m) => m.field === 'http.apiKey');
  if (missing.length === 0) return undefined;
  return `the key matches no partner; ${missing.map((m) => `partner "${m.partnerId}" has no API key because ${m.env} is not set`).join(', ')}`;
}
