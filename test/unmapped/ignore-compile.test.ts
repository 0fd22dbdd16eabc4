/** `ignore:` is checked at load like the rest of a mapping: file:line:col, rule, message, hint. */
import { describe, expect, it } from 'vitest';
import { compileMapping, formatProblem, MappingCompileError } from '../../src/mapping/index.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';

const X12 = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\nfields:\n  poNumber: BEG/03\n';
const EDI = 'format: edifact\nmessage: ORDERS\nversion: D96A\ndirection: inbound\ndocument: purchase_order\nfields:\n  poNumber: BGM/1004\n';

function compile(text: string, files: Record<string, string> = {}) {
  return compileMapping({ file: 'acme/m.inbound.yaml', text }, {
    load: (file) => { const t = files[file]; if (t === undefined) throw new Error(`no such file: ${file}`); return { file, text: t }; },
    grammar: grammarFor,
  });
}
function problemsOf(text: string): string[] {
  try { compile(text); } catch (e) {
    expect(e).toBeInstanceOf(MappingCompileError);
    return (e as MappingCompileError).problems.map(formatProblem);
  }
  throw new Error('compiled without problems');
}

describe('ignore: in a mapping', () => {
  it('a typo in a tag, a missing reason, a qualifier where the report has none, a wrong qualifier position', () => {
    expect(problemsOf(`${X12}ignore:\n  - { path: "REX[01=DP]/02", reason: "x" }\n  - { path: "TD5/03" }\n  - { path: "TD5[01=A]/03", reason: "x" }\n  - { path: "REF[02=DP]", reason: "x" }\n  - PKG\n`)).toEqual([
      'acme/m.inbound.yaml:9:13 ignore_invalid: ignore: segment REX is not in the grammar of 850 004010 (hint: did you mean REF?)',
      'acme/m.inbound.yaml:10:5 ignore_reason_missing: ignore: TD5/03 has no reason: every dropped element says why (hint: - { path: "TD5/03", reason: "the canonical document has no field for it" })',
      'acme/m.inbound.yaml:11:13 ignore_invalid: ignore: TD5 is reported without a qualifier, so TD5[01=A] would never match (hint: write TD5 (every TD5) or name its element, e.g. TD5/03)',
      'acme/m.inbound.yaml:12:13 ignore_invalid: ignore: REF is reported qualified by element 01, not 02 (hint: write REF[01=DP])',
      'acme/m.inbound.yaml:13:5 ignore_invalid: an ignore: entry is a map with path: and reason: ("PKG" has no reason) (hint: - { path: "PKG", reason: "why it is dropped" })',
    ]);
  });

  it('EDIFACT: + qualifiers, element ids checked against the directory', () => {
    expect(problemsOf(`${EDI}ignore:\n  - { path: "DTM[01=137]/C507/2379", reason: "x" }\n  - { path: "DTM+137/C507/2378", reason: "x" }\n  - { path: "BGM/12", reason: "x" }\n`)).toEqual([
      'acme/m.inbound.yaml:9:13 ignore_invalid: ignore: DTM[01=137]: EDIFACT qualifiers are written DTM+137 (hint: write DTM+137 (the first component of the first element))',
      'acme/m.inbound.yaml:10:13 ignore_invalid: ignore: DTM/C507 has no component 2378 in ORDERS D96A (hint: DTM/C507 has 2005, 2380, 2379)',
      'acme/m.inbound.yaml:11:13 ignore_invalid: ignore: element 12 is past the last element of BGM (BGM has 4 in ORDERS D96A) (hint: use 01..04)',
    ]);
  });

  it("a partner's ignore: adds to its base's", () => {
    const base = `${X12}ignore:\n  - { path: "BEG/02", reason: "order type" }\n`;
    const m = compile('extends: base.yaml\nignore:\n  - { path: "PO1/06~ZZ", reason: "our own codes" }\n', { 'base.yaml': base });
    expect(m.ignore.map((e) => [e.path, e.reason, e.file])).toEqual([['BEG/02', 'order type', 'base.yaml'], ['PO1/06~ZZ', 'our own codes', 'acme/m.inbound.yaml']]);
  });
});
