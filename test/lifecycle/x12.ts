/**
 * Builds one X12 004010 interchange with one functional group and one transaction set around the
 * given body segments (ISA fixed width, SE01 counted, GE/IEA counts), for the lifecycle stories.
 */
export function interchange(opts: {
  /** ISA05 qualifier and ISA06 of the sender */
  sender: { qualifier: string; id: string };
  receiver?: { qualifier: string; id: string };
  /** GS01 functional identifier: SH 856, IN 810, SW 945, RE 944, QM 214 */
  functionalId: string;
  set: string;
  control: number;
  /** YYMMDD and HHMM of the envelope */
  date?: string;
  time?: string;
  segments: string[];
}): string {
  const receiver = opts.receiver ?? { qualifier: 'ZZ', id: 'BUYERCO' };
  const date = opts.date ?? '261205';
  const time = opts.time ?? '1000';
  const isa13 = String(opts.control).padStart(9, '0');
  const st = [`ST*${opts.set}*0001`, ...opts.segments];
  return [
    `ISA*00*          *00*          *${opts.sender.qualifier}*${opts.sender.id.padEnd(15)}*${receiver.qualifier}*${receiver.id.padEnd(15)}*${date}*${time}*U*00401*${isa13}*0*P*>`,
    `GS*${opts.functionalId}*${opts.sender.id}*${receiver.id}*20${date}*${time}*${opts.control}*X*004010`,
    ...st,
    `SE*${st.length + 1}*0001`,
    `GE*1*${opts.control}`,
    `IEA*1*${isa13}`,
  ].map((s) => `${s}~`).join('\n') + '\n';
}
