import type { Hono } from 'hono';
import { isGatewayError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { ackJobId, parseOutcome, sendJobId } from '../pipeline/outbound/jobs.ts';
import { isOutboundType, OUTBOUND_TYPES } from '../pipeline/outbound/render.ts';
import type { OutboundService } from '../pipeline/outbound/service.ts';
import type { createAuthenticator } from './auth.ts';
import { principalName } from './auth.ts';
import { answerError, apiError, bodyInvalid, isApiError, notFoundError } from './errors.ts';

export interface OutboundRouteDeps {
  store: Store;
  outbound: OutboundService;
}

/**
 * The ERP sends a purchase order to a partner: POST /api/v1/erp/outbound (erp role) validates,
 * renders and stores it, answers 202 with the ids, and sends it on the partner's channel.
 * GET /api/v1/erp/outbound/:messageId tells where it stands (send outcome, 997/999).
 */
export function mountOutbound(app: Hono, deps: OutboundRouteDeps, auth: ReturnType<typeof createAuthenticator>): void {
  app.post('/api/v1/erp/outbound', auth.require(['erp']), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return apiError(c, 'json_malformed', 'the body must be JSON: {"partnerId": "...", "type": "purchase_order", "document": {...}}');
    }
    const b = (body ?? {}) as { partnerId?: unknown; type?: unknown; document?: unknown };
    if (typeof b.partnerId !== 'string' || b.partnerId === '') {
      return answerError(c, bodyInvalid('/partnerId', '"partnerId" must name a configured partner', 'a partner id', b.partnerId === undefined ? undefined : JSON.stringify(b.partnerId)));
    }
    if (!isOutboundType(b.type)) {
      return apiError(c, 'outbound_type_unsupported', `"type" must be one of ${OUTBOUND_TYPES.map((t) => `"${t}"`).join(', ')}, got ${JSON.stringify(b.type)}`, { pointer: '/type', expected: OUTBOUND_TYPES.join(' | '), found: String(b.type) });
    }
    if (!b.document || typeof b.document !== 'object') {
      return answerError(c, bodyInvalid('/document', `"document" must be the canonical ${b.type} object`, 'an object'));
    }
    try {
      const r = await deps.outbound.submit(b.partnerId, { type: b.type, document: b.document }, principalName(c.get('principal')));
      return c.json(r, r.duplicate ? 200 : 202);
    } catch (e) {
      // the partner the body names: partner_not_found, as everywhere a request names a partner
      if (isGatewayError(e) && e.code === 'partner_unknown') return answerError(c, notFoundError('partner', b.partnerId, e.message));
      // refused before sending (canonical_invalid, mapping_missing, x12_identifiers_missing…): 422, nothing sent
      if (isApiError(e)) return answerError(c, e);
      throw e;
    }
  });

  app.get('/api/v1/erp/outbound/:messageId', auth.require(['erp', 'operator', 'admin']), async (c) => {
    const msg = await deps.store.getMessage(c.req.param('messageId'));
    if (!msg || msg.direction !== 'outbound' || msg.transport === 'ack') {
      return answerError(c, notFoundError('message', c.req.param('messageId'), `no outbound purchase order message ${c.req.param('messageId')}`));
    }
    const [doc] = await deps.store.documentsForMessage(msg.id);
    const send = doc ? await deps.store.getDeliveryJob(sendJobId(doc.id)) : undefined;
    const fack = doc ? await deps.store.getDeliveryJob(ackJobId(doc.id)) : undefined;
    const sendOutcome = parseOutcome(send?.lastError);
    const ackOutcome = parseOutcome(fack?.lastError);
    return c.json({
      messageId: msg.id, documentId: doc?.id, partnerId: msg.partnerId, metadata: JSON.parse(msg.metadata) as unknown, createdAt: msg.receivedAt,
      send: send ? { state: send.status, ...(sendOutcome ?? {}) } : undefined,
      functionalAck: fack ? { state: fack.status === 'pending' ? 'awaiting' : ackOutcome?.ackStatus ?? fack.status, ...(ackOutcome ?? {}) } : undefined,
    });
  });
}
