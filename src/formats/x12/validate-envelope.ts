/**
 * ISA / GS field checks. ISA findings carry TA1 note codes (I18); GS findings are reported on
 * the group (AK9 codes) or, when the GS cannot be used at all, on the interchange (TA1 024).
 */
import type { Element } from '../wire.ts';
import { TA1, type X12Error } from './errors.ts';
import { isValidDate, isValidTime } from './validate-elements.ts';

const str = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : e.join(''));

interface IsaRule { index: number; len: number; code: string; name: string; test?: (v: string) => boolean }

const ISA_RULES: IsaRule[] = [
  { index: 0, len: 2, code: TA1.invalidAuthQualifier, name: 'Authorization Information Qualifier', test: (v) => /^0[0-6]$/.test(v) },
  { index: 1, len: 10, code: TA1.invalidAuthValue, name: 'Authorization Information' },
  { index: 2, len: 2, code: TA1.invalidSecurityQualifier, name: 'Security Information Qualifier', test: (v) => v === '00' || v === '01' },
  { index: 3, len: 10, code: TA1.invalidSecurityValue, name: 'Security Information' },
  { index: 4, len: 2, code: TA1.invalidSenderQualifier, name: 'Interchange ID Qualifier (sender)', test: (v) => /^[0-9A-Z]{2}$/.test(v) },
  { index: 5, len: 15, code: TA1.invalidSenderId, name: 'Interchange Sender ID', test: (v) => v.trim().length > 0 },
  { index: 6, len: 2, code: TA1.invalidReceiverQualifier, name: 'Interchange ID Qualifier (receiver)', test: (v) => /^[0-9A-Z]{2}$/.test(v) },
  { index: 7, len: 15, code: TA1.invalidReceiverId, name: 'Interchange Receiver ID', test: (v) => v.trim().length > 0 },
  { index: 8, len: 6, code: TA1.invalidDate, name: 'Interchange Date', test: isValidDate },
  { index: 9, len: 4, code: TA1.invalidTime, name: 'Interchange Time', test: isValidTime },
  { index: 10, len: 1, code: TA1.invalidStandardsId, name: 'Interchange Control Standards Identifier / Repetition Separator' },
  { index: 11, len: 5, code: TA1.invalidVersion, name: 'Interchange Control Version Number', test: (v) => /^\d{5}$/.test(v) },
  { index: 12, len: 9, code: TA1.invalidControlNumber, name: 'Interchange Control Number', test: (v) => /^\d{9}$/.test(v) },
  { index: 13, len: 1, code: TA1.invalidAckRequested, name: 'Acknowledgment Requested', test: (v) => v === '0' || v === '1' },
  { index: 14, len: 1, code: TA1.invalidTestIndicator, name: 'Interchange Usage Indicator', test: (v) => v === 'P' || v === 'T' || v === 'I' },
  { index: 15, len: 1, code: TA1.invalidComponentSeparator, name: 'Component Element Separator' },
];

export function validateIsa(elements: Element[], controlNumber: string): X12Error[] {
  const out: X12Error[] = [];
  if (elements.length !== 16) {
    out.push({ error: 'x12_isa_element_count', level: 'interchange', code: TA1.invalidControlStructure, message: `ISA has ${elements.length} elements, expected 16`, segment: 'ISA', interchangeControlNumber: controlNumber, expected: '16', found: String(elements.length) });
  }
  for (const r of ISA_RULES) {
    const v = str(elements[r.index]);
    const pos = r.index + 1;
    if (v.length !== r.len || (r.test && !r.test(v))) {
      // the length is right: say what is wrong with the value (ISA09 '051513': month 15), else the length
      const why = v.length !== r.len ? `is invalid (fixed length ${r.len}, found ${v.length})` : `is invalid: ${valueProblem(r.index, v)}`;
      out.push({ error: 'x12_isa_invalid_field', level: 'interchange', code: r.code, message: `ISA${String(pos).padStart(2, '0')} (${r.name}) '${v}' ${why}`,
        segment: 'ISA', elementPosition: pos, interchangeControlNumber: controlNumber, found: v, expected: v.length !== r.len ? `${r.len} characters` : expectedValue(r.index) });
    }
  }
  const v11 = str(elements[10]); const v12 = str(elements[11]);
  if (v11.length === 1 && Number(v12) < 402 && v11 !== 'U') {
    // partners do send a repetition separator here before 00402: read on, say so (TA1 note 000: no error)
    out.push({ error: 'x12_isa11_not_u', level: 'interchange', code: TA1.noError, severity: 'warning', message: `ISA11 '${v11}' should be 'U' (U.S. EDI Community of ASC X12) before version 00402 (ISA12 '${v12}'); read as if it were 'U'`, segment: 'ISA', elementPosition: 11, interchangeControlNumber: controlNumber, found: v11, expected: 'U' });
  }
  return out;
}

/** What is wrong with a right-length ISA field (ISA09 date, ISA10 time, codes). */
function valueProblem(index: number, v: string): string {
  if (index === 8) {
    if (!/^\d{6}$/.test(v)) return 'not six digits YYMMDD';
    const m = Number(v.slice(2, 4));
    if (m < 1 || m > 12) return `month ${v.slice(2, 4)} is not 01-12 (YYMMDD)`;
    return `day ${v.slice(4, 6)} does not exist in month ${v.slice(2, 4)} (YYMMDD)`;
  }
  if (index === 9) {
    if (!/^\d{4}$/.test(v)) return 'not four digits HHMM';
    return Number(v.slice(0, 2)) > 23 ? `hour ${v.slice(0, 2)} is not 00-23 (HHMM)` : `minute ${v.slice(2, 4)} is not 00-59 (HHMM)`;
  }
  return `expected ${expectedValue(index)}`;
}

function expectedValue(index: number): string {
  return ({ 0: '00-06', 2: '00 or 01', 4: 'a qualifier of 2 letters or digits', 5: 'a sender id', 6: 'a qualifier of 2 letters or digits', 7: 'a receiver id',
    8: 'a date YYMMDD', 9: 'a time HHMM', 11: '5 digits', 12: '9 digits', 13: '0 or 1', 14: 'P, T or I' } as Record<number, string>)[index] ?? 'a valid value';
}

/** GS field checks: bad fields are TA1 024 (invalid GS); GS06 syntax and GS08 version are AK9 codes 6 and 2. */
export function validateGs(elements: Element[], controlNumber: string): X12Error[] {
  const out: X12Error[] = [];
  const f = (i: number): string => str(elements[i]);
  const bad = (pos: number, message: string, found: string): void => {
    out.push({ error: 'x12_gs_invalid_field', level: 'interchange', code: TA1.invalidContent, message: `GS${String(pos).padStart(2, '0')} ${message}`, segment: 'GS', elementPosition: pos, groupControlNumber: controlNumber, found });
  };
  if (!/^[A-Z0-9]{2}$/.test(f(0))) bad(1, `functional identifier '${f(0)}' is invalid`, f(0));
  if (f(1).length < 2 || f(1).length > 15) bad(2, 'application sender code must be 2-15 characters', f(1));
  if (f(2).length < 2 || f(2).length > 15) bad(3, 'application receiver code must be 2-15 characters', f(2));
  if (!((f(3).length === 8 || f(3).length === 6) && isValidDate(f(3)))) bad(4, `date '${f(3)}' is invalid`, f(3));
  if (!isValidTime(f(4))) bad(5, `time '${f(4)}' is invalid`, f(4));
  if (!/^\d{1,9}$/.test(f(5))) out.push({ error: 'x12_gs_invalid_control_number', level: 'group', code: '6', message: `GS06 '${f(5)}' is not a 1-9 digit number`, segment: 'GS', elementPosition: 6, groupControlNumber: controlNumber, found: f(5) });
  if (f(6) !== 'X' && f(6) !== 'T') bad(7, `responsible agency '${f(6)}' is invalid`, f(6));
  if (!/^\d{6}/.test(f(7))) out.push({ error: 'x12_gs_version_unsupported', level: 'group', code: '2', message: `GS08 version '${f(7)}' is not supported`, segment: 'GS', elementPosition: 8, groupControlNumber: controlNumber, found: f(7) });
  return out;
}
