/** AS2 transport (RFC 4130): receiver for POST /as2, sender, MDNs, certificates. */
export { createAs2Receiver, type As2ReceiverDeps, type As2Identity, type As2PartnerPolicy, type As2Handler } from './receiver.ts';
export { sendAs2, verifyMdn, checkMdn, type SendAs2Options, type SendAs2Deps, type SendAs2Result, type As2SendStatus, type VerifyMdnExpectation } from './sender.ts';
export { createMemoryMdnStore, type MdnStore, type StoredMdn } from './mdn-store.ts';
export { createAsyncMdnSender, type AsyncMdnSender, type FetchLike } from './async-mdn.ts';
export { certificateExpiry, splitPemCertificates, type CertificateExpiry } from './certificates.ts';
export { parseMdn, type ParsedMdn } from './mdn-parse.ts';
export { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
export type { ContentCipher, MicAlgorithm } from './oids.ts';
export type { KeyTransport } from './rsa-key-transport.ts';
