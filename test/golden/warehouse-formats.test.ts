/**
 * The warehouse and carrier formats (issue 16): X12 940 943 944 945 846 947 861 214 in 004010 and
 * 005010, EDIFACT RECADV INVRPT IFTSTA D96A. The golden cases themselves run in fixtures.test.ts
 * (canonical JSON) and acks.test.ts (997); this file checks that every set and version has one, the
 * 999 and CONTRL for these sets, the outbound 940 and 943, the bad input of a 944, the time zones
 * of a 214, and the real 214 sample in ../shared/conformance when it is there. Expected values are
 * read by hand from the segments and the X12 / UN element definitions.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFixtureCases } from '../../src/cli/fixtures.ts';
import { buildContrl, parseEdifact, writeEdifact } from '../../src/formats/edifact/index.ts';
import { build999, DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010, parseX12, writeInterchange, writeTransaction } from '../../src/formats/x12/index.ts';
import type { WireTree } from '../../src/formats/wire.ts';
import { transformsFor } from '../../src/mapping/transforms.ts';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from './gateway-config.ts';

const { config, deps } = loadRepoConfig();
const fixtures = path.join(repoRoot, 'fixtures');
const cases = listFixtureCases(fixtures);
const read = (rel: string) => readFileSync(path.join(fixtures, rel));

describe('warehouse and carrier sets: golden cases', () => {
  it('every inbound set has a case in 004010 and 005010, every EDIFACT message one in D96A, and the 944 rejects are there', () => {
    const names = cases.map((c) => `${c.group}/${c.name}`);
    for (const version of ['004010', '005010']) {
      for (const set of ['944', '945', '861', '846', '947', '214']) {
        expect(names.some((n) => n.startsWith(`x12-${version}/${set}-`) && cases.find((c) => `${c.group}/${c.name}` === n)?.expected), `fixtures/x12-${version}/${set}-*`).toBe(true);
      }
    }
    for (const m of ['recadv', 'invrpt', 'iftsta']) expect(names.some((n) => n.startsWith(`edifact-d96a/${m}`)), m).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['x12-004010/944-rejects-negative-quantity', 'x12-004010/944-rejects-unknown-unit']));
  });
});

describe('functional acknowledgements for the new sets', () => {
  it('a 005010 944 gets a 999 accepting it (IK5 A), like the other sets (997s: acks.test.ts)', () => {
    const split = createX12FormatReader().splitX12(read('x12-005010/944-receipt-lx/input.edi'));
    const tree = build999(split.groups[0]!.group, { controlNumber: '0001' });
    expect(writeTransaction({ tree }, { ...DEFAULT_DELIMITERS_4010, lineBreak: '\n' }).text)
      .toBe('ST*999*0001*005010X231A1~\nAK1*RE*812*005010~\nAK2*944*0001~\nIK5*A~\nAK9*A*1*1*1~\nSE*6*0001~\n');
  });

  it('a 944 whose unit is not an X12 355 code is rejected in the 999 with the element (IK4*2*355*7*QQ)', () => {
    const text = ['ISA*00*          *00*          *ZZ*NORTHWIND3PL   *ZZ*BUYERCO        *261204*1625*^*00501*000000814*0*P*>',
      'GS*RE*NORTHWIND3PL*BUYERCO*20261204*1625*814*X*005010', 'ST*944*0001', 'W17*F*20261204*RCV-5004*WO-1001*SH-77', 'N1*WH*NORTHWIND DC 3',
      'LX*1', 'W07*10*QQ**VN*AC-100', 'W14*10', 'SE*7*0001', 'GE*1*814', 'IEA*1*000000814'].join('~\n') + '~\n';
    const split = createX12FormatReader().splitX12(Buffer.from(text, 'latin1'));
    const tree = build999(split.groups[0]!.group, { controlNumber: '0001' });
    expect(writeTransaction({ tree }, { ...DEFAULT_DELIMITERS_4010, lineBreak: '\n' }).text)
      .toBe('ST*999*0001*005010X231A1~\nAK1*RE*814*005010~\nAK2*944*0001~\nIK3*W07*5*W07*8~\nIK4*2*355*7*QQ~\nIK5*R*5~\nAK9*R*1*1*0~\nSE*8*0001~\n');
  });

  for (const m of ['recadv-damaged-over', 'invrpt', 'iftsta']) {
    it(`edifact-d96a/${m}: acknowledged with the expected CONTRL (UCI and UCM action 7)`, () => {
      const r = buildContrl(parseEdifact(read(`edifact-d96a/${m}/input.edi`))[0]!, { controlReference: 'CTL1', date: '261123', time: '1200', lineEnding: '\n' });
      expect(r.outcome).toBe('accepted');
      expect(Buffer.from(r.bytes).toString()).toBe(read(`edifact-d96a/${m}/expected-contrl.edi`).toString('utf8'));
    });
  }
});

describe('944 bad input: a precise finding with segment and element', () => {
  it('a negative quantity received (W0701 -2) is refused naming the rule, W07 at position 4 and element 01', async () => {
    const got = await translateFile(deps, read('x12-004010/944-rejects-negative-quantity/input.edi'), {});
    expect(got.documents).toEqual([]);
    expect(got.errors).toHaveLength(1);
    expect(got.errors[0]!.code).toBe('mapping_failed');
    expect(got.errors[0]!.message).toBe('_base/x12-004010-944.inbound.yaml:51:7 lines.quantityReceived: "-2" is a negative quantity (expected zero or more) at W07 segment position 4, element 01');
  });

  it('a unit outside the X12 355 code list (QQ) is x12_invalid_code at W07 element 02, data element 355', async () => {
    const got = await translateFile(deps, read('x12-004010/944-rejects-unknown-unit/input.edi'), {});
    expect(got.documents).toEqual([]);
    expect(got.errors[0]).toMatchObject({ code: 'x12_invalid_code', detail: { segment: 'W07', segmentPosition: 4, elementPosition: 2, elementReference: '355', found: 'QQ', standardCode: '7', expected: 'one of the 847 codes of data element 355' } });
    expect(got.errors[0]!.message).toMatch(/^W0702: 'QQ' is not a valid code/);
  });
});

describe('time zones of carrier milestones', () => {
  const x12 = transformsFor({ format: 'x12', direction: 'inbound' })['x12-datetime']!;
  const edifact = transformsFor({ format: 'edifact', direction: 'inbound' })['edifact-datetime']!;

  it('X12 ET is -05:00 in winter and -04:00 in summer (US daylight time from the second Sunday of March, 02:00)', () => {
    expect(x12('20261207 0930 ET')).toBe('2026-12-07T09:30:00-05:00');
    expect(x12('20260705 0930 ET')).toBe('2026-07-05T09:30:00-04:00');
    expect(x12('20260308 0130 ET')).toBe('2026-03-08T01:30:00-05:00');
    expect(x12('20260308 0300 ET')).toBe('2026-03-08T03:00:00-04:00');
    expect(x12('20261207 093015 CT')).toBe('2026-12-07T09:30:15-06:00');
    expect(x12('20260705 1200 ES')).toBe('2026-07-05T12:00:00-05:00');    // ES: standard time, whatever the season
    expect(x12('20261207 1200 UT')).toBe('2026-12-07T12:00:00Z');
  });

  it('X12 LT (local time) is refused, and read when a partner names the zone', () => {
    expect(() => x12('20261207 0930 LT')).toThrow('time code LT is not read (local time has no offset without the place\'s zone)');
    expect(x12('20261207 0930 America/Denver')).toBe('2026-12-07T09:30:00-07:00');
  });

  it('EDIFACT 303/304 carry their zone; 203 needs one', () => {
    expect(edifact('202612051432+01 303')).toBe('2026-12-05T14:32:00+01:00');
    expect(edifact('20261206101500-0500 304')).toBe('2026-12-06T10:15:00-05:00');
    expect(() => edifact('202612051432 203')).toThrow('format 203 (local time) has no time zone');
    expect(edifact('202607051432 203 Europe/Berlin')).toBe('2026-07-05T14:32:00+02:00');
  });

  it('an IFTSTA whose status time is local (DTM 334 format 203) is refused naming DTM', async () => {
    const text = read('edifact-d96a/iftsta/input.edi').toString('latin1').replace("DTM+334:202612051432?+01:303'", "DTM+334:202612051432:203'");
    const got = await translateFile(deps, Buffer.from(text, 'latin1'), {});
    expect(got.documents).toEqual([]);
    expect(got.errors[0]!.code).toBe('mapping_failed');
    expect(got.errors[0]!.message).toContain('milestones.occurredAt: "202612051432 203": format 203 (local time) has no time zone');
  });
});

describe('outbound 940 and 943 through the base mappings', () => {
  const order = {
    orderNumber: 'WO-1001', orderDate: '2026-12-01', purpose: 'original', poNumber: 'PO-1001', requestedShipDate: '2026-12-03',
    shipTo: { name: 'GLOBEX RETAIL 12', id: 'G12', idQualifier: '92', address: { lines: ['400 MARKET ST'], city: 'DAYTON', region: 'OH', postalCode: '45402', country: 'US' } },
    carrier: { scac: 'ABFS', transportationMethod: 'M', paymentMethod: 'PP' },
    lines: [
      { lineNumber: '1', vendorPartNumber: 'AC-100', quantityOrdered: 10, unitOfMeasure: 'CS', description: 'WIDGET, BLUE' },
      { lineNumber: '2', gtin: '012345678905', quantityOrdered: 5, unitOfMeasure: 'EA', lotNumber: 'L42' },
    ],
    totals: { quantity: 15 },
  };
  const transfer = {
    transferNumber: 'T-3', orderNumber: 'WO-2001', shipDate: '2026-12-01', expectedArrivalDate: '2026-12-04', warehouse: { name: 'NORTHWIND DC 3' }, carrier: { scac: 'ABFS' },
    lines: [
      { lineNumber: '1', vendorPartNumber: 'AC-100', quantityShipped: 100, unitOfMeasure: 'EA', lotNumber: 'L42', expirationDate: '2027-06-30' },
      { lineNumber: '2', vendorPartNumber: 'AC-200', quantityShipped: 20.5, unitOfMeasure: 'KGM' },
    ],
  };
  // written by hand from the 940/943 element definitions: W05 N = original; G62 04 PO date, 10
  // requested ship date; W66 PP prepaid, M motor, W6610 SCAC; W01 quantity, unit (Rec 20 CS -> X12
  // CA), VN vendor item, W0113 lot, W0115/16 UP; W76 total. W06 F full detail, W27 M; W04 per line,
  // N9 LI line, N9 LT lot with its date (N904); W03 the units (100 + 20.5, the sum when no total is given)
  const want: Record<string, string[]> = {
    '940': ['ST*940*0001', 'W05*N*WO-1001*PO-1001', 'N1*ST*GLOBEX RETAIL 12*92*G12', 'N3*400 MARKET ST', 'N4*DAYTON*OH*45402*US', 'G62*04*20261201', 'G62*10*20261203',
      'W66*PP*M********ABFS', 'LX*1', 'W01*10*CA**VN*AC-100', 'G69*WIDGET, BLUE', 'LX*2', 'W01*5*EA***********L42**UP*012345678905', 'W76*15', 'SE*15*0001'],
    '943': ['ST*943*0001', 'W06*F*WO-2001*20261201*T-3', 'N1*WH*NORTHWIND DC 3', 'G62*17*20261204', 'W27*M*ABFS', 'W04*100*EA**VN*AC-100', 'N9*LI*1', 'N9*LT*L42**20270630',
      'W04*20.5*KG**VN*AC-200', 'N9*LI*2', 'W03*120.5', 'SE*12*0001'],
  };
  for (const version of ['004010', '005010']) {
    for (const [message, functionalId, document] of [['940', 'OW', order], ['943', 'AR', transfer]] as const) {
      it(`${message} ${version}: the expected segments, read back without a finding`, async () => {
        const mapping = config.mappingFor(undefined, { format: 'x12', message, version, direction: 'outbound' });
        expect(mapping?.file).toBe(`_base/x12-${version}-${message}.outbound.yaml`);
        const { value, problems } = await mapping!.fromCanonical(document);
        expect(problems).toEqual([]);
        const text = writeInterchange({
          delimiters: version === '005010' ? DEFAULT_DELIMITERS_5010 : DEFAULT_DELIMITERS_4010,
          interchange: { senderQualifier: 'ZZ', senderId: 'BUYERCO', receiverQualifier: 'ZZ', receiverId: 'NORTHWIND3PL', date: '261201', time: '1200', controlNumber: 5 },
          groups: [{ group: { functionalId, senderCode: 'BUYERCO', receiverCode: 'NORTHWIND3PL', date: '20261201', time: '1200', controlNumber: 5, version }, transactions: [{ tree: value as WireTree, controlNumber: '0001' }] }],
        });
        expect(text.split('~').map((s) => s.trim()).filter((s) => s && !/^(ISA|GS|GE|IEA)\*/.test(s))).toEqual(want[message]);
        const items = parseX12(text);
        for (const i of items) if ('errors' in i) expect(i.errors).toEqual([]);
        expect(items.find((i) => i.kind === 'transaction')).toMatchObject({ accepted: true, transaction: { id: message } });
      });
    }
  }
});

describe('outbound INSDES D01B (warehouse_order)', () => {
  it('the expected segments, read back against the D01B INSDES table without a finding', async () => {
    const order = {
      orderNumber: 'WO-1001', orderDate: '2026-12-01', purpose: 'original', poNumber: 'PO-1001', requestedShipDate: '2026-12-03', instructions: 'CALL BEFORE DELIVERY',
      shipTo: { name: 'GLOBEX RETAIL 12', id: '4012345000115', idQualifier: '9', address: { lines: ['400 MARKET ST'], city: 'DAYTON', region: 'OH', postalCode: '45402', country: 'US' } },
      warehouse: { id: '4012345000207', idQualifier: '9' }, carrier: { scac: 'ABFS' },
      lines: [
        { lineNumber: '1', gtin: '4000862141404', vendorPartNumber: 'AC-100', quantityOrdered: 10, unitOfMeasure: 'PCE', description: 'WIDGET, BLUE' },
        { lineNumber: '2', buyerPartNumber: 'BUY-2', quantityOrdered: 2.5, unitOfMeasure: 'KGM', lotNumber: 'L42' },
      ],
      totals: { lineCount: 2 },
    };
    const mapping = config.mappingFor(undefined, { format: 'edifact', message: 'INSDES', version: 'D01B', direction: 'outbound' });
    expect(mapping?.file).toBe('_base/edifact-d01b-insdes.outbound.yaml');
    const out = await mapping!.fromCanonical(order);
    expect(out.problems).toEqual([]);
    const bytes = writeEdifact({
      header: { syntax: { id: 'UNOC', version: '3' }, sender: { id: '5412345000013', qualifier: '14' }, recipient: { id: '4012345000207', qualifier: '14' }, date: '261201', time: '1200', controlReference: 'INS0001', testIndicator: false },
      messages: [{ header: { reference: '1', type: 'INSDES', version: 'D', release: '01B', agency: 'UN' }, tree: out.value as WireTree }], lineEnding: '\n',
    });
    // by hand from the D01B INSDES table and the UNCL: DTM 137/10 (102 CCYYMMDD), FTX DIN delivery
    // instructions, RFF ON order number, NAD ST with C082 id and agency 9, WH warehouse keeper,
    // TDT 20 main carriage with C040 3127 and 3055 182 (SCAC), LIN with EN, PIA 5 SA/IN, QTY 21, GIN BX batch, UNS S, CNT 2 lines
    expect(Buffer.from(bytes).toString().split('\n').slice(1, -2)).toEqual([
      "UNH+1+INSDES:D:01B:UN'", "BGM++WO-1001+9'", "DTM+137:20261201:102'", "DTM+10:20261203:102'", "FTX+DIN+++CALL BEFORE DELIVERY'", "RFF+ON:PO-1001'",
      "NAD+ST+4012345000115::9++GLOBEX RETAIL 12+400 MARKET ST+DAYTON+OH+45402+US'", "NAD+WH+4012345000207::9'", "TDT+20++++ABFS::182'",
      "LIN+1++4000862141404:EN'", "PIA+5+AC-100:SA'", "IMD+F++:::WIDGET, BLUE'", "QTY+21:10:PCE'", "LIN+2'", "PIA+5+BUY-2:IN'", "QTY+21:2.5:KGM'", "GIN+BX+L42'",
      "UNS+S'", "CNT+2:2'", "UNT+20+1'",
    ]);
    const ic = parseEdifact(Buffer.from(bytes))[0]!;
    expect(ic.errors).toEqual([]);
    expect(ic.messages.map((m) => [m.grammarVersion, m.errors])).toEqual([['D01B', []]]);
  });
});

describe('INVRPT across directories', () => {
  // from D97A each quantity group starts with INV (D96A: with QTY); D07A renumbers the groups:
  // the D97A base, the nearest for D97A..D18A, reads the quantities of every later directory
  for (const v of ['01B', '07A', '18A']) {
    it(`an INVRPT D${v} keeps its quantities (on hand 1200 and 7 PCE) through the D97A base`, async () => {
      const text = read('edifact-d97a/invrpt-inv-groups/input.edi').toString('latin1').replace(':D:97A:UN', `:D:${v}:UN`);
      const got = await translateFile(deps, Buffer.from(text, 'latin1'), {});
      expect(got.errors).toEqual([]);
      expect(got.documents[0]!.mappingFile).toBe('_base/edifact-d97a-invrpt.inbound.yaml');
      expect((got.documents[0]!.document as { items: Array<{ quantityOnHand?: number; unitOfMeasure?: string }> }).items
        .map((i) => [i.quantityOnHand, i.unitOfMeasure])).toEqual([[1200, 'PCE'], [7, 'PCE']]);
    });
  }
});

const sample = path.resolve(repoRoot, '../shared/conformance/x12/staedi_214_ellipsis_segment_terminator.edi');
describe('real 214 sample (../shared/conformance/x12)', () => {
  if (!existsSync(sample)) {
    it.skip(`staedi_214_ellipsis_segment_terminator.edi is absent (${sample}): the real 214 is not checked`, () => {});
    return;
  }
  // read by hand from the file: B10*0542550913*7727019*XXXX, L11*900169*PO, N1*SH HEATCO INC /
  // N1*CN ADDISON HVAC LLC, AT7*AG*NS***20200911*1159*ET (estimated delivery), AT7*AF*NS***20200910*1135*ET
  // (departed pick-up); ET in September is daylight time, -04:00
  it('maps to a shipment status with both milestones at -04:00 and the AG milestone as the ETA', async () => {
    const got = await translateFile(deps, readFileSync(sample), {});
    expect(got.errors).toEqual([]);
    expect(got.documents).toHaveLength(1);
    expect(got.documents[0]!.type).toBe('shipment_status');
    expect(got.documents[0]!.document).toMatchObject({
      shipmentId: '7727019', proNumber: '0542550913', poNumbers: ['900169'], carrier: { scac: 'XXXX' },
      shipper: { name: 'HEATCO INC' }, consignee: { name: 'ADDISON HVAC LLC' },
      milestones: [
        { event: 'in_transit', statusCode: 'AG', reasonCode: 'NS', occurredAt: '2020-09-11T11:59:00-04:00', estimatedDeliveryAt: '2020-09-11T11:59:00-04:00' },
        { event: 'pickup', statusCode: 'AF', reasonCode: 'NS', occurredAt: '2020-09-10T11:35:00-04:00' },
      ],
    });
  });
});
