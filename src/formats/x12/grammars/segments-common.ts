/**
 * Segment dictionary shared by the 850/855/856/810 grammars, written from the X12 004010
 * segment directory (element reference numbers, types and min/max lengths). 005010 differences
 * are applied by `segments5010()` below. Segments the gateway does not map are "open"
 * (no element list): they are placed in loops but their elements are not checked.
 */
import type { SegmentDef } from '../../grammar.ts';
import { comp, dict, pairs, seg } from './dsl.ts';

const C040 = comp('C040/Reference Identifier', ['128/ID/2/3/M/Reference Identification Qualifier', '127/AN/1/30/M/Reference Identification',
  '128/ID/2/3/Reference Identification Qualifier', '127/AN/1/30/Reference Identification', '128/ID/2/3/Reference Identification Qualifier', '127/AN/1/30/Reference Identification']);

const dtmTriple = ['374/ID/3/3/Date/Time Qualifier', '373/DT/8/8/Date', '337/TM/4/8/Time'];

export const COMMON_4010: Record<string, SegmentDef> = dict(
  seg('ST', 'Transaction Set Header', ['143/ID/3/3/M/Transaction Set Identifier Code', '329/AN/4/9/M/Transaction Set Control Number']),
  seg('SE', 'Transaction Set Trailer', ['96/N0/1/10/M/Number of Included Segments', '329/AN/4/9/M/Transaction Set Control Number']),
  seg('CUR', 'Currency', ['98/ID/2/3/M/Entity Identifier Code', '100/ID/3/3/M/Currency Code', '280/R/4/10/Exchange Rate', '98/ID/2/3/Entity Identifier Code',
    '100/ID/3/3/Currency Code', '669/ID/3/3/Currency Market/Exchange Code', ...dtmTriple, ...dtmTriple, ...dtmTriple, ...dtmTriple, ...dtmTriple]),
  seg('REF', 'Reference Identification', ['128/ID/2/3/M/Reference Identification Qualifier', '127/AN/1/30/Reference Identification', '352/AN/1/80/Description', C040]),
  seg('PER', 'Administrative Communications Contact', ['366/ID/2/2/M/Contact Function Code', '93/AN/1/60/Name', '365/ID/2/2/Communication Number Qualifier',
    '364/AN/1/80/Communication Number', '365/ID/2/2/Communication Number Qualifier', '364/AN/1/80/Communication Number',
    '365/ID/2/2/Communication Number Qualifier', '364/AN/1/80/Communication Number', '443/AN/1/20/Contact Inquiry Reference']),
  seg('FOB', 'F.O.B. Related Instructions', ['146/ID/2/2/M/Shipment Method of Payment', '309/ID/1/2/Location Qualifier', '352/AN/1/80/Description',
    '334/ID/2/2/Transportation Terms Qualifier Code', '335/ID/3/3/Transportation Terms Code', '309/ID/1/2/Location Qualifier', '352/AN/1/80/Description',
    '54/ID/1/2/Risk of Loss Code', '352/AN/1/80/Description']),
  seg('ITD', 'Terms of Sale/Deferred Terms of Sale', ['336/ID/2/2/Terms Type Code', '333/ID/1/2/Terms Basis Date Code', '338/R/1/6/Terms Discount Percent',
    '370/DT/8/8/Terms Discount Due Date', '351/N0/1/3/Terms Discount Days Due', '446/DT/8/8/Terms Net Due Date', '386/N0/1/3/Terms Net Days',
    '362/N2/1/10/Terms Discount Amount', '388/DT/8/8/Terms Deferred Due Date', '389/N2/1/10/Deferred Amount Due', '342/R/1/5/Percent of Invoice Payable',
    '352/AN/1/80/Description', '765/N0/1/2/Day of Month', '107/ID/1/2/Payment Method Code', '954/R/1/10/Percent']),
  seg('DTM', 'Date/Time Reference', ['374/ID/3/3/M/Date/Time Qualifier', '373/DT/8/8/Date', '337/TM/4/8/Time', '623/ID/2/2/Time Code',
    '1250/ID/2/3/Date Time Period Format Qualifier', '1251/AN/1/35/Date Time Period']),
  seg('N9', 'Reference Identification', ['128/ID/2/3/M/Reference Identification Qualifier', '127/AN/1/30/Reference Identification', '369/AN/1/45/Free-form Description',
    '373/DT/8/8/Date', '337/TM/4/8/Time', '623/ID/2/2/Time Code', C040]),
  seg('MSG', 'Message Text', ['933/AN/1/264/M/Free-Form Message Text', '934/ID/2/2/Printer Carriage Control Code', '1470/N0/1/9/Number']),
  seg('NTE', 'Note/Special Instruction', ['363/ID/3/3/Note Reference Code', '352/AN/1/80/M/Description']),
  seg('N1', 'Name', ['98/ID/2/3/M/Entity Identifier Code', '93/AN/1/60/Name', '66/ID/1/2/Identification Code Qualifier', '67/AN/2/80/Identification Code',
    '706/ID/2/2/Entity Relationship Code', '98/ID/2/3/Entity Identifier Code']),
  seg('N2', 'Additional Name Information', ['93/AN/1/60/M/Name', '93/AN/1/60/Name']),
  seg('N3', 'Address Information', ['166/AN/1/55/M/Address Information', '166/AN/1/55/Address Information']),
  seg('N4', 'Geographic Location', ['19/AN/2/30/City Name', '156/ID/2/2/State or Province Code', '116/ID/3/15/Postal Code', '26/ID/2/3/Country Code',
    '309/ID/1/2/Location Qualifier', '310/AN/1/30/Location Identifier']),
  seg('PID', 'Product/Item Description', ['349/ID/1/1/M/Item Description Type', '750/ID/2/3/Product/Process Characteristic Code', '559/ID/2/2/Agency Qualifier Code',
    '751/AN/1/12/Product Description Code', '352/AN/1/80/Description', '752/ID/2/2/Surface/Layer/Position Code', '822/AN/1/15/Source Subqualifier',
    '1073/ID/1/1/Yes/No Condition or Response Code', '819/ID/2/3/Language Code']),
  seg('PO4', 'Item Physical Details', ['356/N0/1/6/Pack', '357/R/1/8/Size', '355/ID/2/2/Unit or Basis for Measurement Code', '103/AN/3/5/Packaging Code',
    '187/ID/1/2/Weight Qualifier', '384/R/1/9/Gross Weight per Pack', '355/ID/2/2/Unit or Basis for Measurement Code', '385/R/1/9/Gross Volume per Pack',
    '355/ID/2/2/Unit or Basis for Measurement Code', '82/R/1/8/Length', '189/R/1/8/Width', '65/R/1/8/Height', '355/ID/2/2/Unit or Basis for Measurement Code',
    '810/N0/1/6/Inner Pack', '752/ID/2/2/Surface/Layer/Position Code', '350/AN/1/20/Assigned Identification', '350/AN/1/20/Assigned Identification', '1470/N0/1/9/Number']),
  seg('SAC', 'Service, Promotion, Allowance, or Charge Information', ['248/ID/1/1/M/Allowance or Charge Indicator', '1300/ID/4/4/Service, Promotion, Allowance, or Charge Code',
    '559/ID/2/2/Agency Qualifier Code', '1301/AN/1/10/Agency Service, Promotion, Allowance, or Charge Code', '610/N2/1/15/Amount',
    '378/ID/1/1/Allowance/Charge Percent Qualifier', '332/R/1/6/Percent', '118/R/1/9/Rate', '355/ID/2/2/Unit or Basis for Measurement Code',
    '380/R/1/15/Quantity', '380/R/1/15/Quantity', '331/ID/2/2/Allowance or Charge Method of Handling Code', '127/AN/1/30/Reference Identification',
    '770/AN/1/30/Option Number', '352/AN/1/80/Description', '819/ID/2/3/Language Code']),
  seg('CTT', 'Transaction Totals', ['354/N0/1/6/M/Number of Line Items', '347/R/1/10/Hash Total', '81/R/1/10/Weight', '355/ID/2/2/Unit or Basis for Measurement Code',
    '183/R/1/8/Volume', '355/ID/2/2/Unit or Basis for Measurement Code', '352/AN/1/80/Description']),
  seg('AMT', 'Monetary Amount', ['522/ID/1/3/M/Amount Qualifier Code', '782/R/1/18/M/Monetary Amount', '478/ID/1/1/Credit/Debit Flag Code']),
  seg('TD1', 'Carrier Details (Quantity and Weight)', ['103/AN/3/5/Packaging Code', '80/N0/1/7/Lading Quantity', '23/ID/1/1/Commodity Code Qualifier',
    '22/AN/1/30/Commodity Code', '79/AN/1/50/Lading Description', '187/ID/1/2/Weight Qualifier', '81/R/1/10/Weight', '355/ID/2/2/Unit or Basis for Measurement Code',
    '183/R/1/8/Volume', '355/ID/2/2/Unit or Basis for Measurement Code']),
  seg('TD5', 'Carrier Details (Routing Sequence/Transit Time)', ['133/ID/1/2/Routing Sequence Code', '66/ID/1/2/Identification Code Qualifier',
    '67/AN/2/80/Identification Code', '91/ID/1/2/Transportation Method/Type Code', '387/AN/1/35/Routing', '368/ID/2/2/Shipment/Order Status Code',
    '309/ID/1/2/Location Qualifier', '310/AN/1/30/Location Identifier', '731/ID/1/2/Transit Direction Code', '732/ID/1/2/Transit Time Direction Qualifier',
    '733/R/1/4/Transit Time', '284/ID/1/2/Service Level Code', '284/ID/1/2/Service Level Code', '284/ID/1/2/Service Level Code', '26/ID/2/3/Country Code']),
  seg('MAN', 'Marks and Numbers', ['88/ID/1/2/M/Marks and Numbers Qualifier', '87/AN/1/48/M/Marks and Numbers', '87/AN/1/48/Marks and Numbers',
    '88/ID/1/2/Marks and Numbers Qualifier', '87/AN/1/48/Marks and Numbers', '87/AN/1/48/Marks and Numbers']),
  seg('TXI', 'Tax Information', ['963/ID/2/2/M/Tax Type Code', '782/R/1/18/Monetary Amount', '954/R/1/10/Percent', '955/ID/2/2/Tax Jurisdiction Code Qualifier',
    '956/AN/1/10/Tax Jurisdiction Code', '441/ID/1/1/Tax Exempt Code', '662/ID/1/1/Relationship Code', '828/R/1/9/Dollar Basis For Percent',
    '325/AN/1/20/Tax Identification Number', '350/AN/1/20/Assigned Identification']),
  seg('CSH', 'Sales Requirements', ['563/ID/1/2/Sales Requirement Code', '306/ID/1/2/Action Code', '610/N2/1/15/Amount', '508/AN/1/35/Account Number',
    '373/DT/8/8/Date', '560/ID/1/2/Special Services Code', '566/ID/1/2/Product/Service Substitution Code', '954/R/1/10/Percent',
    '1004/ID/1/2/Percent Qualifier', '1627/ID/1/2/Option Code']),
  seg('SCH', 'Line Item Schedule', ['380/R/1/15/M/Quantity', '355/ID/2/2/M/Unit or Basis for Measurement Code', '98/ID/2/3/Entity Identifier Code', '93/AN/1/60/Name',
    '374/ID/3/3/M/Date/Time Qualifier', '373/DT/8/8/M/Date', '337/TM/4/8/Time', '374/ID/3/3/Date/Time Qualifier', '373/DT/8/8/Date', '337/TM/4/8/Time',
    '326/AN/1/45/Request Reference Number', '350/AN/1/20/Assigned Identification', '324/AN/1/22/Purchase Order Number', '328/AN/1/30/Release Number']),
  seg('PO1', 'Baseline Item Data', ['350/AN/1/20/Assigned Identification', '330/R/1/15/Quantity Ordered', '355/ID/2/2/Unit or Basis for Measurement Code',
    '212/R/1/17/Unit Price', '639/ID/2/2/Basis of Unit Price Code', ...pairs('235/ID/2/2/Product/Service ID Qualifier', '234/AN/1/48/Product/Service ID', 10)]),
  seg('LIN', 'Item Identification', ['350/AN/1/20/Assigned Identification', '235/ID/2/2/M/Product/Service ID Qualifier', '234/AN/1/48/M/Product/Service ID',
    ...pairs('235/ID/2/2/Product/Service ID Qualifier', '234/AN/1/48/Product/Service ID', 14)]),
  seg('PKG', 'Marking, Packaging, Loading'), seg('MEA', 'Measurements'), seg('PWK', 'Paperwork'), seg('TD3', 'Carrier Details (Equipment)'),
  seg('TD4', 'Carrier Details (Special Handling, or Hazardous Materials, or Both)'), seg('TAX', 'Tax Reference'), seg('CTP', 'Pricing Information'),
  seg('PAM', 'Period Amount'), seg('TC2', 'Commodity'), seg('DIS', 'Discount Detail'), seg('INC', 'Installment Information'), seg('LDT', 'Lead Time'),
  seg('SI', 'Service Characteristic Identification'), seg('PCT', 'Percent Amounts'), seg('CTB', 'Restrictions/Conditions'), seg('NX2', 'Location ID Component'),
  seg('CN1', 'Contract Information'), seg('PO3', 'Additional Item Detail'), seg('IT8', 'Conditions of Sale'), seg('SDQ', 'Destination Quantity'),
  seg('IT3', 'Additional Item Data'), seg('QTY', 'Quantity'), seg('SLN', 'Subline Item Detail'), seg('SPI', 'Specification Identifier'),
  seg('ADV', 'Advertising Demographic Information'), seg('LM', 'Code Source Information'), seg('LQ', 'Industry Code'), seg('FA1', 'Type of Financial Accounting Data'),
  seg('FA2', 'Accounting Data'), seg('MTX', 'Text'), seg('G61', 'Contact'), seg('CB1', 'Contract and Cost Accounting Standards Data'), seg('EFI', 'Electronic Format Identification'), seg('YNQ', 'Yes/No Question'), seg('DMG', 'Demographic Information'), seg('L7', 'Tariff Reference'),
  seg('BAL', 'Balance Detail'), seg('CRC', 'Conditions Indicator'), seg('SR', 'Requested Service Schedule'), seg('V1', 'Vessel Identification'),
  seg('TSD', 'Trailer Shipment Details'), seg('PAL', 'Pallet Information'), seg('ETD', 'Excess Transportation Detail'), seg('GF', 'Furnished Goods and Services'),
  seg('CLD', 'Load Detail'), seg('DTP', 'Date or Time or Period'), seg('LH1', 'Hazardous Identification Information'), seg('LH2', 'Hazardous Classification Information'),
  seg('LH3', 'Hazardous Material Shipping Name'), seg('LFH', 'Freight Hazardous Material Information'), seg('LEP', 'EPA Required Data'),
  seg('LH4', 'Canadian Dangerous Requirements'), seg('LHT', 'Transborder Hazardous Requirements'), seg('LHR', 'Hazardous Material Identifying Reference Numbers'),
  seg('LHE', 'Empty Equipment Hazardous Material Information'), seg('R4', 'Port or Terminal'), seg('LS', 'Loop Header'), seg('LE', 'Loop Trailer'),
);

/** 005010 changes to the shared segments that matter for validation. */
export function segments5010(base: Record<string, SegmentDef>): Record<string, SegmentDef> {
  const out = { ...base };
  const widen = (tag: string, index: number, max: number): void => {
    const def = out[tag];
    if (!def) return;
    const elements = def.elements.map((e, i) => (i === index ? { ...e, max } : e));
    out[tag] = { ...def, elements };
  };
  const add = (tag: string, spec: SegmentDef['elements']): void => {
    const def = out[tag];
    if (def) out[tag] = { ...def, elements: [...def.elements, ...spec] };
  };
  add('ST', [{ id: '1705', name: 'Implementation Convention Reference', type: 'AN', min: 1, max: 35 }]);
  widen('REF', 1, 50);
  widen('N9', 1, 50);
  widen('PER', 3, 256); widen('PER', 5, 256); widen('PER', 7, 256);
  add('N4', [{ id: '1715', name: 'Country Subdivision Code', type: 'ID', min: 1, max: 3 }]);
  widen('MSG', 0, 264);
  return out;
}
