/**
 * Beginning segments and set-specific segments of 850, 855, 856 and 810 (X12 004010 directory).
 */
import type { SegmentDef } from '../../grammar.ts';
import { dict, pairs, seg } from './dsl.ts';

export const SET_SEGMENTS_4010: Record<string, SegmentDef> = dict(
  seg('BEG', 'Beginning Segment for Purchase Order', ['353/ID/2/2/M/Transaction Set Purpose Code', '92/ID/2/2/M/Purchase Order Type Code',
    '324/AN/1/22/M/Purchase Order Number', '328/AN/1/30/Release Number', '373/DT/8/8/M/Date', '367/AN/1/30/Contract Number',
    '587/ID/2/2/Acknowledgment Type', '1019/ID/3/3/Invoice Type Code', '1166/ID/2/2/Contract Type Code', '1232/ID/2/2/Purchase Category',
    '786/ID/2/2/Security Level Code', '640/ID/2/2/Transaction Type Code']),
  seg('BAK', 'Beginning Segment for Purchase Order Acknowledgment', ['353/ID/2/2/M/Transaction Set Purpose Code', '587/ID/2/2/M/Acknowledgment Type',
    '324/AN/1/22/M/Purchase Order Number', '373/DT/8/8/M/Date', '328/AN/1/30/Release Number', '326/AN/1/45/Request Reference Number',
    '367/AN/1/30/Contract Number', '127/AN/1/30/Reference Identification', '373/DT/8/8/Date', '640/ID/2/2/Transaction Type Code']),
  seg('ACK', 'Line Item Acknowledgment', ['668/ID/2/2/M/Line Item Status Code', '380/R/1/15/Quantity', '355/ID/2/2/Unit or Basis for Measurement Code',
    '374/ID/3/3/Date/Time Qualifier', '373/DT/8/8/Date', '326/AN/1/45/Request Reference Number',
    ...pairs('235/ID/2/2/Product/Service ID Qualifier', '234/AN/1/48/Product/Service ID', 10),
    '559/ID/2/2/Agency Qualifier Code', '822/AN/1/15/Source Subqualifier', '1271/AN/1/30/Industry Code']),
  seg('BSN', 'Beginning Segment for Ship Notice', ['353/ID/2/2/M/Transaction Set Purpose Code', '396/AN/2/30/M/Shipment Identification', '373/DT/8/8/M/Date',
    '337/TM/4/8/M/Time', '1005/ID/4/4/Hierarchical Structure Code', '640/ID/2/2/Transaction Type Code', '641/ID/3/3/Status Reason Code']),
  seg('HL', 'Hierarchical Level', ['628/AN/1/12/M/Hierarchical ID Number', '734/AN/1/12/Hierarchical Parent ID Number', '735/ID/1/2/M/Hierarchical Level Code',
    '736/ID/1/1/Hierarchical Child Code']),
  seg('SN1', 'Item Detail (Shipment)', ['350/AN/1/20/Assigned Identification', '382/R/1/10/M/Number of Units Shipped', '355/ID/2/2/M/Unit or Basis for Measurement Code',
    '646/R/1/15/Quantity Shipped to Date', '330/R/1/15/Quantity Ordered', '355/ID/2/2/Unit or Basis for Measurement Code', '728/R/1/15/Returnable Container Load Make-Up Code',
    '668/ID/2/2/Line Item Status Code']),
  seg('PRF', 'Purchase Order Reference', ['324/AN/1/22/M/Purchase Order Number', '328/AN/1/30/Release Number', '327/AN/1/8/Change Order Sequence Number',
    '373/DT/8/8/Date', '350/AN/1/20/Assigned Identification', '367/AN/1/30/Contract Number', '92/ID/2/2/Purchase Order Type Code']),
  seg('BIG', 'Beginning Segment for Invoice', ['373/DT/8/8/M/Date', '76/AN/1/22/M/Invoice Number', '373/DT/8/8/Date', '324/AN/1/22/Purchase Order Number',
    '328/AN/1/30/Release Number', '327/AN/1/8/Change Order Sequence Number', '640/ID/2/2/Transaction Type Code', '353/ID/2/2/Transaction Set Purpose Code',
    '306/ID/1/2/Action Code', '76/AN/1/22/Invoice Number']),
  seg('IT1', 'Baseline Item Data (Invoice)', ['350/AN/1/20/Assigned Identification', '358/R/1/10/Quantity Invoiced', '355/ID/2/2/Unit or Basis for Measurement Code',
    '212/R/1/17/Unit Price', '639/ID/2/2/Basis of Unit Price Code', ...pairs('235/ID/2/2/Product/Service ID Qualifier', '234/AN/1/48/Product/Service ID', 10)]),
  seg('TDS', 'Total Monetary Value Summary', ['610/N2/1/15/M/Amount', '610/N2/1/15/Amount', '610/N2/1/15/Amount', '610/N2/1/15/Amount']),
  seg('CAD', 'Carrier Detail', ['91/ID/1/2/Transportation Method/Type Code', '206/AN/1/4/Equipment Initial', '207/AN/1/10/Equipment Number',
    '140/ID/2/4/Standard Carrier Alpha Code', '387/AN/1/35/Routing', '368/ID/2/2/Shipment/Order Status Code', '128/ID/2/3/Reference Identification Qualifier',
    '127/AN/1/30/Reference Identification', '284/ID/1/2/Service Level Code']),
  seg('ISS', 'Invoice Shipment Summary', ['382/R/1/10/Number of Units Shipped', '355/ID/2/2/Unit or Basis for Measurement Code', '81/R/1/10/Weight',
    '355/ID/2/2/Unit or Basis for Measurement Code', '183/R/1/8/Volume', '355/ID/2/2/Unit or Basis for Measurement Code', '380/R/1/15/Quantity', '81/R/1/10/Weight']),
);
