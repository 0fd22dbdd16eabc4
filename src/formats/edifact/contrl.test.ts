import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseEdifact, type EdifactInterchange } from './reader.ts';
import { buildContrl } from './contrl.ts';
import { parseContrl, reconcileContrl } from './contrl-read.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/edifact');
const read = (text: string | Buffer): EdifactInterchange => parseEdifact(text)[0] as EdifactInterchange;
const opts = { controlReference: 'CTL1', date: '261123', time: '1200', lineEnding: '\n' };

describe('CONTRL', () => {
  it('acknowledges a clean interchange (UCI action 7, UCM 7) with sender and recipient swapped', () => {
    const r = buildContrl(read(fs.readFileSync(path.join(fixtures, 'ordrsp-d96a.edi'))), opts);
    expect(r.outcome).toBe('accepted');
    expect(Buffer.from(r.bytes).toString()).toBe([
      "UNB+UNOA:3+4012345000009:14+5412345000013:14+261123:1200+CTL1'",
      "UNH+1+CONTRL:D:3:UN'",
      "UCI+RSP0001+5412345000013:14+4012345000009:14+7'",
      "UCM+RSP1+ORDRSP:D:96A:UN+7'",
      "UNT+4+1'",
      "UNZ+1+CTL1'", ''].join('\n'));
  });

  it('rejects a message with UCS/UCD detail: segment position, element and component position, 0085 code', () => {
    const text = "UNB+UNOA:3+S:ZZZ+R:ZZZ+260101:1200+77'UNH+9+INVOIC:D:96A:UN'BGM+380+I1+9'DTM+137:20260101:102'NAD+BYZZ+1::9'LIN+1++A:IN'QTY+47:12X:PCE'UNS+S'UNS+S'MOA+77:100'UNT+10+9'UNZ+1+77'";
    const r = buildContrl(read(text), opts);
    expect(r.outcome).toBe('rejected');
    expect(r.rejectedMessages).toEqual(['9']);
    const lines = Buffer.from(r.bytes).toString().split('\n');
    // hand-checked: NAD is segment 4 (3035 an..3 too long: 39), QTY segment 6 (6060 not numeric: 37 at 1:2), second UNS segment 8 (35); MOA+77 is there because INVOIC D96A's SG48 (MOA) is mandatory
    expect(lines.slice(2, 10)).toEqual([
      "UCI+77+S:ZZZ+R:ZZZ+7'", "UCM+9+INVOIC:D:96A:UN+4'", "UCS+4'", "UCD+39+1'", "UCS+6'", "UCD+37+1:2'", "UCS+8+35'", "UNT+9+1'",
    ]);
  });

  it('rejects the interchange in UCI when the envelope is wrong, and uses CONTRL:4:1:UN for syntax 4', () => {
    const text = "UNB+UNOB:4+S+R+20260101:1200+77'UNH+9+ORDRSP:D:96A:UN'BGM+231+R2+4+AP'DTM+137:20260101:102'UNS+S'UNT+5+9'UNZ+1+78'";
    const lines = Buffer.from(buildContrl(read(text), opts).bytes).toString().split('\n');
    expect(lines[1]).toBe("UNH+1+CONTRL:4:1:UN'");
    expect(lines[2]).toBe("UCI+77+S+R+4+28+UNZ+2'");
  });

  it('reads an inbound CONTRL into a reconciliation record against what we sent', () => {
    const contrl = "UNB+UNOA:3+ACME:14+GW:ZZZ+261124:0800+C9'UNH+1+CONTRL:D:3:UN'UCI+OUT55+GW:ZZZ+ACME:14+7'UCM+M1+ORDERS:D:96A:UN+7'UCM+M2+ORDERS:D:96A:UN+4'UCS+7'UCD+12+2:1'UNT+7+1'UNZ+1+C9'";
    const ic = read(contrl);
    expect(ic.messages[0]!.errors).toEqual([]);
    const report = parseContrl(ic.messages[0]!);
    expect(report).toMatchObject({ interchangeReference: 'OUT55', action: 'acknowledged', messages: [
      { reference: 'M1', action: 'acknowledged', segments: [] },
      { reference: 'M2', action: 'rejected', segments: [{ position: 7, elements: [{ code: '12', elementPosition: 2, componentPosition: 1 }] }] },
    ] });
    const rec = reconcileContrl(report, { controlReference: 'OUT55', messageReferences: ['M1', 'M2', 'M3'] });
    expect(rec).toEqual({ matches: true, interchangeAccepted: true, accepted: ['M1', 'M3'], rejected: [{ reference: 'M2', reasons: ['segment 7; element 2:1 error 12'] }], notMentioned: ['M3'] });
  });
});
