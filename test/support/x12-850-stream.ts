/**
 * A large X12 4010 interchange of purchase orders from BuyerCo (test/support/buyer.ts), generated
 * as a stream of ~1 MB chunks so that neither the test nor the bench ever holds it whole. Set n
 * (1-based) is PO `PO-<n>` (ST02 n in 9 digits) with `lines` PO1 lines; line i orders i+1 EA of
 * `WID-<i>` (vendor part `AC-W<i>`) at 12.50, so any document can be checked by hand from its number.
 */
export interface Interchange850 {
  sets: number;
  /** exact length in bytes */
  bytes: number;
  chunks(): AsyncGenerator<Uint8Array>;
}

const head = (icn: string) => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${icn}*0*P*>~\n`
  + 'GS*PO*BUYERCO*GATEWAY*20261120*1030*1*X*004010~\n';

function setText(n: number, lines: number): string {
  const st = String(n).padStart(9, '0');
  let s = `ST*850*${st}~\nBEG*00*SA*PO-${n}**20261120~\n`;
  for (let i = 1; i <= lines; i++) s += `PO1*${i}*${i + 1}*EA*12.50**BP*WID-${i}*VP*AC-W${i}~\n`;
  return s + `CTT*${lines}~\nSE*${lines + 4}*${st}~\n`;
}

const tail = (sets: number, icn: string) => `GE*${sets}*1~\nIEA*1*${icn}~\n`;

/** the interchange of about `targetBytes` (whole sets: slightly more), ISA13 `interchange` */
export function interchange850(targetBytes: number, lines = 10, interchange = 1): Interchange850 {
  const icn = String(interchange).padStart(9, '0');
  let sets = 0;
  let bytes = head(icn).length;
  while (bytes < targetBytes) bytes += setText(++sets, lines).length;
  bytes += tail(sets, icn).length;
  return {
    sets, bytes,
    async *chunks() {
      let buf = head(icn);
      for (let n = 1; n <= sets; n++) {
        buf += setText(n, lines);
        if (buf.length >= 1 << 20) { yield Buffer.from(buf, 'latin1'); buf = ''; }
      }
      yield Buffer.from(buf + tail(sets, icn), 'latin1');
    },
  };
}
