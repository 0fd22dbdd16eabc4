/**
 * Canonical documents for the outbound -> wire -> inbound round trips, written by hand so that
 * every field the X12 base mappings carry both ways is set (units in UN/ECE Rec 20: CS, KGM, LBR).
 */
export const purchaseOrder = {
  poNumber: 'PO-RT-850',
  poDate: '2024-05-02',
  purpose: 'change',
  currency: 'USD',
  paymentTerms: 'NET 45',
  requestedDeliveryDate: '2024-05-20',
  buyer: { id: '0001', idQualifier: '92', name: 'BUYERCO INC', contact: { name: 'JANE BUYER', phone: '3125550100', email: 'jane.buyer@buyerco.example' } },
  seller: { id: 'NW01', idQualifier: '92', name: 'NORTHWIND TRADING CO' },
  shipTo: {
    id: '0042', idQualifier: '92', name: 'BUYERCO DC EAST',
    address: { lines: ['100 WAREHOUSE WAY', 'DOCK 4'], city: 'COLUMBUS', region: 'OH', postalCode: '43215', country: 'US' },
  },
  billTo: { name: 'BUYERCO ACCOUNTS PAYABLE', address: { lines: ['PO BOX 9000'], city: 'CHICAGO', region: 'IL', postalCode: '60601', country: 'US' } },
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', gtin: '012345678905', description: 'BLUE WIDGET 10CM', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 6, unitOfMeasure: 'CS', unitPrice: 48.25 },
    { lineNumber: '3', vendorPartNumber: 'RES-5KG', description: 'EPOXY RESIN', quantity: 2.5, unitOfMeasure: 'KGM', unitPrice: 0.125 },
  ],
  totals: { lineCount: 3, amount: 589.8125 },
};

export const purchaseOrderAck = {
  poNumber: 'PO-RT-850',
  ackDate: '2024-05-03',
  status: 'accepted_with_changes',
  lines: [
    { lineNumber: '1', status: 'accepted', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5, scheduledDeliveryDate: '2024-05-20', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100' },
    { lineNumber: '2', status: 'changed', quantity: 4, unitOfMeasure: 'CS', unitPrice: 48.25, scheduledDeliveryDate: '2024-05-24', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200' },
    { lineNumber: '3', status: 'backordered', quantity: 2.5, unitOfMeasure: 'KGM', scheduledDeliveryDate: '2024-06-10', vendorPartNumber: 'RES-5KG' },
    { lineNumber: '4', status: 'rejected', buyerPartNumber: 'SCAN-9' },
  ],
};

export const shipNotice = {
  shipmentId: 'SHP-RT-856',
  shipDate: '2024-05-21',
  estimatedDeliveryDate: '2024-05-23',
  carrier: { scac: 'UPSN', name: 'UPS GROUND', trackingNumber: '1Z999AA10123456784' },
  billOfLading: 'BOL-RT-1',
  shipFrom: { id: 'W01', idQualifier: '92', name: 'NORTHWIND DC', address: { lines: ['9 INDUSTRY RD'], city: 'RENO', region: 'NV', postalCode: '89501', country: 'US' } },
  shipTo: { id: '0042', idQualifier: '92', name: 'BUYERCO DC EAST' },
  packageCount: 3,
  grossWeight: { value: 41.5, unit: 'LBR' },
  orders: [
    {
      poNumber: 'PO-RT-850',
      lines: [
        { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', gtin: '012345678905', quantityShipped: 24, unitOfMeasure: 'EA', sscc: '106141411234567897' },
        { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantityShipped: 4, unitOfMeasure: 'CS', sscc: '006141410000000128', lotNumber: 'LOT-2024-05' },
      ],
    },
    {
      poNumber: 'PO-RT-851',
      lines: [{ lineNumber: '1', vendorPartNumber: 'RES-5KG', quantityShipped: 2.5, unitOfMeasure: 'KGM', sscc: '006141410000000135' }],
    },
  ],
};

export const invoice = {
  invoiceNumber: 'INV-RT-810',
  invoiceDate: '2024-05-22',
  poNumber: 'PO-RT-850',
  currency: 'USD',
  seller: { id: 'NW01', idQualifier: '92', name: 'NORTHWIND TRADING CO' },
  remitTo: { id: 'NW-REMIT', idQualifier: '92', name: 'NORTHWIND TRADING CO', address: { lines: ['PO BOX 7781'], city: 'PORTLAND', region: 'OR', postalCode: '97208', country: 'US' } },
  billTo: { id: '0001', idQualifier: '92', name: 'BUYERCO ACCOUNTS PAYABLE' },
  shipTo: { id: '0042', idQualifier: '92', name: 'BUYERCO DC EAST' },
  paymentTerms: '2 PCT 10 NET 30',
  dueDate: '2024-06-21',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', gtin: '012345678905', description: 'BLUE WIDGET 10CM', quantityInvoiced: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantityInvoiced: 4, unitOfMeasure: 'CS', unitPrice: 48.25 },
  ],
  allowancesCharges: [
    { indicator: 'allowance', code: 'C310', amount: 9.86, description: 'PROMPT PAY DISCOUNT' },
    { indicator: 'charge', code: 'D240', amount: 18.5 },
  ],
  taxes: [{ type: 'ST', amount: 35.03, percent: 7.25 }],
  totalAmount: 536.67,
};
