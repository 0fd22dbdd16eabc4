/**
 * The non-repudiation evidence of one AS2 exchange as files that `openssl cms -verify` checks on
 * its own: the signed message (as received after decryption, or as we signed it), the signed MDN
 * (ours, or the partner's as it came), each split into the exact signed bytes and the DER
 * signature, both certificates (PEM, as configured at the time of the exchange), the MICs and
 * timestamps (evidence.json) and a README.txt naming the command that verifies which file.
 * Used by GET /api/v1/messages/:id/evidence and `edigw evidence`.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../../core/errors.ts';
import { verifyDetached } from './cms-signed.ts';
import { concatBytes, decodeTransferEncoding, headerValue, parseContentType, parseEntity, splitMultipart } from './mime.ts';
import type { EvidenceRow } from './evidence-store.ts';

export interface EvidenceFile { name: string; bytes: Uint8Array }

export interface EvidenceExport {
  messageId: string;
  direction: 'inbound' | 'outbound';
  partnerId: string | null;
  as2MessageId: string;
  files: EvidenceFile[];
}

/** what the receiver and the sender record beside the bytes (evidence_store detail) */
export interface EvidenceDetail {
  as2From?: string;
  as2To?: string;
  /** when the message was received (inbound) or sent (outbound), or the MDN built or received */
  at?: string;
  /** the signer's certificate (PEM) at the time: the partner's for its message and MDN, ours for ours */
  signerCertificatePem?: string;
  /** the MIC as we computed it (`base64, alg`): over what the partner signed (inbound) or what we signed (outbound) */
  mic?: string;
  /** the MIC the MDN returned (Received-Content-MIC) */
  receivedContentMic?: string;
  disposition?: string;
  mdnMessageId?: string;
  signed?: boolean;
  encrypted?: string;
  signatureDigest?: string;
  canonicalized?: string;
  async?: boolean;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

interface SplitSigned { content: Uint8Array; signature: Uint8Array; verifiedAtExport: boolean; canonical: string | false }

/** a multipart/signed entity's first part (in the form the signature verifies over) and DER signature */
function splitSigned(contentType: string, body: Uint8Array, signerPem: string | undefined): SplitSigned | undefined {
  const ct = parseContentType(contentType);
  if (ct.type !== 'multipart/signed' || !ct.params.boundary) return undefined;
  const [first, sigPart] = splitMultipart(body, ct.params.boundary);
  if (!first || !sigPart) return undefined;
  const sig = parseEntity(sigPart);
  const signature = decodeTransferEncoding(sig.body, headerValue(sig.headers, 'Content-Transfer-Encoding'));
  if (!signerPem) return { content: first, signature, verifiedAtExport: false, canonical: false };
  try {
    const r = verifyDetached(signature, [signerPem], first);
    return { content: r.signedBytes, signature, verifiedAtExport: true, canonical: r.canonicalized };
  } catch {
    // exported as stored: openssl will say why it does not verify
    return { content: first, signature, verifiedAtExport: false, canonical: false };
  }
}

const epoch = (iso: string | undefined) => (iso ? Math.floor(new Date(iso).getTime() / 1000) : undefined);

export function buildEvidenceExport(rows: EvidenceRow[]): EvidenceExport {
  // a send retried by its job signs again: the latest of each part belongs together
  const message = [...rows].reverse().find((r) => r.part === 'message');
  const mdn = [...rows].reverse().find((r) => r.part === 'mdn');
  const first = message ?? mdn;
  if (!first) throw new GatewayError('as2_evidence_missing', 'no AS2 evidence is stored for this message', {});
  const inbound = first.direction === 'inbound';
  const mDetail = (message?.detail ?? {}) as EvidenceDetail;
  const nDetail = (mdn?.detail ?? {}) as EvidenceDetail;
  // who signed what: the partner signs its message and its MDN, we sign ours
  const partnerPem = inbound ? mDetail.signerCertificatePem : nDetail.signerCertificatePem;
  const ourPem = inbound ? nDetail.signerCertificatePem : mDetail.signerCertificatePem;
  const messageSigner = inbound ? 'partner-certificate.pem' : 'our-certificate.pem';
  const mdnSigner = inbound ? 'our-certificate.pem' : 'partner-certificate.pem';
  const files: EvidenceFile[] = [];
  const readme: string[] = [
    `AS2 non-repudiation evidence for gateway message ${first.messageId} (${inbound ? 'received from' : 'sent to'} partner ${first.partnerId ?? 'unknown'})`,
    `AS2 Message-ID: ${first.as2MessageId}`,
    `AS2-From: ${mDetail.as2From ?? nDetail.as2From ?? '?'}   AS2-To: ${mDetail.as2To ?? nDetail.as2To ?? '?'}`,
    '',
    'Files:',
  ];
  const commands: string[] = [];
  const attime = (iso: string | undefined) => (epoch(iso) !== undefined ? ` -attime ${epoch(iso)}` : '');
  const verifyCmd = (sig: string, content: string, signer: string, at: string | undefined, out: string) =>
    `openssl cms -verify -binary -inform DER -in ${sig} -content ${content} -CAfile ${signer} -partial_chain -purpose any${attime(at)} -out ${out}`;

  if (message) {
    const opaque = parseContentType(message.contentType).type !== 'multipart/signed';
    if (opaque) {
      files.push({ name: 'message.p7m', bytes: message.body });
      readme.push(`  message.p7m            the ${inbound ? "partner's" : 'our'} message as ${inbound ? 'received (after decryption)' : 'signed'}: CMS SignedData (DER) with the content inside`);
      commands.push(`# the message's signature (${inbound ? 'the partner' : 'us'}):`,
        `openssl cms -verify -binary -inform DER -in message.p7m -CAfile ${messageSigner} -partial_chain -purpose any${attime(mDetail.at)} -out message-content.bin`);
    } else {
      const split = splitSigned(message.contentType, message.body, mDetail.signerCertificatePem);
      files.push({ name: 'message.eml', bytes: concatBytes(`MIME-Version: 1.0\r\nContent-Type: ${message.contentType}\r\n\r\n`, message.body) });
      readme.push(`  message.eml            the ${inbound ? "partner's" : 'our'} signed message (multipart/signed) as ${inbound ? 'received, after decryption' : 'signed, before encryption'}: body byte for byte, with its Content-Type`);
      if (split) {
        files.push({ name: 'message-content.bin', bytes: split.content }, { name: 'message-signature.p7s', bytes: split.signature });
        readme.push(`  message-content.bin    the exact bytes the message's signature covers (its first MIME part${split.canonical ? `, ${split.canonical === 'headers' ? 'header lines' : 'every line'} made CRLF as RFC 5751 canonicalisation says: the sender signed that form` : ''})`,
          '  message-signature.p7s  the message\'s detached signature (CMS SignedData, DER)');
        commands.push(`# the message's signature (${inbound ? 'the partner' : 'us'}):`, verifyCmd('message-signature.p7s', 'message-content.bin', messageSigner, mDetail.at, '/dev/null'));
        if (mDetail.mic) {
          const alg = (mDetail.mic.split(',')[1] ?? 'sha-256').trim().replace(/^sha-?/i, 'sha');
          commands.push(`# the MIC (evidence.json mic${inbound ? ', returned in our MDN' : ', which the MDN must return'}): ${mDetail.mic}`, `openssl dgst -${alg} -binary message-content.bin | openssl base64`);
        }
        if (!split.verifiedAtExport) readme.push('  NOTE: the message signature did not verify with the recorded certificate when this export was made.');
      }
    }
  } else {
    readme.push('  (no signed message: the message was not signed, so there is no signature of it to verify)');
  }
  if (mdn) {
    const split = splitSigned(mdn.contentType, mdn.body, nDetail.signerCertificatePem);
    files.push({ name: 'mdn.eml', bytes: concatBytes(`MIME-Version: 1.0\r\nContent-Type: ${mdn.contentType}\r\n\r\n`, mdn.body) });
    readme.push(`  mdn.eml                ${inbound ? 'our' : "the partner's"} MDN as ${inbound ? 'sent' : 'received'}${nDetail.async ? ' (asynchronous)' : ''}: body byte for byte, with its Content-Type`);
    if (split) {
      files.push({ name: 'mdn-content.bin', bytes: split.content }, { name: 'mdn-signature.p7s', bytes: split.signature });
      readme.push('  mdn-content.bin        the exact bytes the MDN\'s signature covers (the multipart/report: Disposition, Received-Content-MIC)',
        '  mdn-signature.p7s      the MDN\'s detached signature (CMS SignedData, DER)');
      commands.push(`# the MDN's signature (${inbound ? 'us' : 'the partner'}); mdn-report.txt is the signed report, with Disposition and Received-Content-MIC:`,
        verifyCmd('mdn-signature.p7s', 'mdn-content.bin', mdnSigner, nDetail.at, 'mdn-report.txt'));
      if (!split.verifiedAtExport) readme.push('  NOTE: the MDN signature did not verify with the recorded certificate when this export was made.');
    } else {
      readme.push('  (the MDN is not signed)');
    }
  } else {
    readme.push('  (no MDN: none was asked for, or it has not arrived)');
  }
  if (partnerPem) { files.push({ name: 'partner-certificate.pem', bytes: utf8(partnerPem) }); readme.push("  partner-certificate.pem the partner's certificate that verified its signature then"); }
  if (ourPem) { files.push({ name: 'our-certificate.pem', bytes: utf8(ourPem) }); readme.push('  our-certificate.pem    our certificate that signed then'); }
  const facts = {
    messageId: first.messageId, direction: first.direction, partnerId: first.partnerId, as2MessageId: first.as2MessageId,
    as2From: mDetail.as2From ?? nDetail.as2From, as2To: mDetail.as2To ?? nDetail.as2To,
    message: message ? { [inbound ? 'receivedAt' : 'sentAt']: mDetail.at, signatureDigest: mDetail.signatureDigest, encrypted: mDetail.encrypted, canonicalized: mDetail.canonicalized, mic: mDetail.mic, sha256: sha256(message.body) } : null,
    mdn: mdn ? { [inbound ? 'sentAt' : 'receivedAt']: nDetail.at, mdnMessageId: nDetail.mdnMessageId, disposition: nDetail.disposition, receivedContentMic: nDetail.receivedContentMic, signed: nDetail.signed, async: nDetail.async ?? false, sha256: sha256(mdn.body) } : null,
    ourMic: inbound ? (nDetail.receivedContentMic ?? mDetail.mic) : mDetail.mic,
    theirMic: inbound ? undefined : nDetail.receivedContentMic,
  };
  files.push({ name: 'evidence.json', bytes: utf8(`${JSON.stringify(facts, null, 2)}\n`) });
  readme.push('  evidence.json          MICs (ours, and the one the MDN returned), dispositions, timestamps, SHA-256 of each stored entity', '',
    'Verify (in this directory; each prints "Verification successful" or fails; -attime checks the certificates as of the exchange):', ...commands, '');
  files.push({ name: 'README.txt', bytes: utf8(readme.join('\n')) });
  return { messageId: first.messageId, direction: first.direction, partnerId: first.partnerId, as2MessageId: first.as2MessageId, files };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
