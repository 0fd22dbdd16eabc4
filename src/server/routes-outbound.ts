import type { Hono } from 'hono';
import { isGatewayError, toGatewayError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { ackJobId, parseOutcome, sendJobId } from '../pipeline/outbound/jobs.ts';
import type { OutboundService } from '../pipeline/outbound/service.ts';
import type { createAuthenticator } from './auth.ts';
import { principalName } from './auth.ts';

export interface OutboundRouteDeps {
  store: Store;
  outbound: OutboundService;
}

const refusedBeforeSending = new Set(['canonical_invalid', 'outbound_type_unsupported', 'mapping_missing', 'mapping_failed', 'partner_unknown',
  'outbound_format_unsupported', 'outbound_exchange_unknown', 'x12_identifiers_missing', 'x12_delimiters_invalid', 'x12_functional_id_unknown',
  'cxml_identities_missing', 'xml_invalid_character']);

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
      return c.json({ error: { code: 'json_malformed', message: 'the body must be JSON: {"partnerId": "...", "type": "purchase_order", "document": {...}}' } }, 400);
    }
    const b = (body ?? {}) as { partnerId?: unknown; type?: unknown; document?: unknown };
    if (typeof b.partnerId !== 'string' || b.partnerId === '') {
      return c.json({ error: { code: 'partner_missing', message: '"partnerId" must name a configured partner' } }, 422);
    }
    if (b.type !== 'purchase_order') {
      return c.json({ error: { code: 'outbound_type_unsupported', message: `"type" must be "purchase_order", got ${JSON.stringify(b.type)}`, detail: { expected: 'purchase_order', found: String(b.type) } } }, 422);
    }
    if (!b.document || typeof b.document !== 'object') {
      return c.json({ error: { code: 'document_missing', message: '"document" must be the canonical purchase_order object' } }, 422);
    }
    try {
      const r = await deps.outbound.submit(b.partnerId, { type: b.type, document: b.document }, principalName(c.get('principal')));
      return c.json(r, r.duplicate ? 200 : 202);
    } catch (e) {
      const ge = toGatewayError(e);
      if (!isGatewayError(e) || !refusedBeforeSending.has(ge.code)) throw e;
      const status = ge.code === 'partner_unknown' ? 404 : 422;
      return c.json({ error: ge.toJSON() }, status);
    }
  });

  app.get('/api/v1/erp/outbound/:messageId', auth.require(['erp', 'operator', 'admin']), async (c) => {
    const msg = await deps.store.getMessage(c.req.param('messageId'));
    if (!msg || msg.direction !== 'outbound' || msg.transport === 'ack') {
      return c.json({ error: { code: 'not_found', message: `no outbound purchase order message ${c.req.param('messageId')}` } }, 404);
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
