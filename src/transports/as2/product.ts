/**
 * How we present ourselves on every AS2 message and MDN we send (Drummond's RFC 4130bis draft,
 * 5.1 and "AS2 Product header"): AS2-Version 1.2 with EDIINT-Features (RFC 6017) naming what we
 * do, and AS2-Product `<product>:<version>` from package.json, fixed at build time.
 */
import { readFileSync } from 'node:fs';

export const AS2_VERSION = '1.2';

/** RFC 6017: a resend under the same Message-ID is recognised and answered with the first MDN */
export const EDIINT_FEATURES = 'AS2-Reliability';

function productVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' && /^\d+(\.\d+)+/.test(pkg.version) ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** lower-case letters, digits and "-", a colon, a dotted version */
export const AS2_PRODUCT = `edi-gateway:${productVersion()}`;

/** the three headers, in the order we write them */
export const AS2_IDENTITY_HEADERS: ReadonlyArray<[string, string]> = [
  ['AS2-Version', AS2_VERSION], ['EDIINT-Features', EDIINT_FEATURES], ['AS2-Product', AS2_PRODUCT],
];
