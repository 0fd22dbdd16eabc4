/**
 * cXML envelope helpers: what the pipeline needs before mapping (request type, payloadID,
 * timestamp, From/To/Sender credentials, deployment mode) and the cXML Response document a
 * cXML POST is answered with (<Response><Status code text/></Response>, cXML 1.2 status codes).
 */
import { GatewayError } from '../../core/errors.ts';
import type { XmlDocument } from './reader.ts';

export interface CxmlCredential { domain: string; identity: string; sharedSecret?: string }
export interface CxmlEnvelope {
  /** 'request' (Header+Request), 'response', 'message' (Header+Message), 'header' (Header only) */
  kind: 'request' | 'response' | 'message' | 'header';
  /** OrderRequest, ConfirmationRequest, ShipNoticeRequest, InvoiceDetailRequest, PunchOutOrderMessage, ... */
  documentType?: string;
  payloadId: string;
  timestamp: string;
  /** cXML@version, else the version in the DOCTYPE system id (.../cXML/1.2.050/cXML.dtd) */
  version?: string;
  lang?: string;
  deploymentMode?: 'production' | 'test';
  from: CxmlCredential[];
  to: CxmlCredential[];
  sender: CxmlCredential[];
  userAgent?: string;
  /** Response/Status for kind 'response' */
  status?: { code: number; text: string; message?: string };
  /** the Request/Message/Response body element (the ObjectTree mappings start from) */
  body?: unknown;
}

/** Elements cXML documents used by these envelopes, ORDER as in the DTD */
export const CXML_REQUEST_TYPES = ['OrderRequest', 'ConfirmationRequest', 'ShipNoticeRequest', 'InvoiceDetailRequest', 'StatusUpdateRequest', 'PunchOutSetupRequest', 'ProfileRequest', 'CatalogUploadRequest'] as const;

/** Attributes the cXML DTD (1.2.0xx) declares on the envelope elements we read. */
const ENVELOPE_ATTRIBUTES: Record<string, string[]> = {
  cXML: ['version', 'payloadID', 'timestamp', 'signatureVersion', 'xml:lang'],
  Request: ['deploymentMode', 'Id'],
  Response: ['Id'],
  Message: ['deploymentMode', 'inReplyTo', 'Id'],
  Status: ['code', 'text', 'xml:lang'],
  Credential: ['domain', 'type'],
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof obj(v)?.['#text'] === 'string' ? (obj(v)?.['#text'] as string) : undefined);
const attr = (o: Obj | undefined, name: string): string | undefined => { const v = o?.[`@${name}`]; return typeof v === 'string' ? v : undefined; };

function checkAttributes(name: string, o: Obj | undefined, path: string): void {
  const allowed = ENVELOPE_ATTRIBUTES[name];
  if (!o || !allowed) return;
  for (const k of Object.keys(o)) {
    if (!k.startsWith('@')) continue;
    const a = k.slice(1);
    if (!allowed.includes(a) && !a.startsWith('xmlns')) {
      throw new GatewayError('cxml_unknown_attribute', `attribute '${a}' is not declared for <${name}> in the cXML DTD (${path}/@${a})`, { path: `${path}/@${a}`, expected: allowed.join(', '), found: a });
    }
  }
}

function credentials(v: unknown, path: string): CxmlCredential[] {
  return list(obj(v)?.Credential).map((c, i) => {
    const o = obj(c);
    checkAttributes('Credential', o, `${path}/Credential[${i + 1}]`);
    const cred: CxmlCredential = { domain: attr(o, 'domain') ?? '', identity: text(o?.Identity)?.trim() ?? '' };
    const secret = text(o?.SharedSecret);
    if (secret !== undefined) cred.sharedSecret = secret;
    return cred;
  });
}

export function readCxml(doc: XmlDocument): CxmlEnvelope {
  const rootName = doc.root;
  if (rootName.toLowerCase() !== 'cxml') throw new GatewayError('cxml_not_cxml', `root element is <${rootName}>, not <cXML>`, { path: `/${rootName}`, expected: 'cXML', found: rootName });
  const root = obj(doc.tree[rootName]) ?? {};
  checkAttributes('cXML', root, `/${rootName}`);
  const payloadId = attr(root, 'payloadID');
  const timestamp = attr(root, 'timestamp');
  if (!payloadId) throw new GatewayError('cxml_missing_payload_id', 'cXML@payloadID is required', { path: `/${rootName}/@payloadID`, expected: 'payloadID' });
  if (!timestamp) throw new GatewayError('cxml_missing_timestamp', 'cXML@timestamp is required', { path: `/${rootName}/@timestamp`, expected: 'timestamp' });
  const header = obj(root.Header);
  const env: CxmlEnvelope = {
    kind: 'header', payloadId, timestamp,
    from: credentials(header?.From, `/${rootName}/Header/From`), to: credentials(header?.To, `/${rootName}/Header/To`), sender: credentials(header?.Sender, `/${rootName}/Header/Sender`),
  };
  const version = attr(root, 'version') ?? /\/cXML\/(\d+\.\d+\.\d+)\//i.exec(doc.doctype?.systemId ?? '')?.[1];
  if (version) env.version = version;
  const lang = attr(root, 'xml:lang'); if (lang) env.lang = lang;
  const ua = text(obj(header?.Sender)?.UserAgent); if (ua) env.userAgent = ua;
  const bodyOf = (name: 'Request' | 'Message' | 'Response'): void => {
    const b = obj(root[name]);
    if (!b && root[name] === undefined) return;
    checkAttributes(name, b, `/${rootName}/${name}`);
    env.kind = name.toLowerCase() as CxmlEnvelope['kind'];
    const mode = attr(b, 'deploymentMode');
    if (mode === 'production' || mode === 'test') env.deploymentMode = mode;
    const type = Object.keys(b ?? {}).find((k) => !k.startsWith('@') && k !== '#text' && k !== 'Status');
    if (type) { env.documentType = type; env.body = b?.[type]; }
    if (name === 'Response') {
      const st = obj(b?.Status);
      checkAttributes('Status', st, `/${rootName}/Response/Status`);
      const code = Number(attr(st, 'code'));
      if (!Number.isInteger(code)) throw new GatewayError('cxml_invalid_status', 'Response/Status@code must be an integer', { path: `/${rootName}/Response/Status/@code`, found: attr(st, 'code') ?? '' });
      env.status = { code, text: attr(st, 'text') ?? '' };
      const msg = text(b?.Status); if (msg) env.status.message = msg;
    }
  };
  bodyOf('Request'); bodyOf('Message'); bodyOf('Response');
  return env;
}

/** cXML status codes a receiving system answers with (cXML User's Guide, Status). */
export const CXML_STATUS = {
  ok: { code: 200, text: 'OK' },
  accepted: { code: 201, text: 'Accepted' },
  badRequest: { code: 400, text: 'Bad Request' },
  unauthorized: { code: 401, text: 'Unauthorized' },
  forbidden: { code: 403, text: 'Forbidden' },
  notAcceptable: { code: 406, text: 'Not Acceptable' },
  conflict: { code: 409, text: 'Conflict' },
  preconditionFailed: { code: 412, text: 'Precondition Failed' },
  internalError: { code: 500, text: 'Internal Server Error' },
  notImplemented: { code: 501, text: 'Not Implemented' },
  temporaryError: { code: 560, text: 'Temporary server error' },
} as const;

/** Status for a failure of ours: bad XML/cXML -> 400, unsupported type -> 406; anything else 500. */
export function cxmlStatusForError(code: string): { code: number; text: string } {
  if (code.startsWith('xml_') || code.startsWith('cxml_')) return CXML_STATUS.badRequest;
  if (code.includes('unsupported')) return CXML_STATUS.notAcceptable;
  if (code.includes('auth') || code.includes('credential')) return CXML_STATUS.unauthorized;
  if (code.includes('duplicate')) return CXML_STATUS.conflict;
  return CXML_STATUS.internalError;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The cXML answer to a cXML POST. payloadId and timestamp come from the caller (ids/clock are
 * injected). `message` becomes the Status element's text (details for the sender's support).
 */
export function buildCxmlResponse(input: { code: number; text: string; message?: string; payloadId: string; timestamp: string; version?: string; lang?: string }): string {
  const version = input.version ?? '1.2.050';
  const status = input.message !== undefined
    ? `<Status code="${input.code}" text="${esc(input.text)}">${esc(input.message)}</Status>`
    : `<Status code="${input.code}" text="${esc(input.text)}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/${version}/cXML.dtd">\n`
    + `<cXML payloadID="${esc(input.payloadId)}" timestamp="${esc(input.timestamp)}" xml:lang="${esc(input.lang ?? 'en-US')}">\n  <Response>\n    ${status}\n  </Response>\n</cXML>\n`;
}
