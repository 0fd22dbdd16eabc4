import type { Hono } from 'hono';
import { isGatewayError, type ErrorDetail } from '../core/errors.ts';
import { principalName, type createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { answerError, apiError, errorBody, notFoundError, queryInvalid } from './errors.ts';
import { readBodySpooled } from './read-body.ts';
import type { Spooled } from '../storage/spool.ts';
import { outcomeView } from './views.ts';
import { signatureConfigOf, verifyWebhookSignature } from './webhook-signature.ts';
import { buildCxmlResponse, CXML_STATUS, cxmlStatusForError } from '../formats/xml/index.ts';

const acceptedTypes = [
  'application/json', 'application/edi-x12', 'application/edifact', 'application/edi-edifact', 'application/xml',
  'text/xml', 'text/csv', 'text/plain', 'application/octet-stream', 'application/x12',
];

/** POST /api/v1/inbound: a partner posts a document (or staff upload one on a partner's behalf). */
export function mountInbound(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  app.post('/api/v1/inbound', auth.require(['operator'], true), async (c) => {
    if (deps.draining?.()) return apiError(c, 'shutting_down', 'the gateway is shutting down; retry shortly');
    const p = c.get('principal');
    const asked = c.req.query('partner');
    let partnerId: string;
    if (p.kind === 'partner') {
      if (asked && asked !== p.partnerId) {
        return apiError(c, 'forbidden', `partner ${p.partnerId} may not submit for partner ${asked}`, { partnerId: asked });
      }
      partnerId = p.partnerId;
    } else {
      if (!asked) return answerError(c, queryInvalid('partner', 'the partner a staff upload is for: POST /api/v1/inbound?partner=<id>', undefined));
      // a disabled partner's upload is stored and refused by the pipeline as partner_disabled (replayable once fixed)
      if (!deps.config().partner(asked) && !deps.config().disabled?.partner(asked)) return answerError(c, notFoundError('partner', asked, `partner "${asked}" is not configured`));
      partnerId = asked;
    }
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!acceptedTypes.includes(contentType)) {
      return apiError(c, 'unsupported_media_type', `Content-Type "${contentType || '(none)'}" is not accepted; use one of ${acceptedTypes.join(', ')}`, { expected: acceptedTypes.join(' | '), found: contentType });
    }
    let body: Spooled;
    try {
      // a body over the stream threshold goes to the file store as it arrives (fsynced before the 202)
      body = await readBodySpooled(c.req.raw, { maxBytes: deps.limits.maxBodyBytes, thresholdBytes: deps.limits.streamThresholdBytes, blobs: deps.store.retention.blobs });
    } catch (e) {
      if (isGatewayError(e) && e.code === 'message_too_large') return answerError(c, e);
      throw e;
    }
    const bytes = body.bytes ?? new Uint8Array(0);
    if (!body.stored && bytes.byteLength === 0) return apiError(c, 'body_empty', 'the body is empty');
    const message = c.req.query('message') ?? c.req.header('x-edi-message');
    // a partner that signs its posts (http.signature): a missing or bad signature is refused, its body kept as a rejected message
    const signed = p.kind === 'partner' ? deps.config().partner(partnerId) : undefined;
    const signature = signed && signatureConfigOf(signed);
    if (signed && signature) {
      const verdict = await verifyWebhookSignature(signed, signature, c.req.header(signature.header),
        body.stored ? deps.store.retention.blobs!.createReadStream(body.stored.key) : bytes);
      if (!verdict.ok) {
        const refused = await deps.ingest({
          bytes, ...(body.stored ? { stored: body.stored } : {}), partnerId, transport: 'http',
          metadata: { contentType, ...(message ? { message } : {}) },
          rejected: { code: verdict.code, message: verdict.message, detail: { header: verdict.header } },
        });
        return apiError(c, verdict.code, verdict.message, { partnerId, header: verdict.header, messageId: refused.messageId });
      }
    }
    const receipt = await deps.ingest({
      bytes, ...(body.stored ? { stored: body.stored } : {}), partnerId, transport: p.kind === 'partner' ? 'http' : 'upload',
      metadata: { contentType, ...(message ? { message } : {}), ...(p.kind === 'staff' ? { uploadedBy: principalName(p) } : {}) },
    });
    const self = `/api/v1/messages/${receipt.messageId}`;
    if (!body.stored && isCxml(contentType, bytes)) return cxmlAnswer(deps, receipt);
    if (receipt.duplicateOf) {
      return c.json({ messageId: receipt.messageId, status: 'duplicate', duplicateOf: receipt.duplicateOf, message: `the same content was already received as ${receipt.duplicateOf}; stored, not processed again`, links: { self } }, 200);
    }
    const wait = c.req.query('wait') === 'true';
    if (wait || (contentType === 'application/json' && !body.stored && !parses(bytes))) {
      const outcome = await deps.runNow(receipt.messageId);
      const view = outcomeView(outcome);
      if (outcome.status === 'processed') return c.json({ ...view, links: { self } }, 200);
      // stored, and refused: every error in `errors`, the first as `error` (the shape of every API error);
      // malformed JSON is 400 with or without ?wait=true, any other refusal 422
      const first = view.errors[0];
      const status = first?.code === 'json_malformed' || !wait ? 400 : 422;
      return c.json({ ...view, ...(first ? errorBody(first.code, first.message, first.detail as ErrorDetail | undefined) : {}), links: { self } }, status);
    }
    return c.json({ messageId: receipt.messageId, status: 'received', links: { self } }, 202);
  });
}

/** A cXML request is answered synchronously with a cXML Response (cXML 1.2 status codes). */
async function cxmlAnswer(deps: AppDeps, r: { messageId: string; duplicateOf?: string }): Promise<Response> {
  let status: { code: number; text: string } = CXML_STATUS.ok;
  let message: string | undefined;
  if (r.duplicateOf) {
    message = `already received as ${r.duplicateOf}`;
  } else {
    const first = outcomeView(await deps.runNow(r.messageId)).errors[0];
    if (first) { status = cxmlStatusFor(first.code); message = `${first.code}: ${first.message}`; }
  }
  const body = buildCxmlResponse({ code: status.code, text: status.text, message, payloadId: `${r.messageId}@edi-gateway`, timestamp: deps.clock.now().toISOString() });
  return new Response(body, {
    status: status.code >= 500 ? 500 : status.code >= 400 ? 400 : 200,
    headers: { 'content-type': 'text/xml; charset=utf-8', 'x-edigw-message-id': r.messageId },
  });
}

/** the cXML status for a pipeline error: the sender's document at fault is 400, a document we do not take 406 */
function cxmlStatusFor(code: string): { code: number; text: string } {
  if (['mapping_failed', 'canonical_invalid', 'message_empty'].includes(code)) return CXML_STATUS.badRequest;
  if (code === 'mapping_missing' || code === 'canonical_type_unknown') return CXML_STATUS.notAcceptable;
  if (code === 'sender_mismatch' || code === 'partner_unknown' || code === 'partner_disabled') return CXML_STATUS.forbidden;
  return cxmlStatusForError(code);
}

function isCxml(contentType: string, bytes: Uint8Array): boolean {
  return contentType.includes('xml') && /<cXML[\s>]/.test(Buffer.from(bytes.subarray(0, 2048)).toString('latin1'));
}

function parses(bytes: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}
