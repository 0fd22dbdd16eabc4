import common from './common.schema.json' with { type: 'json' };
import envelope from './envelope.schema.json' with { type: 'json' };
import invoice from './invoice.schema.json' with { type: 'json' };
import purchaseOrderAck from './purchase-order-ack.schema.json' with { type: 'json' };
import purchaseOrder from './purchase-order.schema.json' with { type: 'json' };
import shipNotice from './ship-notice.schema.json' with { type: 'json' };

export const documentTypes = ['purchase_order', 'purchase_order_ack', 'ship_notice', 'invoice'] as const;
export type DocumentType = (typeof documentTypes)[number];

/** The JSON Schema (draft 2020-12) of each canonical document type: the single source of truth. */
export const documentSchemas: Record<DocumentType, Record<string, unknown>> = {
  purchase_order: purchaseOrder,
  purchase_order_ack: purchaseOrderAck,
  ship_notice: shipNotice,
  invoice,
};

export const commonSchema: Record<string, unknown> = common;
export const envelopeSchema: Record<string, unknown> = envelope;

export function isDocumentType(value: string): value is DocumentType {
  return (documentTypes as readonly string[]).includes(value);
}
