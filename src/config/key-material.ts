/**
 * Reads AS2 keys and certificates the way partners and tools hand them over: a PEM written by
 * `openssl pkcs12` ("Bag Attributes" lines around each block), one PEM holding key and
 * certificate, a DER `.cer`, a bundle or chain file, a PKCS#12 (.p12/.pfx) file whose password is
 * in an environment variable. Whatever is wrong is refused with a message naming the file and
 * the setting (environment variable or profile field) it came from; nothing here logs a secret.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { GatewayError } from '../core/errors.ts';

export interface KeyMaterial {
  /** the end-entity certificate, as clean PEM */
  certificatePem: string;
  /** the other certificates found (issuers), as clean PEM */
  chainPem: string[];
  /** PKCS#8 PEM, when the source held a key */
  privateKeyPem?: string;
}

/** where a file came from, for messages: `EDIGW_AS2_CERT_FILE` or `partners/acme.yaml as2.certificate` */
export interface Source { file: string; setting: string }

const fail = (src: Source, what: string, detail: Record<string, unknown> = {}) =>
  new GatewayError('as2_key_material_invalid', `${src.setting} ${src.file}: ${what}`, { file: src.file, setting: src.setting, ...detail });

function readBytes(src: Source): Buffer {
  try {
    return readFileSync(src.file);
  } catch (e) {
    throw fail(src, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The PEM blocks of a text by label; lines outside blocks (Bag Attributes, comments) are ignored. */
function pemBlocks(text: string): Array<{ label: string; pem: string }> {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, pem: `${m[0]}\n` }));
}

function certificateFrom(src: Source, input: string | Buffer, index: number): X509Certificate {
  try {
    return new X509Certificate(input);
  } catch (e) {
    throw fail(src, `certificate ${index + 1} is not a readable X.509 certificate (${(e as Error).message})`);
  }
}

function privateKeyFrom(src: Source, pem: string, label: string): KeyObject {
  if (label === 'ENCRYPTED PRIVATE KEY') throw fail(src, 'the private key is encrypted: give it unencrypted (openssl pkcs8 -topk8 -nocrypt) or as a PKCS#12 file with its password in an environment variable');
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw fail(src, `the ${label} block is not a readable private key (${(e as Error).message})`);
  }
}

/** Orders certificates: the one matching the key (else the first that issued no other) first. */
function arrange(src: Source, certs: X509Certificate[], key: KeyObject | undefined): KeyMaterial {
  if (certs.length === 0) throw fail(src, 'holds no certificate (expected a PEM "BEGIN CERTIFICATE" block, a DER certificate or a PKCS#12 file)');
  let leaf = certs[0]!;
  if (key) {
    const match = certs.find((c) => c.checkPrivateKey(key));
    if (!match) throw fail(src, `the private key belongs to none of its ${certs.length} certificate(s)`);
    leaf = match;
  } else if (certs.length > 1) {
    // a chain: the end-entity certificate is the one that issued none of the others (a bundle of unrelated ones keeps its order)
    leaf = certs.find((c) => !certs.some((o) => o !== c && o.checkIssued(c))) ?? leaf;
  }
  return {
    certificatePem: leaf.toString(),
    chainPem: certs.filter((c) => c !== leaf).map((c) => c.toString()),
    ...(key ? { privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string } : {}),
  };
}

function looksLikeText(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

/**
 * Certificates and maybe a key from a PEM text or a DER certificate (no PKCS#12: that needs its
 * password, see readPkcs12).
 */
export function readCertificateFile(src: Source): KeyMaterial {
  const bytes = readBytes(src);
  if (!looksLikeText(bytes)) {
    if (bytes[0] !== 0x30) throw fail(src, 'is neither PEM ("-----BEGIN CERTIFICATE-----") nor a DER certificate');
    return arrange(src, [certificateFrom(src, bytes, 0)], undefined);
  }
  const blocks = pemBlocks(bytes.toString('latin1'));
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE').map((b, i) => certificateFrom(src, b.pem, i));
  const keyBlocks = blocks.filter((b) => b.label.endsWith('PRIVATE KEY'));
  if (keyBlocks.length > 1) throw fail(src, `holds ${keyBlocks.length} private keys, expected at most one`);
  const key = keyBlocks[0] ? privateKeyFrom(src, keyBlocks[0].pem, keyBlocks[0].label) : undefined;
  return arrange(src, certs, key);
}

/** A private key from a PEM file (which may hold the certificate too). */
export function readPrivateKeyFile(src: Source): string {
  const bytes = readBytes(src);
  const blocks = pemBlocks(bytes.toString('latin1')).filter((b) => b.label.endsWith('PRIVATE KEY'));
  if (blocks.length === 0) {
    if (bytes[0] === 0x30) {
      try {
        return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
      } catch {
        // not a DER PKCS#8 key either
      }
    }
    throw fail(src, 'holds no private key (expected a PEM "BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY" block)');
  }
  if (blocks.length > 1) throw fail(src, `holds ${blocks.length} private keys, expected one`);
  return privateKeyFrom(src, blocks[0]!.pem, blocks[0]!.label).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A PKCS#12 (.p12/.pfx) file: the key, its certificate and the chain. `password` from the variable `passwordSetting`. */
export function readPkcs12(src: Source, password: string | undefined, passwordSetting: string): KeyMaterial {
  if (password === undefined) throw fail(src, `is a PKCS#12 file, and its password variable ${passwordSetting} is not set`, { passwordSetting });
  const bytes = readBytes(src);
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), false, password);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const wrong = /mac|password|invalid/i.test(msg);
    throw fail(src, wrong ? `cannot be opened with the password in ${passwordSetting} (${msg})` : `is not a readable PKCS#12 file (${msg})`, { passwordSetting });
  }
  const bagsOf = (type: string) => (p12.getBags({ bagType: type })[type] ?? []) as forge.pkcs12.Bag[];
  const certs = bagsOf(forge.pki.oids.certBag!).map((b, i) => {
    if (!b.asn1 && !b.cert) throw fail(src, `certificate ${i + 1} cannot be read`);
    const der = Buffer.from(forge.asn1.toDer(b.cert ? forge.pki.certificateToAsn1(b.cert) : b.asn1!).getBytes(), 'binary');
    return certificateFrom(src, der, i);
  });
  const keyBags = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(forge.pki.oids.keyBag!)];
  if (keyBags.length > 1) throw fail(src, `holds ${keyBags.length} private keys, expected one`);
  let key: KeyObject | undefined;
  const bag = keyBags[0];
  if (bag) {
    if (!bag.key) throw fail(src, 'its private key is not RSA, which this reader supports in PKCS#12; give key and certificate as PEM files instead');
    key = privateKeyFrom(src, forge.pki.privateKeyToPem(bag.key), 'PRIVATE KEY');
  }
  return arrange(src, certs, key);
}

/** The clean PEMs of a partner's certificate file (one certificate, a bundle of current and next, or DER). */
export function readPartnerCertificates(src: Source): string[] {
  const m = readCertificateFile(src);
  if (m.privateKeyPem) throw fail(src, "holds a private key: a partner's file must hold only its certificate(s); keep the key out of the gateway");
  return [m.certificatePem, ...m.chainPem];
}

/**
 * Our AS2 identity from the environment: EDIGW_AS2_P12_FILE with its password in the variable
 * EDIGW_AS2_P12_PASSWORD_ENV names, or EDIGW_AS2_CERT_FILE (which may hold the key too) and
 * EDIGW_AS2_KEY_FILE; EDIGW_AS2_CHAIN_FILE adds issuer certificates sent with our signatures.
 */
export function readAs2IdentityFromEnv(env: Record<string, string | undefined>): { as2Id: string; privateKeyPem: string; certificatePem: string; chainPem: string[] } {
  const as2Id = env.EDIGW_AS2_ID ?? '';
  let material: KeyMaterial;
  if (env.EDIGW_AS2_P12_FILE) {
    const passwordVar = env.EDIGW_AS2_P12_PASSWORD_ENV;
    if (!passwordVar) throw new GatewayError('as2_key_material_invalid', `EDIGW_AS2_P12_FILE ${env.EDIGW_AS2_P12_FILE}: EDIGW_AS2_P12_PASSWORD_ENV must name the environment variable that holds its password`, { file: env.EDIGW_AS2_P12_FILE, setting: 'EDIGW_AS2_P12_PASSWORD_ENV' });
    material = readPkcs12({ file: env.EDIGW_AS2_P12_FILE, setting: 'EDIGW_AS2_P12_FILE' }, env[passwordVar], passwordVar);
  } else {
    if (!env.EDIGW_AS2_CERT_FILE) throw new GatewayError('as2_key_material_invalid', 'EDIGW_AS2_ID is set, so EDIGW_AS2_CERT_FILE (PEM or DER certificate, may hold the key too) or EDIGW_AS2_P12_FILE must name a file', { setting: 'EDIGW_AS2_CERT_FILE' });
    material = readCertificateFile({ file: env.EDIGW_AS2_CERT_FILE, setting: 'EDIGW_AS2_CERT_FILE' });
    if (env.EDIGW_AS2_KEY_FILE) {
      const keySrc = { file: env.EDIGW_AS2_KEY_FILE, setting: 'EDIGW_AS2_KEY_FILE' };
      const keyPem = readPrivateKeyFile(keySrc);
      if (!new X509Certificate(material.certificatePem).checkPrivateKey(createPrivateKey(keyPem))) {
        throw fail(keySrc, `is not the key of the certificate in EDIGW_AS2_CERT_FILE ${env.EDIGW_AS2_CERT_FILE}`);
      }
      material = { ...material, privateKeyPem: keyPem };
    }
  }
  if (!material.privateKeyPem) throw new GatewayError('as2_key_material_invalid', `EDIGW_AS2_CERT_FILE ${env.EDIGW_AS2_CERT_FILE}: holds no private key, so EDIGW_AS2_KEY_FILE must name our key`, { file: env.EDIGW_AS2_CERT_FILE, setting: 'EDIGW_AS2_KEY_FILE' });
  const chain = env.EDIGW_AS2_CHAIN_FILE ? readPartnerCertificates({ file: env.EDIGW_AS2_CHAIN_FILE, setting: 'EDIGW_AS2_CHAIN_FILE' }) : [];
  return { as2Id, privateKeyPem: material.privateKeyPem, certificatePem: material.certificatePem, chainPem: [...material.chainPem, ...chain] };
}
