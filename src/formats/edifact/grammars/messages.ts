/**
 * Message tables (segment groups nested) for ORDERS, ORDRSP, DESADV and INVOIC. Written from
 * the UNTDID D96A message structures; D01B uses the same group structure with the D01B segment
 * directory. THE D01B GROUP NUMBERS ARE KNOWN TO BE WRONG; they are kept because D01B messages
 * are translated with the D96A base mappings (nearest version, config/mapping-resolve.ts), which
 * address lines by these group ids. What D01B really numbers, from EANCOM 2002 (a D.01B subset
 * that keeps the UN group numbers):
 *  - ORDERS D.01B: line item group is SG28 (C 200000, LIN-PIA-IMD-MEA-QTY-DTM-MOA-FTX-...),
 *    GS1 in Europe eORDERS V2.0 (UNH ...ORDERS:D:01B:UN:EAN010),
 *    https://www.gs1-germany.de/internet/common/files/eEurope_english/orders/german/all/h5113.htm
 *  - ORDRSP D.01B: line item group is SG26 (C 200000, ...-SG30-SG31-SG32-SG35-SG36-SG37-SG41-SG47),
 *    PAC group SG32 with PCI group SG34: EANCOM 2002 S4 ORDRSP segments layout,
 *    http://eancom.com/ean02s4/part2/ordrsp/0570.htm (so ORDERS and ORDRSP do not share a table in D01B)
 *  - INVOIC D.01B: line item group is SG26 (C 9999999, ...-SG27-SG28-SG29-SG30-SG31-SG33-SG34-SG35-SG39-...),
 *    GS1 in Europe eInvoice V1.0 segments layout, http://aide.tie.free.fr/edifact/e-invoicing/all/english/h56d.htm
 *  - DESADV D.01B: not verified (no D.01B source found; EANCOM 2002 DESADV keeps SG10 CPS / SG11 PAC).
 * The complete UN D.01B segment tables (every UN segment and sub-group, not only EANCOM's subset)
 * were not available, so the tables below were not rewritten: a D.01B table needs them, and D.01B
 * base mappings that address the D.01B groups.
 */
import type { LoopUse, MessageGrammar, SegmentDef, SegmentUse } from '../../grammar.ts';
import { C, M, g, s } from './dsl.ts';

type Node = SegmentUse | LoopUse;
const rffDtm = (id: string, max: number, dtm = 5): LoopUse => g(id, C, max, [s('RFF', M, 1), s('DTM', C, dtm)]);
const ctaCom = (id: string): LoopUse => g(id, C, 5, [s('CTA', M, 1), s('COM', C, 5)]);
const docDtm = (id: string): LoopUse => g(id, C, 5, [s('DOC', M, 1), s('DTM', C, 5)]);
const rng = (id: string, trigger: string, max: number): LoopUse => g(id, C, max, [s(trigger, M, 1), s('RNG', C, 1)]);
const taxMoa = (id: string): LoopUse => g(id, C, 5, [s('TAX', M, 1), s('MOA', C, 1)]);
const inf = Number.POSITIVE_INFINITY;
void inf;

/** ALC group with its QTY/PCD/MOA/RTE/TAX sub-groups numbered from n */
function alc(id: string, n: number, max: number, extra: Node[] = []): LoopUse {
  return g(id, C, max, [s('ALC', M, 1), s('ALI', C, 5), s('DTM', C, 5), ...extra,
    rng(`SG${n}`, 'QTY', 1), rng(`SG${n + 1}`, 'PCD', 1), rng(`SG${n + 2}`, 'MOA', 2), rng(`SG${n + 3}`, 'RTE', 1), taxMoa(`SG${n + 4}`)]);
}

/** ORDERS and ORDRSP share one table in D96A. */
function ordersBody(): Node[] {
  return [
    s('UNH', M, 1), s('BGM', M, 1), s('DTM', M, 35), s('PAI', C, 1), s('ALI', C, 5), s('IMD', C, 1), s('FTX', C, 99),
    rffDtm('SG1', 10),
    g('SG2', C, 99, [s('NAD', M, 1), s('LOC', C, 25), s('FII', C, 5), rffDtm('SG3', 10), docDtm('SG4'), ctaCom('SG5')]),
    g('SG6', C, 5, [s('TAX', M, 1), s('MOA', C, 1), s('LOC', C, 5)]),
    g('SG7', C, 5, [s('CUX', M, 1), s('PCD', C, 5), s('DTM', C, 5)]),
    g('SG8', C, 10, [s('PAT', M, 1), s('DTM', C, 5), s('PCD', C, 1), s('MOA', C, 1)]),
    g('SG9', C, 10, [s('TDT', M, 1), g('SG10', C, 10, [s('LOC', M, 1), s('DTM', C, 5)])]),
    g('SG11', C, 5, [s('TOD', M, 1), s('LOC', C, 2)]),
    g('SG12', C, 10, [s('PAC', M, 1), s('MEA', C, 5), g('SG13', C, 5, [s('PCI', M, 1), s('RFF', C, 1), s('DTM', C, 5), s('GIN', C, 10)])]),
    g('SG14', C, 10, [s('EQD', M, 1), s('HAN', C, 5), s('MEA', C, 5), s('FTX', C, 5)]),
    g('SG15', C, 10, [s('SCC', M, 1), s('FTX', C, 5), s('RFF', C, 5), g('SG16', C, 10, [s('QTY', M, 1), s('DTM', C, 5)])]),
    g('SG17', C, 25, [s('APR', M, 1), s('DTM', C, 5), s('RNG', C, 1)]),
    alc('SG18', 19, 15),
    g('SG24', C, 10, [s('RCS', M, 1), s('RFF', C, 5), s('DTM', C, 5), s('FTX', C, 5)]),
    g('SG25', C, 200000, [
      s('LIN', M, 1), s('PIA', C, 25), s('IMD', C, 99), s('MEA', C, 5), s('QTY', C, 10), s('PCD', C, 5), s('ALI', C, 5), s('DTM', C, 35),
      s('MOA', C, 5), s('GIN', C, 127), s('GIR', C, 1000), s('QVR', C, 1), s('DOC', C, 5), s('PAI', C, 1), s('FTX', C, 99),
      g('SG26', C, 999, [s('CCI', M, 1), s('CAV', C, 10), s('MEA', C, 10)]),
      g('SG27', C, 10, [s('PAT', M, 1), s('DTM', C, 5), s('PCD', C, 1), s('MOA', C, 1)]),
      g('SG28', C, 25, [s('PRI', M, 1), s('CUX', C, 1), s('APR', C, 1), s('RNG', C, 1), s('DTM', C, 5)]),
      rffDtm('SG29', 10),
      g('SG30', C, 10, [s('PAC', M, 1), s('MEA', C, 5), s('QTY', C, 5), s('DTM', C, 5), g('SG31', C, 1, [s('RFF', M, 1), s('DTM', C, 5)]),
        g('SG32', C, 10, [s('PCI', M, 1), s('RFF', C, 1), s('DTM', C, 5), s('GIN', C, 10)])]),
      g('SG33', C, 9999, [s('LOC', M, 1), s('QTY', C, 1), s('DTM', C, 5)]),
      g('SG34', C, 10, [s('TAX', M, 1), s('MOA', C, 1), s('LOC', C, 5)]),
      g('SG35', C, 999, [s('NAD', M, 1), s('LOC', C, 5), rffDtm('SG36', 10), docDtm('SG37'), ctaCom('SG38')]),
      alc('SG39', 40, 15),
      g('SG45', C, 10, [s('TDT', M, 1), g('SG46', C, 10, [s('LOC', M, 1), s('DTM', C, 5)])]),
      g('SG47', C, 5, [s('TOD', M, 1), s('LOC', C, 2)]),
      g('SG48', C, 10, [s('EQD', M, 1), s('HAN', C, 5), s('MEA', C, 5), s('FTX', C, 5)]),
      g('SG49', C, 100, [s('SCC', M, 1), s('FTX', C, 5), s('RFF', C, 5), g('SG50', C, 10, [s('QTY', M, 1), s('DTM', C, 5)])]),
      g('SG51', C, 10, [s('RCS', M, 1), s('RFF', C, 5), s('DTM', C, 5), s('FTX', C, 5)]),
    ]),
    s('UNS', M, 1), s('MOA', C, 12), s('CNT', C, 10), s('UNT', M, 1),
  ];
}

function desadvBody(): Node[] {
  return [
    s('UNH', M, 1), s('BGM', M, 1), s('DTM', C, 10), s('ALI', C, 5), s('MEA', C, 5), s('MOA', C, 5),
    rffDtm('SG1', 10),
    g('SG2', C, 99, [s('NAD', M, 1), s('LOC', C, 10), rffDtm('SG3', 10), ctaCom('SG4')]),
    g('SG5', C, 10, [s('TOD', M, 1), s('LOC', C, 5), s('FTX', C, 5)]),
    g('SG6', C, 10, [s('TDT', M, 1), s('PCD', C, 1), g('SG7', C, 10, [s('LOC', M, 1), s('DTM', C, 5)])]),
    g('SG8', C, 10, [s('EQD', M, 1), s('MEA', C, 5), s('SEL', C, 25), s('EQA', C, 5), g('SG9', C, 10, [s('HAN', M, 1), s('FTX', C, 10)])]),
    g('SG10', C, 9999, [s('CPS', M, 1), s('FTX', C, 5),
      g('SG11', C, 9999, [s('PAC', M, 1), s('MEA', C, 10), s('QTY', C, 10), g('SG12', C, 10, [s('HAN', M, 1), s('FTX', C, 10)]),
        g('SG13', C, 1000, [s('PCI', M, 1), s('RFF', C, 1), s('DTM', C, 5), s('GIR', C, 99), g('SG14', C, 99, [s('GIN', M, 1), s('DLM', C, 100)])])]),
      g('SG15', C, 9999, [s('LIN', M, 1), s('PIA', C, 10), s('IMD', C, 25), s('MEA', C, 10), s('QTY', C, 10), s('ALI', C, 10), s('GIN', C, 100),
        s('GIR', C, 100), s('DLM', C, 100), s('DTM', C, 5), s('FTX', C, 5), s('MOA', C, 5),
        rffDtm('SG16', 10), g('SG17', C, 10, [s('DGS', M, 1), s('QTY', C, 1), s('FTX', C, 5)]),
        g('SG18', C, 100, [s('LOC', M, 1), s('NAD', C, 1), s('DTM', C, 1), s('QTY', C, 10)]),
        g('SG19', C, 1000, [s('SGP', M, 1), s('QTY', C, 10)]),
        g('SG20', C, 1000, [s('PCI', M, 1), s('DTM', C, 5), s('MEA', C, 10), s('QTY', C, 1), g('SG21', C, 10, [s('GIN', M, 1), s('DLM', C, 100)]),
          g('SG22', C, 10, [s('HAN', M, 1), s('FTX', C, 5)])])]),
    ]),
    s('CNT', C, 5), s('UNT', M, 1),
  ];
}

function invoicBody(): Node[] {
  return [
    s('UNH', M, 1), s('BGM', M, 1), s('DTM', M, 35), s('PAI', C, 1), s('ALI', C, 5), s('IMD', C, 1), s('FTX', C, 99),
    rffDtm('SG1', 99),
    g('SG2', C, 99, [s('NAD', M, 1), s('LOC', C, 25), s('FII', C, 5), rffDtm('SG3', 9999), docDtm('SG4'), ctaCom('SG5')]),
    g('SG6', C, 5, [s('TAX', M, 1), s('MOA', C, 1), s('LOC', C, 5)]),
    g('SG7', C, 5, [s('CUX', M, 1), s('DTM', C, 5)]),
    g('SG8', C, 10, [s('PAT', M, 1), s('DTM', C, 5), s('PCD', C, 1), s('MOA', C, 1)]),
    g('SG9', C, 10, [s('TDT', M, 1), g('SG10', C, 10, [s('LOC', M, 1), s('DTM', C, 5)])]),
    g('SG11', C, 5, [s('TOD', M, 1), s('LOC', C, 2)]),
    g('SG12', C, 1000, [s('PAC', M, 1), s('MEA', C, 5), g('SG13', C, 5, [s('PCI', M, 1), s('RFF', C, 1), s('DTM', C, 5), s('GIN', C, 5)])]),
    g('SG14', C, 99, [s('EQD', M, 1), s('SEL', C, 9)]),
    alc('SG15', 16, 15, [s('FTX', C, 1)]),
    g('SG21', C, 100, [s('RCS', M, 1), s('RFF', C, 5), s('DTM', C, 5), s('FTX', C, 5)]),
    g('SG22', C, 1, [s('AJT', M, 1), s('FTX', C, 5)]),
    g('SG23', C, 1, [s('INP', M, 1), s('FTX', C, 5)]),
    g('SG25', C, 9999999, [
      s('LIN', M, 1), s('PIA', C, 25), s('IMD', C, 10), s('MEA', C, 5), s('QTY', C, 5), s('PCD', C, 1), s('ALI', C, 5), s('DTM', C, 35),
      s('GIN', C, 1000), s('GIR', C, 1000), s('QVR', C, 1), s('EQD', C, 1), s('FTX', C, 5),
      g('SG26', C, 99, [s('MOA', M, 1), s('CUX', C, 1)]),
      g('SG27', C, 10, [s('PAT', M, 1), s('DTM', C, 5), s('PCD', C, 1), s('MOA', C, 1)]),
      g('SG28', C, 25, [s('PRI', M, 1), s('CUX', C, 1), s('APR', C, 1), s('RNG', C, 1), s('DTM', C, 5)]),
      rffDtm('SG29', 10),
      g('SG30', C, 10, [s('PAC', M, 1), s('MEA', C, 10), s('EQD', C, 1), g('SG31', C, 10, [s('PCI', M, 1), s('RFF', C, 1), s('DTM', C, 5), s('GIN', C, 10)])]),
      g('SG32', C, 9999, [s('LOC', M, 1), s('QTY', C, 100), s('DTM', C, 5)]),
      g('SG33', C, 99, [s('TAX', M, 1), s('MOA', C, 1), s('LOC', C, 5)]),
      g('SG34', C, 99, [s('NAD', M, 1), s('LOC', C, 5), rffDtm('SG35', 5), docDtm('SG36'), ctaCom('SG37')]),
      alc('SG38', 39, 15, [s('FTX', C, 1)]),
      g('SG44', C, 10, [s('TDT', M, 1), g('SG45', C, 10, [s('LOC', M, 1), s('DTM', C, 5)])]),
      g('SG46', C, 5, [s('TOD', M, 1), s('LOC', C, 2)]),
      g('SG47', C, 100, [s('RCS', M, 1), s('RFF', C, 5), s('DTM', C, 5), s('FTX', C, 5)]),
    ]),
    s('UNS', M, 1), s('CNT', C, 10),
    g('SG48', C, 100, [s('MOA', M, 1), rffDtm('SG49', 1)]),
    g('SG50', C, 10, [s('TAX', M, 1), s('MOA', C, 9)]),
    g('SG51', C, 15, [s('ALC', M, 1), s('ALI', C, 1), s('MOA', C, 2)]),
    s('UNT', M, 1),
  ];
}

const NAMES: Record<string, string> = {
  ORDERS: 'Purchase order message', ORDRSP: 'Purchase order response message',
  DESADV: 'Despatch advice message', INVOIC: 'Invoice message',
};
const BODIES: Record<string, () => Node[]> = { ORDERS: ordersBody, ORDRSP: ordersBody, DESADV: desadvBody, INVOIC: invoicBody };

export function buildMessageGrammar(message: string, version: string, segments: Record<string, SegmentDef>): MessageGrammar {
  const body = BODIES[message];
  if (!body) throw new Error(`no message table for ${message}`);
  return { standard: 'edifact', message, version, name: NAMES[message] ?? message, children: body(), segments };
}
