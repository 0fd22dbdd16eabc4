/** A partner's 997 for one of our groups, written by hand (X12 004010: AK1 group, AK2 set, AK5, AK9). */
export function partner997(o: { from: string; to?: string; icn: number; groupControlNumber: string; transactionControlNumber: string; accepted: boolean }): string {
  const pad = (s: string, n: number) => s.padEnd(n, ' ');
  const icn = String(o.icn).padStart(9, '0');
  const to = o.to ?? 'EDIGW';
  const body = [
    'ST*997*0001',
    `AK1*PO*${o.groupControlNumber}`,
    `AK2*850*${o.transactionControlNumber}`,
    ...(o.accepted ? ['AK5*A'] : ['AK3*PO1*6**8', 'AK4*2*330*1', 'AK5*R*5']),
    o.accepted ? 'AK9*A*1*1*1' : 'AK9*R*1*1*0',
  ];
  return [
    `ISA*00*          *00*          *ZZ*${pad(o.from, 15)}*ZZ*${pad(to, 15)}*261120*1000*U*00401*${icn}*0*P*>`,
    `GS*FA*${o.from}*${to}*20261120*1000*${o.icn}*X*004010`,
    ...body,
    `SE*${body.length + 1}*0001`,
    `GE*1*${o.icn}`,
    `IEA*1*${icn}`,
  ].map((s) => s + '~').join('\n') + '\n';
}
