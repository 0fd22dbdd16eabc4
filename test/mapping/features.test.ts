import { describe, expect, it } from 'vitest';
import { compileMapping, MappingCompileError } from '../../src/mapping/index.ts';
import { sample850 } from './fixtures-850.ts';
import { loop, memoryOptions, tree } from './helpers.ts';

const X12 = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\n';

async function run(text: string, input: unknown, files: Record<string, string> = {}) {
  const m = compileMapping({ file: 'p/m.yaml', text }, memoryOptions(files));
  return m.toCanonical(input);
}

describe('templates, constants, defaults, conditions', () => {
  it('a template with ${parameters}, fields beside use: override the template', async () => {
    const text = `${X12}templates:\n  party:\n    within: "N1[01=\${code}]"\n    name: N1/02\n    id: N1/04\nfields:\n  buyer: { use: party, with: { code: BY } }\n  shipTo: { use: party, with: { code: ST }, id: { value: FIXED } }\n`;
    const out = await run(text, sample850());
    expect(out.value).toEqual({ buyer: { name: 'ACME RETAIL DC 12', id: '0012' }, shipTo: { name: 'ACME STORE 0457', id: 'FIXED' } });
  });

  it('value: constant, default: when empty, when: condition', async () => {
    const text = `${X12}fields:\n  paymentTerms: { value: NET 45 }\n  currency: { path: "CUR[01=SE]/02", default: EUR }\n  poNumber: { path: BEG/03, when: "BEG/01=00" }\n  requestedDeliveryDate: { path: "DTM[01=002]/02", as: date, when: "BEG/01=05|06" }\n  purpose: { value: change, when: "!BEG/01" }\n`;
    const out = await run(text, sample850());
    expect(out.value).toEqual({ paymentTerms: 'NET 45', currency: 'EUR', poNumber: 'PO-4500012345' });
  });
});

describe('extends', () => {
  it('deep-merges a partner file over the base; null removes a field', async () => {
    const text = [
      'extends: _base/x12-004010-850.inbound.yaml',
      'fields:',
      '  paymentTerms: null',
      '  buyer: { within: "N1[01=BY]", use: party, address: null }',
      '  lines:',
      '    fields:',
      '      description: null',
      '      buyerPartNumber: "PO1/06~VP"',
      '',
    ].join('\n');
    const out = await run(text, sample850());
    const v = out.value as Record<string, any>;
    expect(out.problems).toEqual([]);
    expect(v.paymentTerms).toBeUndefined();
    expect(v.buyer).toEqual({ id: '0012', idQualifier: '92', name: 'ACME RETAIL DC 12', contact: { name: 'JANE BUYER', phone: '6145550100', email: 'jane@acme.example' } });
    expect(v.lines[0]).toEqual({ lineNumber: '1', quantity: 24, unitOfMeasure: 'CS', unitPrice: 12.5, buyerPartNumber: 'WS-9001', vendorPartNumber: 'WS-9001', gtin: '012345678905' });
    expect(v.poNumber).toBe('PO-4500012345');
  });
});

describe('object formats: csv, xml, json', () => {
  const csvMapping = [
    'format: csv',
    'message: orders',
    'direction: inbound',
    'document: purchase_order',
    'groupBy: PO Number',
    'fields:',
    '  poNumber: PO Number',
    '  poDate: { path: Order Date, as: date-mdy }',
    '  lines:',
    '    each: .',
    '    fields:',
    '      lineNumber: Line',
    '      quantity: { path: Qty, as: number }',
    '      unitOfMeasure: { path: UOM, as: upper }',
    '      vendorPartNumber: SKU',
    '',
  ].join('\n');
  it('csv: groupBy turns rows into one document per PO, each: . iterates the group\'s rows', async () => {
    const rows = [
      { 'PO Number': 'A1', 'Order Date': '11/20/2026', Line: '1', Qty: '2', UOM: 'ea', SKU: 'X' },
      { 'PO Number': 'B7', 'Order Date': '11/21/2026', Line: '1', Qty: '5', UOM: 'cs', SKU: 'Y' },
      { 'PO Number': 'A1', 'Order Date': '11/20/2026', Line: '2', Qty: '1.5', UOM: 'kgm', SKU: 'Z' },
    ];
    const out = await run(csvMapping, rows);
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual([
      { poNumber: 'A1', poDate: '2026-11-20', lines: [{ lineNumber: '1', quantity: 2, unitOfMeasure: 'EA', vendorPartNumber: 'X' }, { lineNumber: '2', quantity: 1.5, unitOfMeasure: 'KGM', vendorPartNumber: 'Z' }] },
      { poNumber: 'B7', poDate: '2026-11-21', lines: [{ lineNumber: '1', quantity: 5, unitOfMeasure: 'CS', vendorPartNumber: 'Y' }] },
    ]);
  });

  it('xml: element paths, @attributes, #text, predicates on repeated elements', async () => {
    // the shape fast-xml-parser produces with attributeNamePrefix '@' and textNodeName '#text'
    const xml = {
      cXML: {
        Request: {
          OrderRequest: {
            OrderRequestHeader: { '@orderID': 'CX-1', '@orderDate': '2026-11-20', Total: { Money: { '@currency': 'usd', '#text': '30.00' } },
              ShipTo: { Address: { Name: 'DOCK 1', PostalAddress: { Street: ['1 A ST', 'UNIT 2'], City: 'RENO', Country: { '@isoCountryCode': 'US' } } } } },
            ItemOut: [
              { '@quantity': '2', '@lineNumber': '1', ItemID: { SupplierPartID: 'S-1' }, ItemDetail: { UnitPrice: { Money: '10' }, UnitOfMeasure: 'EA', Description: { '@xml:lang': 'en', '#text': 'Bolt' } } },
              { '@quantity': '1', '@lineNumber': '2', ItemID: { SupplierPartID: 'S-2' }, ItemDetail: { UnitPrice: { Money: '10' }, UnitOfMeasure: 'BX' } },
            ],
          },
        },
      },
    };
    const text = [
      'format: xml',
      'message: cxml-order',
      'direction: inbound',
      'document: purchase_order',
      'fields:',
      '  poNumber: cXML/Request/OrderRequest/OrderRequestHeader/@orderID',
      '  poDate: { path: "**/OrderRequestHeader/@orderDate", as: date }',
      '  currency: { path: "**/Total/Money/@currency", as: currency }',
      '  totals: { amount: { path: "**/Total/Money", as: number } }',
      '  shipTo:',
      '    within: "**/ShipTo/Address"',
      '    name: Name',
      '    address: { lines: PostalAddress/Street, city: PostalAddress/City, country: PostalAddress/Country/@isoCountryCode }',
      '  lines:',
      '    each: "**/ItemOut"',
      '    fields:',
      '      lineNumber: "@lineNumber"',
      '      quantity: { path: "@quantity", as: number }',
      '      vendorPartNumber: ItemID/SupplierPartID',
      '      unitPrice: { path: ItemDetail/UnitPrice/Money, as: number }',
      '      description: ItemDetail/Description',
      '  paymentTerms: "**/ItemOut[@lineNumber=2]/ItemID/SupplierPartID"',
      '',
    ].join('\n');
    const out = await run(text, xml);
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual({
      poNumber: 'CX-1', poDate: '2026-11-20', currency: 'USD', totals: { amount: 30 },
      shipTo: { name: 'DOCK 1', address: { lines: ['1 A ST', 'UNIT 2'], city: 'RENO', country: 'US' } },
      lines: [
        { lineNumber: '1', quantity: 2, vendorPartNumber: 'S-1', unitPrice: 10, description: 'Bolt' },
        { lineNumber: '2', quantity: 1, vendorPartNumber: 'S-2', unitPrice: 10 },
      ],
      paymentTerms: 'S-2',
    });
  });

  it('json: nested objects and arrays, predicates [type=x], numbers stay numbers', async () => {
    const json = { order: { id: 'J-9', date: '2026-11-20', parties: [{ role: 'buyer', name: 'B' }, { role: 'shipTo', name: 'S' }], items: [{ n: 1, qty: 3, sku: 'Q' }] } };
    const text = [
      'format: json',
      'message: order',
      'direction: inbound',
      'document: purchase_order',
      'fields:',
      '  poNumber: order/id',
      '  poDate: { path: order/date, as: date }',
      '  buyer: { name: "order/parties[role=buyer]/name" }',
      '  shipTo: { name: "order/parties[role=shipTo]/name" }',
      '  lines: { each: order/items, fields: { lineNumber: { path: n, as: string }, quantity: qty, vendorPartNumber: sku } }',
      '',
    ].join('\n');
    const out = await run(text, json);
    expect(out.value).toEqual({ poNumber: 'J-9', poDate: '2026-11-20', buyer: { name: 'B' }, shipTo: { name: 'S' }, lines: [{ lineNumber: '1', quantity: 3, vendorPartNumber: 'Q' }] });
  });
});

describe('outbound to object formats', () => {
  const po = { poNumber: 'P1', poDate: '2026-11-20', buyer: { name: 'B' }, lines: [{ lineNumber: '1', quantity: 2, unitOfMeasure: 'CS' }, { lineNumber: '2', quantity: 1 }] };
  it('json: keys are the partner\'s, values canonical dotted paths', async () => {
    const text = 'format: json\nmessage: order\ndirection: outbound\ndocument: purchase_order\nfields:\n  orderId: poNumber\n  orderDate: { path: poDate, as: date }\n  buyerName: buyer.name\n  items: { each: lines, fields: { line: lineNumber, qty: quantity, uom: { path: unitOfMeasure, default: EA } } }\n  kind: { value: PO }\n';
    const m = compileMapping({ file: 'p/o.yaml', text }, memoryOptions());
    const out = await m.fromCanonical(po);
    expect(out.value).toEqual({ orderId: 'P1', orderDate: '2026-11-20', buyerName: 'B', items: [{ line: '1', qty: 2, uom: 'CS' }, { line: '2', qty: 1, uom: 'EA' }], kind: 'PO' });
  });
  it('csv: a top-level each: gives one row per line, with / paths back to the document', async () => {
    const text = 'format: csv\nmessage: orders\ndirection: outbound\ndocument: purchase_order\neach: lines\nfields:\n  PO Number: /poNumber\n  Line: lineNumber\n  Qty: quantity\n';
    const m = compileMapping({ file: 'p/o.yaml', text }, memoryOptions());
    const out = await m.fromCanonical(po);
    expect(out.value).toEqual([{ 'PO Number': 'P1', Line: '1', Qty: 2 }, { 'PO Number': 'P1', Line: '2', Qty: 1 }]);
  });
});

describe('JSONata escape hatch', () => {
  it('inbound: evaluated over the JSON view of the context; $root is the message', async () => {
    const text = `${X12}fields:\n  poNumber: BEG/03\n  paymentTerms: { expr: "'NET ' & ITD.\`05\`" }\n  totals:\n    amount: { expr: "$sum(PO1.PO1.($number(\`02\`) * $number(\`04\`)))" }\n  lines:\n    each: PO1\n    fields:\n      quantity: { path: PO1/02, as: number }\n      description: { expr: "$root.BEG.\`03\` & '/' & PO1.\`01\`" }\n`;
    const out = await run(text, sample850());
    expect(out.problems).toEqual([]);
    const v = out.value as Record<string, any>;
    expect(v.paymentTerms).toBe('NET 30');
    expect(v.totals).toEqual({ amount: 357.5 });
    expect(v.lines.map((l: any) => l.description)).toEqual(['PO-4500012345/1', 'PO-4500012345/2', 'PO-4500012345/3']);
  });
  it('outbound: an element from an expression over the canonical item', async () => {
    const text = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: outbound\ndocument: purchase_order\nsegments:\n  - BEG: ["00", "SA", "=poNumber"]\n  - CTT: [{ expr: "$count(lines)" }]\n';
    const m = compileMapping({ file: 'p/o.yaml', text }, memoryOptions());
    const out = await m.fromCanonical({ poNumber: 'P', lines: [{}, {}, {}] });
    const t = out.value as { root: { children: Array<{ tag: string; elements: string[] }> } };
    expect(t.root.children.map((s) => [s.tag, ...s.elements])).toEqual([['BEG', '00', 'SA', 'P'], ['CTT', '3']]);
  });
});

describe('outbound segments', () => {
  const head = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: outbound\ndocument: purchase_order\n';
  it('leaves out a segment whose canonical values are all empty, keeps constants-only segments, when: skips', async () => {
    const text = `${head}segments:\n  - CUR: ["BY", "=currency"]\n  - REF: ["DP", "038"]\n  - { N9: ["L1", "=poNumber"], when: "purpose=change" }\n  - PO4: [["A", "", ""], ["", ""]]\n`;
    const m = compileMapping({ file: 'p/o.yaml', text }, memoryOptions());
    const out = await m.fromCanonical({ poNumber: 'P', purpose: 'original' });
    const t = out.value as { root: { children: Array<{ tag: string; elements: unknown[]; position: number }> } };
    expect(t.root.children).toEqual([{ tag: 'REF', elements: ['DP', '038'], position: 1 }, { tag: 'PO4', elements: [['A']], position: 2 }]);
  });
  it('a required element with no value is a problem naming the element', async () => {
    const m = compileMapping({ file: 'p/o.yaml', text: `${head}segments:\n  - BEG: ["00", "SA", { path: poNumber, required: true }]\n` }, memoryOptions());
    const out = await m.fromCanonical({ poDate: '2026-01-01' });
    expect(out.problems.map((p) => `${p.line}:${p.col} ${p.rule}: ${p.message}`)).toEqual(['7:23 required_missing: BEG03 is required but poNumber is empty']);
  });
  it('refuses a segment the grammar lacks', async () => {
    const grammar = { standard: 'x12' as const, message: '850', version: '004010', name: 'PO', children: [{ segment: 'BEG' }], segments: { BEG: { tag: 'BEG', name: 'BEG', elements: [{ id: '353', name: 'a' }] } } };
    expect(() => compileMapping({ file: 'p/o.yaml', text: `${head}segments:\n  - BEG: ["00", "SA"]\n  - BGN: ["00"]\n` }, memoryOptions({}, () => grammar))).toThrow(MappingCompileError);
    try {
      compileMapping({ file: 'p/o.yaml', text: `${head}segments:\n  - BEG: ["00", "SA"]\n  - BGN: ["00"]\n` }, memoryOptions({}, () => grammar));
    } catch (e) {
      expect((e as MappingCompileError).problems.map((p) => `${p.line}:${p.col} ${p.rule}: ${p.message}`)).toEqual([
        '7:17 not_in_grammar: segment BEG has 1 elements in 850 004010, this lists 2',
        '8:10 not_in_grammar: segment BGN is not in the grammar of 850 004010',
      ]);
    }
  });
});

describe('direction guard', () => {
  it('toCanonical on an outbound mapping is a mapping_direction error', async () => {
    const m = compileMapping({ file: 'p/o.yaml', text: 'format: json\nmessage: o\ndirection: outbound\ndocument: invoice\nfields: { a: invoiceNumber }\n' }, memoryOptions());
    await expect(m.toCanonical({})).rejects.toMatchObject({ code: 'mapping_direction' });
  });
  it('loop of trees: a wire tree without CTT still maps', async () => {
    const out = await run(`${X12}fields:\n  totals: { lineCount: { path: CTT/01, as: integer } }\n`, tree('x12', '850', '004010', loop('PO1', 'PO1*1')));
    expect(out.value).toEqual({});
  });
});

describe('list within: and schema errors traced to the mapping line', () => {
  it('each: relative to within:', async () => {
    const text = `${X12}fields:\n  lines:\n    within: "N1[01=BY]"\n    each: N3\n    fields:\n      description: N3/01\n      quantity: { value: 1 }\n`;
    const out = await run(text, sample850());
    expect(out.value).toEqual({ lines: [{ description: '1200 INDUSTRIAL PKWY', quantity: 1 }] });
  });

  it('a canonical schema violation names the rule (file:line) that produced the value', async () => {
    const { createCanonicalValidators } = await import('../../src/canonical/validate.ts');
    const text = 'extends: _base/x12-004010-850.inbound.yaml\nfields:\n  lines:\n    fields:\n      gtin: "PO1/06~BP"\n';
    const m = compileMapping({ file: 'acme/x12-850.inbound.yaml', text }, memoryOptions());
    const out = await m.toCanonical(sample850());
    const [violation] = createCanonicalValidators().validateDocument('purchase_order', out.value);
    expect(violation?.pointer).toBe('/lines/0/gtin');
    expect(m.ruleFor(violation?.pointer ?? '')).toEqual({ id: 'lines.gtin', file: 'acme/x12-850.inbound.yaml', line: 5, col: 7 });
  });
});

describe('856 hierarchy (HL loops nested by HL02, as the X12 reader nests them)', () => {
  it('orders and their items through **/HL[03=O] and **/HL[03=I]', async () => {
    const asn = tree('x12', '856', '004010',
      'ST*856*0001',
      'BSN*00*SH-1*20261120*1200',
      loop('HL', 'HL*1**S', 'TD1*CTN*3****G*42.5*LB', 'REF*BM*BOL-9',
        loop('HL', 'HL*2*1*O', 'PRF*PO-1',
          loop('HL', 'HL*3*2*I', 'LIN**VP*V-1*UP*012345678905', 'SN1**10*EA'),
          loop('HL', 'HL*4*2*I', 'LIN**VP*V-2', 'SN1**5*CA')),
        loop('HL', 'HL*5*1*O', 'PRF*PO-2',
          loop('HL', 'HL*6*5*I', 'LIN**VP*V-3', 'SN1**1*EA'))),
      'CTT*6',
      'SE*17*0001',
    );
    const text = [
      'format: x12', 'message: "856"', 'version: "004010"', 'direction: inbound', 'document: ship_notice',
      'fields:',
      '  shipmentId: BSN/02',
      '  shipDate: { path: BSN/03, as: date }',
      '  billOfLading: "**/REF[01=BM]/02"',
      '  grossWeight: { value: { path: "**/TD1/07", as: number }, unit: { path: "**/TD1/08", as: uom } }',
      '  orders:',
      '    each: "**/HL[03=O]"',
      '    fields:',
      '      poNumber: PRF/01',
      '      lines:',
      '        each: "**/HL[03=I]"',
      '        fields:',
      '          vendorPartNumber: "LIN/02~VP"',
      '          gtin: "LIN/02~UP"',
      '          quantityShipped: { path: SN1/02, as: number }',
      '          unitOfMeasure: { path: SN1/03, as: uom }',
      '',
    ].join('\n');
    const out = await run(text, asn);
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual({
      shipmentId: 'SH-1', shipDate: '2026-11-20', billOfLading: 'BOL-9', grossWeight: { value: 42.5, unit: 'LBR' },
      orders: [
        { poNumber: 'PO-1', lines: [{ vendorPartNumber: 'V-1', gtin: '012345678905', quantityShipped: 10, unitOfMeasure: 'EA' }, { vendorPartNumber: 'V-2', quantityShipped: 5, unitOfMeasure: 'CS' }] },
        { poNumber: 'PO-2', lines: [{ vendorPartNumber: 'V-3', quantityShipped: 1, unitOfMeasure: 'EA' }] },
      ],
    });
  });
});
