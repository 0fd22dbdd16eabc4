/**
 * What the transports need from a profile, resolved: SFTP credentials (key file read, password
 * from the env reference) and the AS2 policy with the partner's certificates read from disk.
 * Shapes are structural so config does not import src/transports.
 */
import { readFileSync } from 'node:fs';
import { GatewayError } from '../core/errors.ts';
import { readPartnerCertificates } from './key-material.ts';
import type { GatewayConfig, PartnerProfile } from './types.ts';

export interface SftpSecretsLike { privateKey?: Buffer; password?: string }

export interface As2PolicyLike {
  partnerId: string;
  certificatesPem: string[];
  requireSigned: boolean;
  requireEncrypted: boolean;
  onMessageIdReuse: 'reject' | 'accept';
  /** modern: SHA-1 / 3DES inbound refused; legacy (default): accepted with a warning */
  profile: 'modern' | 'legacy';
  /** an expired or SHA-1-signed partner certificate: warn (default) or refuse */
  certificateProblems: 'warn' | 'refuse';
  /** our AS2 ids toward the partner beside the gateway's own (us.as2) */
  ourAs2Ids?: string[];
  /** how we sign our MDNs to the partner with an RSA key (as2.signatureScheme) */
  signatureScheme?: 'rsa-pkcs1-v1_5' | 'rsassa-pss';
}

function readReferenced(partner: PartnerProfile, field: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new GatewayError('secret_unreadable', `partner "${partner.id}": ${field} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      partnerId: partner.id, field, file,
    });
  }
}

/** SFTP credentials for the poller/uploader; undefined when the partner has no sftp block. */
export function sftpSecretsFor(partner: PartnerProfile): SftpSecretsLike | undefined {
  const sftp = partner.sftp as { privateKeyFile?: string } | undefined;
  if (!sftp) return undefined;
  const out: SftpSecretsLike = {};
  if (typeof sftp.privateKeyFile === 'string') out.privateKey = readReferenced(partner, 'sftp.privateKeyFile', sftp.privateKeyFile);
  const password = partner.secrets['sftp.password'];
  if (password !== undefined) out.password = password;
  const unset = partner.unresolvedSecrets?.find((u) => u.field === 'sftp.password');
  if (unset && !out.privateKey) {
    // no credential at all: the poller must not start (and a send must not retry) with an empty password
    throw new GatewayError('secret_unreadable', `partner "${partner.id}": sftp.passwordEnv names ${unset.env}, which is not set in the gateway's environment`, {
      partnerId: partner.id, field: 'sftp.passwordEnv', env: unset.env,
    });
  }
  return out;
}

/**
 * The AS2 receive policy of a partner: its certificate(s) (1-2, for rotation) and whether it must
 * sign / encrypt (both default to true: a partner turns them off explicitly in its profile), and
 * what a reused Message-ID with another payload gets (default reject).
 */
export function as2PolicyFor(partner: PartnerProfile): As2PolicyLike | undefined {
  const as2 = partner.as2 as { certificate?: string; certificates?: string[]; requireSigned?: boolean; requireEncrypted?: boolean; onMessageIdReuse?: 'reject' | 'accept'; profile?: 'modern' | 'legacy'; certificateProblems?: 'warn' | 'refuse'; signatureScheme?: 'rsa-pkcs1-v1_5' | 'rsassa-pss' } | undefined;
  if (!as2) return undefined;
  const files = as2.certificates ?? (as2.certificate ? [as2.certificate] : []);
  return {
    partnerId: partner.id,
    // PEM (openssl pkcs12 output with Bag Attributes, a bundle of current and next) or DER .cer
    certificatesPem: files.flatMap((f) => readPartnerCertificates({ file: f, setting: `${partner.file} as2.${as2.certificates ? 'certificates' : 'certificate'}` })),
    requireSigned: as2.requireSigned ?? true,
    requireEncrypted: as2.requireEncrypted ?? true,
    onMessageIdReuse: as2.onMessageIdReuse === 'accept' ? 'accept' : 'reject',
    profile: as2.profile === 'modern' ? 'modern' : 'legacy',
    certificateProblems: as2.certificateProblems === 'refuse' ? 'refuse' : 'warn',
    ...(partner.us?.as2 ? { ourAs2Ids: [...partner.us.as2] } : {}),
    ...(as2.signatureScheme ? { signatureScheme: as2.signatureScheme } : {}),
  };
}

/**
 * `findPartner(as2From)` for the AS2 receiver over the live configuration: reads certificates once
 * per loaded profile (a reload brings new profile objects, so new certificates are picked up).
 */
export function createAs2PartnerLookup(current: () => Pick<GatewayConfig, 'byAs2'>): (as2From: string) => As2PolicyLike | undefined {
  const cache = new WeakMap<PartnerProfile, As2PolicyLike | undefined>();
  return (as2From) => {
    const partner = current().byAs2(as2From);
    if (!partner) return undefined;
    if (!cache.has(partner)) cache.set(partner, as2PolicyFor(partner));
    return cache.get(partner);
  };
}
