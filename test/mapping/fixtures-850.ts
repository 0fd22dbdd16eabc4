/** A real-looking 850 (retailer to supplier), hand-built as the X12 reader would, and its canonical PO checked by hand. */
import type { WireTree } from '../../src/formats/wire.ts';
import { loop, tree } from './helpers.ts';

export function sample850(): WireTree {
  return tree('x12', '850', '004010',
    'ST*850*0001',
    'BEG*00*SA*PO-4500012345**20261120',
    'CUR*BY*USD',
    'REF*DP*038',
    'ITD*01*3*1**30**45*****NET 30',
    'DTM*002*20261205',
    loop('N1', 'N1*BY*ACME RETAIL DC 12*92*0012', 'N3*1200 INDUSTRIAL PKWY*DOCK 4', 'N4*COLUMBUS*OH*43215*US',
      'PER*IC*JANE BUYER*TE*6145550100*EM*jane@acme.example'),
    loop('N1', 'N1*ST*ACME STORE 0457*92*0457', 'N3*88 MAIN ST', 'N4*DAYTON*OH*45402*US'),
    loop('N1', 'N1*SE*WIDGET SUPPLY CO*92*VEND77'),
    loop('PO1', 'PO1*1*24*CA*12.5**BP*ACM-100*VP*WS-9001*UP*012345678905', loop('PID', 'PID*F****BLUE WIDGET 12PK')),
    loop('PO1', 'PO1*2*10*EA*3.75**VP*WS-9002*BP*ACM-200', loop('PID', 'PID*F****RED GADGET')),
    loop('PO1', 'PO1*3*2.5*LB*8**EN*4006381333931'),
    loop('CTT', 'CTT*3', 'AMT*TT*357.5'),
    'SE*20*0001',
  );
}

/** What the base inbound mapping must produce from sample850(), worked out from the segments above. */
export const expectedPO = {
  poNumber: 'PO-4500012345',
  poDate: '2026-11-20',
  purpose: 'original',
  currency: 'USD',
  paymentTerms: 'NET 30',
  requestedDeliveryDate: '2026-12-05',
  buyer: {
    id: '0012',
    idQualifier: '92',
    name: 'ACME RETAIL DC 12',
    address: { lines: ['1200 INDUSTRIAL PKWY', 'DOCK 4'], city: 'COLUMBUS', region: 'OH', postalCode: '43215', country: 'US' },
    contact: { name: 'JANE BUYER', phone: '6145550100', email: 'jane@acme.example' },
  },
  seller: { id: 'VEND77', idQualifier: '92', name: 'WIDGET SUPPLY CO' },
  shipTo: {
    id: '0457',
    idQualifier: '92',
    name: 'ACME STORE 0457',
    address: { lines: ['88 MAIN ST'], city: 'DAYTON', region: 'OH', postalCode: '45402', country: 'US' },
  },
  lines: [
    { lineNumber: '1', quantity: 24, unitOfMeasure: 'CS', unitPrice: 12.5, buyerPartNumber: 'ACM-100', vendorPartNumber: 'WS-9001', gtin: '012345678905', description: 'BLUE WIDGET 12PK' },
    { lineNumber: '2', quantity: 10, unitOfMeasure: 'EA', unitPrice: 3.75, buyerPartNumber: 'ACM-200', vendorPartNumber: 'WS-9002', description: 'RED GADGET' },
    { lineNumber: '3', quantity: 2.5, unitOfMeasure: 'LBR', unitPrice: 8, gtin: '4006381333931', itemIds: { ean: '4006381333931' } },
  ],
  totals: { lineCount: 3, amount: 357.5 },
};
