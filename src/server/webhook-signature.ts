/**
 * Webhook signatures: a partner that posts its own JSON (a carrier's status webhook) with its API
 * key also signs each body with a shared secret, and the profile says how (`http.signature`):
 *
 *   http:
 *     apiKeyEnv: SWIFT_API_KEY
 *     signature:
 *       header: X-Swift-Signature      # where the signature is
 *       algorithm: sha256              # HMAC-SHA256 of the raw body (the only one taken)
 *       encoding: hex                  # or base64 (default hex)
 *       prefix: "sha256="              # text before the digest, if the partner sends one
 *       secretEnv: SWIFT_WEBHOOK_SECRET   # or secretFile: ./secrets/swift-webhook (never the secret itself)
 *
 * The digest is computed over the bytes exactly as they arrived (streamed from the file store for
 * a large body) and compared in constant time. A refusal names what was wrong with a stable code;
 * the caller keeps the body as a rejected message.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readSecretFile } from '../config/secrets.ts';

export interface WebhookSignatureConfig {
  header: string;
  algorithm: 'sha256';
  encoding?: 'hex' | 'base64';
  prefix?: string;
  secretEnv?: string;
  secretFile?: string;
}

/** what of a partner profile the check reads (PartnerProfile satisfies it) */
export interface SignedPartner {
  id: string;
  http?: Record<string, unknown>;
  /** resolved `...Env` secrets: `http.signature.secret` */
  secrets?: Readonly<Record<string, string>>;
}

export type SignatureVerdict =
  | { ok: true; header: string }
  | { ok: false; code: 'webhook_signature_missing' | 'webhook_signature_malformed' | 'webhook_signature_invalid' | 'webhook_secret_unavailable'; message: string; header: string };

/** the profile's signature block, when the partner signs its posts */
export function signatureConfigOf(partner: SignedPartner): WebhookSignatureConfig | undefined {
  const s = partner.http?.signature;
  return s && typeof s === 'object' && typeof (s as { header?: unknown }).header === 'string' ? s as WebhookSignatureConfig : undefined;
}

const DIGEST_BYTES = { sha256: 32 } as const;

/**
 * Checks the signature header of a partner's post against the HMAC of `body` (its bytes, or its
 * chunks for a body in the file store). `headerValue` is the header as received (undefined: absent).
 */
export async function verifyWebhookSignature(
  partner: SignedPartner, config: WebhookSignatureConfig, headerValue: string | undefined, body: Uint8Array | AsyncIterable<Uint8Array>,
): Promise<SignatureVerdict> {
  const header = config.header;
  const what = `HMAC-${config.algorithm.toUpperCase()} of the body, ${config.encoding ?? 'hex'}${config.prefix ? ` after "${config.prefix}"` : ''}`;
  const secret = partner.secrets?.['http.signature.secret'] ?? (config.secretFile ? readSecretFile(config.secretFile) : undefined);
  if (!secret) {
    const ref = config.secretEnv ? `environment variable ${config.secretEnv} is not set` : config.secretFile ? `${config.secretFile} cannot be read` : 'no secretEnv or secretFile is configured';
    return { ok: false, header, code: 'webhook_secret_unavailable', message: `partner ${partner.id}'s webhook secret is not available (${ref}): its signed posts cannot be verified and are refused` };
  }
  const presented = headerValue?.trim();
  if (!presented) {
    return { ok: false, header, code: 'webhook_signature_missing', message: `partner ${partner.id} signs its posts: header ${header} (${what}) is missing` };
  }
  const text = config.prefix ? (presented.startsWith(config.prefix) ? presented.slice(config.prefix.length) : undefined) : presented;
  const given = text === undefined ? undefined : decode(text, config.encoding ?? 'hex');
  const length = DIGEST_BYTES[config.algorithm];
  if (!given || given.byteLength !== length) {
    const shown = presented.length > 80 ? `${presented.slice(0, 80)}…` : presented;
    return { ok: false, header, code: 'webhook_signature_malformed', message: `header ${header} of partner ${partner.id} is not ${config.prefix ? `"${config.prefix}" followed by ` : ''}a ${length}-byte ${config.encoding ?? 'hex'} digest: "${shown}"` };
  }
  const hmac = createHmac(config.algorithm, secret);
  if (body instanceof Uint8Array) hmac.update(body);
  else for await (const chunk of body) hmac.update(chunk);
  if (!timingSafeEqual(hmac.digest(), given)) {
    return { ok: false, header, code: 'webhook_signature_invalid', message: `header ${header} of partner ${partner.id} does not match the ${what} (wrong secret, or the body was changed on the way)` };
  }
  return { ok: true, header };
}

function decode(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  // standard or URL-safe alphabet, padding optional
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
