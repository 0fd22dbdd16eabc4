// Generated from the *.schema.json files by gen-types.ts. Do not edit by hand.

export interface ItemIds {
  /** buyer's item number (IN) */
  buyerItemNumber?: string;
  /** buyer's catalog number (CB) */
  buyerCatalogNumber?: string;
  /** purchaser's item code (PI) */
  purchaserItemCode?: string;
  /** vendor's (seller's) catalog number (VC) */
  vendorCatalogNumber?: string;
  /** manufacturer's part number (MG) */
  manufacturerPartNumber?: string;
  /** stock keeping unit (SK) */
  sku?: string;
  /** EAN (EN), as sent */
  ean?: string;
  /** U.P.C./EAN case code, 2-5-5 (UA), as sent */
  upcCaseCode?: string;
}

export interface Address {
  lines?: string[];
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
}

export interface Party {
  id?: string;
  idQualifier?: string;
  name?: string;
  address?: Address;
  contact?: Contact;
}

export interface PurchaseOrder {
  poNumber: string;
  poDate: string;
  purpose?: "original" | "change" | "cancel";
  currency?: string;
  buyer?: Party;
  seller?: Party;
  shipTo?: Party;
  billTo?: Party;
  requestedDeliveryDate?: string;
  paymentTerms?: string;
  lines: PurchaseOrderLine[];
  totals?: {
    lineCount?: number;
    amount?: number;
  };
}

export interface PurchaseOrderLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  /** ISBN (EDIFACT 7143 IB), as sent: ISBN-10 or ISBN-13 */
  isbn?: string;
  description?: string;
  quantity: number;
  unitOfMeasure?: string;
  unitPrice?: number;
}

export interface PurchaseOrderAck {
  poNumber: string;
  ackDate?: string;
  status: "accepted" | "accepted_with_changes" | "rejected";
  lines?: PurchaseOrderAckLine[];
}

export interface PurchaseOrderAckLine {
  lineNumber?: string;
  status?: "accepted" | "changed" | "rejected" | "backordered";
  quantity?: number;
  unitOfMeasure?: string;
  unitPrice?: number;
  scheduledDeliveryDate?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  /** ISBN (EDIFACT 7143 IB), as sent: ISBN-10 or ISBN-13 */
  isbn?: string;
}

export interface ShipNotice {
  shipmentId: string;
  shipDate: string;
  estimatedDeliveryDate?: string;
  carrier?: {
    scac?: string;
    name?: string;
    trackingNumber?: string;
  };
  billOfLading?: string;
  shipFrom?: Party;
  shipTo?: Party;
  packageCount?: number;
  grossWeight?: {
    value: number;
    unit: string;
  };
  orders: ShipNoticeOrder[];
}

export interface ShipNoticeOrder {
  poNumber: string;
  lines: ShipNoticeLine[];
}

export interface ShipNoticeLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  /** ISBN (EDIFACT 7143 IB), as sent: ISBN-10 or ISBN-13 */
  isbn?: string;
  quantityShipped: number;
  unitOfMeasure?: string;
  sscc?: string;
  lotNumber?: string;
}

export interface Invoice {
  invoiceNumber: string;
  invoiceDate: string;
  poNumber?: string;
  currency?: string;
  seller?: Party;
  buyer?: Party;
  remitTo?: Party;
  billTo?: Party;
  shipTo?: Party;
  paymentTerms?: string;
  lines: InvoiceLine[];
  allowancesCharges?: AllowanceCharge[];
  taxes?: Tax[];
  totalAmount: number;
  dueDate?: string;
}

export interface InvoiceLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  /** ISBN (EDIFACT 7143 IB), as sent: ISBN-10 or ISBN-13 */
  isbn?: string;
  description?: string;
  quantityInvoiced: number;
  unitOfMeasure?: string;
  unitPrice?: number;
  amount?: number;
}

export interface AllowanceCharge {
  indicator: "allowance" | "charge";
  code?: string;
  description?: string;
  amount: number;
  percent?: number;
}

export interface Tax {
  type?: string;
  amount: number;
  percent?: number;
}

export interface DocumentByType {
  purchase_order: PurchaseOrder;
  purchase_order_ack: PurchaseOrderAck;
  ship_notice: ShipNotice;
  invoice: Invoice;
}

export interface CanonicalEnvelope<T extends keyof DocumentByType = keyof DocumentByType, D = DocumentByType[T]> {
  id: string;
  type: T;
  version: 1;
  partnerId: string;
  direction: "inbound" | "outbound";
  receivedAt: string;
  correlationId: string;
  /** true for documents from a test partner or flagged test (ISA15=T, UNB 0035=1); kept out of the production feed */
  test?: boolean;
  warnings?: Array<{
    code: string;
    message: string;
  }>;
  source: {
    format: "x12" | "edifact" | "csv" | "xml" | "json";
    version?: string;
    message?: string;
    interchangeControlNumber?: string;
    groupControlNumber?: string;
    transactionControlNumber?: string;
    messageId?: string;
  };
  document: D;
}
