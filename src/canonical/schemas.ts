import common from './common.schema.json' with { type: 'json' };
import envelope from './envelope.schema.json' with { type: 'json' };
import invoice from './invoice.schema.json' with { type: 'json' };
import purchaseOrderAck from './purchase-order-ack.schema.json' with { type: 'json' };
import purchaseOrder from './purchase-order.schema.json' with { type: 'json' };
import shipNotice from './ship-notice.schema.json' with { type: 'json' };
import warehouseOrder from './warehouse-order.schema.json' with { type: 'json' };
import warehouseShipment from './warehouse-shipment.schema.json' with { type: 'json' };
import receipt from './receipt.schema.json' with { type: 'json' };
import stockTransfer from './stock-transfer.schema.json' with { type: 'json' };
import inventoryAdvice from './inventory-advice.schema.json' with { type: 'json' };
import shipmentStatus from './shipment-status.schema.json' with { type: 'json' };

export const documentTypes = [
  'purchase_order', 'purchase_order_ack', 'ship_notice', 'invoice',
  'warehouse_order', 'warehouse_shipment', 'receipt', 'stock_transfer', 'inventory_advice', 'shipment_status',
] as const;
export type DocumentType = (typeof documentTypes)[number];

/** The JSON Schema (draft 2020-12) of each canonical document type: the single source of truth. */
export const documentSchemas: Record<DocumentType, Record<string, unknown>> = {
  purchase_order: purchaseOrder,
  purchase_order_ack: purchaseOrderAck,
  ship_notice: shipNotice,
  invoice,
  warehouse_order: warehouseOrder,
  warehouse_shipment: warehouseShipment,
  receipt,
  stock_transfer: stockTransfer,
  inventory_advice: inventoryAdvice,
  shipment_status: shipmentStatus,
};

export const commonSchema: Record<string, unknown> = common;
export const envelopeSchema: Record<string, unknown> = envelope;

export function isDocumentType(value: string): value is DocumentType {
  return (documentTypes as readonly string[]).includes(value);
}
