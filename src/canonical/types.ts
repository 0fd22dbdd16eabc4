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

export interface Location {
  /** the location's identifier as sent (warehouse or terminal code, GLN, UN/LOCODE) */
  id?: string;
  /** what kind of id, as sent (X12 66, EDIFACT 3055) */
  idQualifier?: string;
  name?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface Carrier {
  /** Standard Carrier Alpha Code */
  scac?: string;
  name?: string;
  trackingNumber?: string;
  /** as sent (X12 91: M motor, A air, U private parcel service; EDIFACT 8067) */
  transportationMethod?: string;
  /** shipment method of payment as sent (X12 146: PP prepaid, CC collect, TP third party) */
  paymentMethod?: string;
  /** routing or service level as sent (X12 387) */
  routing?: string;
}

export interface Measure {
  value: number;
  unit: string;
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

export interface WarehouseOrder {
  /** the depositor's (our) shipping order number; the warehouse echoes it in its shipment (945 W0602) */
  orderNumber: string;
  orderDate?: string;
  purpose?: "original" | "change" | "cancel";
  /** the customer's purchase order number this order ships against */
  poNumber?: string;
  /** the customer's own order reference, when it differs from the PO number */
  customerOrderNumber?: string;
  requestedShipDate?: string;
  requestedDeliveryDate?: string;
  cancelAfterDate?: string;
  /** the owner of the goods (us) */
  depositor?: Party;
  /** the warehouse that ships */
  warehouse?: Party;
  shipTo?: Party;
  billTo?: Party;
  carrier?: Carrier;
  /** free-form shipping instructions for the warehouse */
  instructions?: string;
  lines: WarehouseOrderLine[];
  totals?: {
    lineCount?: number;
    quantity?: number;
    weight?: Measure;
  };
}

export interface WarehouseOrderLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  description?: string;
  quantityOrdered: number;
  unitOfMeasure?: string;
  /** ship from this lot only */
  lotNumber?: string;
}

export interface WarehouseShipment {
  /** the depositor's order number of the warehouse order this fills (940 W0502, echoed in 945 W0602) */
  orderNumber: string;
  /** the warehouse's shipment identification (945 W0604) */
  shipmentId: string;
  shipDate: string;
  /** the customer's purchase order number */
  poNumber?: string;
  /** the order as a whole after this shipment, where the warehouse says so */
  status?: "complete" | "partial" | "cancelled";
  billOfLading?: string;
  /** the carrier's PRO (progressive) number */
  proNumber?: string;
  depositor?: Party;
  warehouse?: Party;
  shipTo?: Party;
  carrier?: Carrier;
  packageCount?: number;
  grossWeight?: Measure;
  lines: WarehouseShipmentLine[];
}

export interface WarehouseShipmentLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  description?: string;
  /** the line's shipment status code as sent (X12 368: CC complete, CP partial, BP backordered...) */
  status?: string;
  quantityOrdered?: number;
  quantityShipped: number;
  /** ordered minus shipped, as the warehouse reported it */
  quantityDifference?: number;
  unitOfMeasure?: string;
  lotNumber?: string;
  expirationDate?: string;
  serialNumbers?: string[];
  /** the carton (serial shipping container code) the line is packed in */
  sscc?: string;
  /** the parcel's tracking number, where each carton has its own */
  trackingNumber?: string;
}

export interface Receipt {
  /** the warehouse's receipt number (944 W1703, 861 BRA01, RECADV BGM 1004) */
  receiptNumber: string;
  receiptDate: string;
  purpose?: "original" | "change" | "cancel";
  /** the purchase order the goods were ordered on */
  poNumber?: string;
  /** the shipment id of the ship notice (856 BSN02) the goods came with */
  asnNumber?: string;
  /** the depositor's order number, for stock transferred to a warehouse (943 W0602 echoed in 944 W1704) */
  orderNumber?: string;
  billOfLading?: string;
  /** where the goods were received */
  warehouse?: Party;
  shipFrom?: Party;
  depositor?: Party;
  carrier?: Carrier;
  lines: ReceiptLine[];
}

export interface ReceiptLine {
  /** the PO (or ASN) line number the warehouse reported */
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  description?: string;
  /** received in good condition (944 W0701, 861 RCD02) */
  quantityReceived: number;
  /** received damaged, as reported (944 W13 with W1303 01, 861 RCD06 with RCD08 01, RECADV QVR 4221 AF) */
  quantityDamaged?: number;
  /** received over what was expected, as reported (944 W13 03, 861 RCD 03, RECADV QVR AC) */
  quantityOver?: number;
  /** expected but not received, as reported (944 W13 02, 861 RCD 02) */
  quantityShort?: number;
  /** what the warehouse expected, where it says so */
  quantityExpected?: number;
  unitOfMeasure?: string;
  /** receiving condition code as sent (X12 412, EDIFACT 4405) */
  condition?: string;
  lotNumber?: string;
  expirationDate?: string;
  serialNumbers?: string[];
}

export interface StockTransfer {
  /** the shipment identification of the stock sent (943 W0604); the warehouse's receipt refers to it */
  transferNumber: string;
  /** the depositor's order number (943 W0602) */
  orderNumber?: string;
  shipDate: string;
  expectedArrivalDate?: string;
  purpose?: "original" | "change" | "cancel";
  /** the purchase order the stock was bought on, where there is one */
  poNumber?: string;
  billOfLading?: string;
  depositor?: Party;
  /** the warehouse receiving the stock */
  warehouse?: Party;
  shipFrom?: Party;
  carrier?: Carrier;
  lines: StockTransferLine[];
  totals?: {
    quantity?: number;
    weight?: Measure;
  };
}

export interface StockTransferLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  description?: string;
  quantityShipped: number;
  unitOfMeasure?: string;
  lotNumber?: string;
  expirationDate?: string;
}

export interface InventoryAdvice {
  adviceNumber: string;
  adviceDate: string;
  /** the moment the quantities hold for, where the sender gives its time */
  asOf?: string;
  /** inventory: a snapshot of levels; adjustment: changes to levels, each with its reason */
  kind: "inventory" | "adjustment";
  purpose?: "original" | "change" | "cancel";
  /** the report type code as sent (X12 755, e.g. DD distributor inventory report, MM manufacturer's) */
  reportType?: string;
  warehouse?: Party;
  /** the owner of the stock */
  depositor?: Party;
  items: InventoryAdviceItem[];
}

export interface InventoryAdviceItem {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
  gtin?: string;
  itemIds?: ItemIds;
  description?: string;
  unitOfMeasure?: string;
  lotNumber?: string;
  expirationDate?: string;
  /** the warehouse or bin holding the stock, where it differs from the advice's warehouse */
  location?: Location;
  /** physically in stock (X12 673 17) */
  quantityOnHand?: number;
  /** on hand and free to promise (X12 673 33) */
  quantityAvailable?: number;
  /** allocated to orders */
  quantityCommitted?: number;
  /** held: damaged, in quality inspection, quarantined */
  quantityOnHold?: number;
  /** ordered, not yet received */
  quantityOnOrder?: number;
  adjustments?: InventoryAdjustment[];
}

export interface InventoryAdjustment {
  /** the adjustment reason code as sent (X12 1935 / W1901: e.g. 01 damaged, 55 physical count) */
  reasonCode?: string;
  /** signed: positive adds to stock, negative takes from it */
  quantity: number;
  unitOfMeasure?: string;
  note?: string;
}

export interface ShipmentStatus {
  /** the shipper's shipment identification the carrier reports against (214 B1002), the ASN's shipment id where the shipper gave that */
  shipmentId: string;
  /** the ship notice's shipment id (856 BSN02), where it differs from shipmentId */
  asnNumber?: string;
  billOfLading?: string;
  /** the carrier's PRO (progressive) number (214 B1001) */
  proNumber?: string;
  trackingNumbers?: string[];
  poNumbers?: string[];
  carrier?: Carrier;
  shipper?: Party;
  consignee?: Party;
  milestones: ShipmentMilestone[];
  packageCount?: number;
  weight?: Measure;
}

export interface ShipmentMilestone {
  /** what happened, in the ERP's words (the mapping's reading of statusCode) */
  event?: "pickup" | "departed" | "arrived" | "in_transit" | "out_for_delivery" | "delivered" | "appointment" | "delayed" | "damaged" | "refused" | "exception" | "other";
  /** the status code as sent (X12 1650 AT701: AF picked up, X1 arrived at delivery location, D1 delivered, SD delayed...; EDIFACT 4405) */
  statusCode: string;
  /** the status reason code as sent (X12 1651 AT702: NS normal, A1 missed delivery, AH weather...) */
  reasonCode?: string;
  occurredAt: string;
  location?: Location;
  /** the carrier's estimated time of arrival at the consignee, as of this milestone */
  estimatedDeliveryAt?: string;
  proofOfDelivery?: {
    /** the name of the person who signed for the goods */
    signedBy?: string;
    signedAt?: string;
  };
  stopSequence?: number;
  note?: string;
}

export interface DocumentByType {
  purchase_order: PurchaseOrder;
  purchase_order_ack: PurchaseOrderAck;
  ship_notice: ShipNotice;
  invoice: Invoice;
  warehouse_order: WarehouseOrder;
  warehouse_shipment: WarehouseShipment;
  receipt: Receipt;
  stock_transfer: StockTransfer;
  inventory_advice: InventoryAdvice;
  shipment_status: ShipmentStatus;
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
