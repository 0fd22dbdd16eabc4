/**
 * The contract between transports (sources) and the spine. A transport never imports the
 * pipeline: it is handed an `Ingest` callback. `ingest` resolves only after the raw bytes are
 * durably committed; only then may the transport acknowledge the sender (MDN, 202, delete the
 * remote file).
 */
/** portal: a web EDI form of the supplier portal (src/portal/web-edi.ts), read as canonical JSON */
export type TransportKind = 'as2' | 'sftp' | 'http' | 'upload' | 'portal';

export interface InboundMessage {
  /** the message's bytes; empty when `stored` is set */
  bytes: Uint8Array;
  /**
   * set when the transport streamed a large body into the file store as it arrived
   * (src/storage/spool.ts): its blob key (the SHA-256 of the bytes) and size
   */
  stored?: { key: string; size: number };
  transport: TransportKind;
  /** set when the transport authenticated the sender (API key, AS2 signature, SFTP account) */
  partnerId?: string;
  /** transport facts kept with the message: AS2 Message-ID / AS2-From / AS2-To, remote file name, content type... */
  metadata: Record<string, string>;
  /**
   * set when the transport refused the message (bad signature, undecryptable...): its raw bytes are
   * still stored, with an exception saying why, and it is not processed
   */
  rejected?: { code: string; message: string; detail?: Record<string, unknown> };
}

export interface IngestReceipt {
  messageId: string;
  /** set when the same bytes (or the same AS2 Message-ID) were already stored: nothing new was stored */
  duplicateOf?: string;
}

export type Ingest = (message: InboundMessage) => Promise<IngestReceipt>;
