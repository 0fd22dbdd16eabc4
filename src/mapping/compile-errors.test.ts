import { describe, expect, it } from 'vitest';
import type { MessageGrammar } from '../formats/grammar.ts';
import { compileMapping, formatProblem, MappingCompileError, type CompileOptions } from './index.ts';

/** A fragment of the 850 004010 grammar: enough for the checks. */
const grammar: MessageGrammar = {
  standard: 'x12',
  message: '850',
  version: '004010',
  name: 'Purchase Order',
  children: [
    { segment: 'ST' },
    { segment: 'BEG' },
    { segment: 'CUR' },
    { loop: 'N1', children: [{ segment: 'N1' }, { segment: 'N3' }, { segment: 'N4' }] },
    { loop: 'PO1', children: [{ segment: 'PO1' }, { loop: 'PID', children: [{ segment: 'PID' }] }] },
  ],
  segments: {
    ST: { tag: 'ST', name: 'Transaction Set Header', elements: [{ id: '143', name: 'Transaction Set Identifier Code' }, { id: '329', name: 'Control Number' }] },
    BEG: { tag: 'BEG', name: 'Beginning Segment for Purchase Order', elements: ['353', '92', '324', '328', '373'].map((id) => ({ id, name: id })) },
    CUR: { tag: 'CUR', name: 'Currency', elements: [{ id: '98', name: 'Entity Identifier Code' }, { id: '100', name: 'Currency Code' }] },
    N1: { tag: 'N1', name: 'Name', elements: ['98', '93', '66', '67'].map((id) => ({ id, name: id })) },
    N3: { tag: 'N3', name: 'Address', elements: ['166', '166'].map((id) => ({ id, name: id })) },
    N4: { tag: 'N4', name: 'Geographic Location', elements: ['19', '156', '116', '26'].map((id) => ({ id, name: id })) },
    PO1: { tag: 'PO1', name: 'Baseline Item Data', elements: ['350', '330', '355', '212', '639', '235', '234'].map((id) => ({ id, name: id })) },
    PID: { tag: 'PID', name: 'Product/Item Description', elements: ['349', '750', '559', '751', '352'].map((id) => ({ id, name: id })) },
  },
};

const HEAD = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\n';

function problemsOf(text: string, files: Record<string, string> = {}, withGrammar = true): string[] {
  const opts: CompileOptions = {
    load(file) {
      const t = files[file];
      if (t === undefined) throw new Error(`no such file: ${file}`);
      return { file, text: t };
    },
    ...(withGrammar ? { grammar: () => grammar } : {}),
  };
  try {
    compileMapping({ file: 'acme/x12-850.inbound.yaml', text }, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(MappingCompileError);
    expect((e as MappingCompileError).code).toBe('mapping_invalid');
    return (e as MappingCompileError).problems.map(formatProblem);
  }
  throw new Error('compiled without problems');
}

describe('compile-time checks: file:line:col, rule, message, hint', () => {
  it('unknown canonical field, with the nearest valid name from the JSON Schema', () => {
    expect(problemsOf(`${HEAD}fields:\n  poNumbr: BEG/03\n  lines:\n    each: PO1\n    fields:\n      quantty: PO1/02\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:3 unknown_field: "poNumbr" is not a field of the canonical purchase_order (hint: did you mean "poNumber"?)',
      'acme/x12-850.inbound.yaml:11:7 unknown_field: "lines.quantty" is not a field of the canonical purchase_order (hint: did you mean "quantity"?)',
    ]);
  });

  it('a field in a nested party object', () => {
    expect(problemsOf(`${HEAD}fields:\n  buyer:\n    within: "N1[01=BY]"\n    nam: N1/02\n`)).toEqual([
      'acme/x12-850.inbound.yaml:9:5 unknown_field: "buyer.nam" is not a field of the canonical purchase_order (hint: did you mean "name"?)',
    ]);
  });

  it('path into a segment the grammar does not have', () => {
    expect(problemsOf(`${HEAD}fields:\n  currency: "CUX[01=BY]/02"\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:13 not_in_grammar: path "CUX[01=BY]/02": segment CUX is not in the grammar of 850 004010 (hint: did you mean CUR?)',
    ]);
  });

  it('element position past the segment\'s last element', () => {
    expect(problemsOf(`${HEAD}fields:\n  poNumber: BEG/06\n  currency: "CUR[03=BY]/02"\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:13 element_out_of_range: path "BEG/06": element 06 is past the last element of BEG (BEG has 5 in 850 004010) (hint: element positions count from 01)',
      'acme/x12-850.inbound.yaml:8:13 element_out_of_range: path "CUR[03=BY]/02": element 03 is past the last element of CUR (CUR has 2 in 850 004010) (hint: element positions count from 01)',
    ]);
  });

  it('unknown transform', () => {
    expect(problemsOf(`${HEAD}fields:\n  poDate: { path: BEG/05, as: dat }\n  currency: { path: CUR/02, as: [trim, uppr] }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:31 unknown_transform: transform "dat" is unknown (hint: did you mean "date"?)',
      'acme/x12-850.inbound.yaml:8:40 unknown_transform: transform "uppr" is unknown (hint: did you mean "upper"?)',
    ]);
  });

  it('unknown template and unknown code table', () => {
    expect(problemsOf(`${HEAD}codeTables:\n  purpose: { "00": original }\ntemplates:\n  party: { name: N1/02 }\nfields:\n  buyer: { within: "N1[01=BY]", use: partie }\n  purpose: { path: BEG/01, codes: purpos }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:11:38 unknown_template: template "partie" is not defined under templates: (hint: did you mean "party"?)',
      'acme/x12-850.inbound.yaml:12:35 unknown_code_table: code table "purpos" is not defined under codeTables: (hint: did you mean "purpose"?)',
    ]);
  });

  it('a code table value the canonical enum does not allow', () => {
    expect(problemsOf(`${HEAD}fields:\n  purpose: { path: BEG/01, codes: { "00": orignal } }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:43 invalid_code_value: code table purpose.codes maps "00" to "orignal", which purpose does not allow (hint: use one of original, change, cancel)',
    ]);
  });

  it('bad path syntax', () => {
    expect(problemsOf(`${HEAD}fields:\n  requestedDeliveryDate: "DTM[01=002/02"\n  poNumber: "BEG/03/"\n  paymentTerms: "PO1/06~"\n  currency: "CUR[x]/02"\n`)).toEqual([
      `acme/x12-850.inbound.yaml:7:26 bad_path: bad path "DTM[01=002/02": '[' is not closed in "DTM[01=002/02" (hint: e.g. BEG/03, N1[01=ST]/02, PO1/06~BP, NAD[3035=ST]/C080/3036)`,
      'acme/x12-850.inbound.yaml:8:13 bad_path: bad path "BEG/03/": empty step in "BEG/03/" (hint: e.g. BEG/03, N1[01=ST]/02, PO1/06~BP, NAD[3035=ST]/C080/3036)',
      `acme/x12-850.inbound.yaml:9:17 bad_path: bad path "PO1/06~": qualifier after '~' is empty in "PO1/06~" (hint: e.g. BEG/03, N1[01=ST]/02, PO1/06~BP, NAD[3035=ST]/C080/3036)`,
      'acme/x12-850.inbound.yaml:10:13 bad_path: bad path "CUR[x]/02": predicate [x] must look like [01=BY] or [01=BY|ST] (hint: e.g. BEG/03, N1[01=ST]/02, PO1/06~BP, NAD[3035=ST]/C080/3036)',
    ]);
  });

  it('a value path that selects a segment, and each: that selects an element', () => {
    expect(problemsOf(`${HEAD}fields:\n  poNumber: BEG\n  lines:\n    each: PO1/01\n    fields:\n      quantity: PO1/02\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:13 bad_path: path "BEG" selects a segment, not an element value (hint: add the element position, e.g. BEG/01)',
      'acme/x12-850.inbound.yaml:9:11 bad_path: path "PO1/01" selects an element value; each:/within: need segments or loops (hint: drop the element position)',
    ]);
  });

  it('`extends` file missing', () => {
    expect(problemsOf('extends: _base/x12-004010-850.inbound.yml\nfields:\n  poNumber: BEG/03\n')).toEqual([
      'acme/x12-850.inbound.yaml:1:10 extends_missing: extends: _base/x12-004010-850.inbound.yml cannot be loaded (no such file: _base/x12-004010-850.inbound.yml) (hint: the path is relative to the mappings root, e.g. _base/x12-004010-850.inbound.yaml)',
    ]);
  });

  it('`extends` cycle', () => {
    const files = { 'a.yaml': 'extends: b.yaml\n', 'b.yaml': 'extends: acme/x12-850.inbound.yaml\n' };
    expect(problemsOf('extends: a.yaml\n', files)).toEqual([
      'b.yaml:1:10 extends_cycle: extends cycle: acme/x12-850.inbound.yaml -> a.yaml -> b.yaml -> acme/x12-850.inbound.yaml (hint: a base mapping must not extend a file that extends it)',
    ]);
  });

  it('template cycle', () => {
    expect(problemsOf(`${HEAD}templates:\n  a: { use: b }\n  b: { use: a }\nfields:\n  buyer: { within: "N1[01=BY]", use: a }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:8:13 template_cycle: template "a" uses itself (a -> b -> a)',
    ]);
  });

  it('header keys: missing, unknown, misspelled document type', () => {
    expect(problemsOf('format: x12\nmessage: "850"\ndirection: inbound\ndocument: purchase_ordr\nfeilds: {}\n')).toEqual([
      'acme/x12-850.inbound.yaml:5:1 unknown_key: "feilds" is not a mapping file key (hint: did you mean "fields"?)',
      'acme/x12-850.inbound.yaml:1:1 missing_key: version: is required for x12 and edifact (hint: e.g. "004010" or D96A)',
      'acme/x12-850.inbound.yaml:4:11 unknown_document: document "purchase_ordr" is not a canonical document type (hint: did you mean "purchase_order"?)',
    ]);
  });

  it('unknown rule keyword on a field', () => {
    expect(problemsOf(`${HEAD}fields:\n  poNumber: { path: BEG/03, requird: true }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:29 unknown_key: "requird" is not a rule keyword for poNumber (hint: did you mean "required"?)',
    ]);
  });

  it('YAML syntax errors', () => {
    const p = problemsOf(`${HEAD}fields:\n  poNumber: [BEG/03\n`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^acme\/x12-850\.inbound\.yaml:\d+:\d+ yaml_syntax: /);
  });

  it('a bad JSONata expression', () => {
    expect(problemsOf(`${HEAD}fields:\n  paymentTerms: { expr: "BEG.(" }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:7:25 bad_expression: paymentTerms: JSONata: Expected ")" before end of expression at character 5',
    ]);
  });

  it('EDIFACT-style element ids without a grammar: a clear error', () => {
    const head = 'format: edifact\nmessage: ORDERS\nversion: D96A\ndirection: inbound\ndocument: purchase_order\n';
    expect(problemsOf(`${head}fields:\n  poNumber: "BGM/C106/1004"\n`, {}, false)).toEqual([
      'acme/x12-850.inbound.yaml:7:13 grammar_required: path "BGM/C106/1004": element id C106 needs the message grammar, which is not available (hint: use element positions (01..99) when no grammar is available)',
    ]);
  });

  it('lists every problem at once, in the error message too', () => {
    try {
      compileMapping({ file: 'x.yaml', text: `${HEAD}fields:\n  poNumbr: BEG/03\n  poDate: { path: BEG/05, as: dat }\n` }, { load: () => { throw new Error('none'); } });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(
        'mapping x.yaml has 2 problems:\n' +
          '  x.yaml:7:3 unknown_field: "poNumbr" is not a field of the canonical purchase_order (hint: did you mean "poNumber"?)\n' +
          '  x.yaml:8:31 unknown_transform: transform "dat" is unknown (hint: did you mean "date"?)',
      );
    }
  });
});

describe('template parameters', () => {
  it('a template ${parameter} with no with: value is refused', () => {
    expect(problemsOf(`${HEAD}templates:\n  party: { within: "N1[01=\${code}]", name: N1/02 }\nfields:\n  buyer: { use: party }\n`)).toEqual([
      'acme/x12-850.inbound.yaml:9:17 template_parameter_missing: template "party" needs ${code} (hint: add with: { code: ... })',
    ]);
  });
});
