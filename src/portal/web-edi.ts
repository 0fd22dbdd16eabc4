/**
 * Web EDI: what a supplier fills in on the portal becomes the canonical document an EDI file from
 * it would have become — a purchase_order_ack from the PO's lines (accept, change quantity, price
 * or date, reject, backorder), a ship_notice from the PO's lines (quantities, carrier, tracking,
 * SSCC per carton), an invoice from one of its ship notices (quantities shipped × the PO's prices).
 * Only the form is checked here (numbers, dates, lines of this PO, SSCC check digits): a form in
 * error is refused whole with the field named, and nothing is stored. The document then goes
 * through the partner's pipeline (web-edi-submit in src/server/portal/), so validation, the
 * lifecycle rules (over-shipment: warn or hold, as the partner's rules say) and exceptions apply.
 */
import { GatewayError } from '../core/errors.ts';

interface PoLine { lineNumber?: string; buyerPartNumber?: string; vendorPartNumber?: string; quantity: number; unitOfMeasure?: string; unitPrice?: number; description?: string }
export interface PurchaseOrderDoc { poNumber: string; poDate: string; currency?: string; lines: PoLine[]; requestedDeliveryDate?: string; shipTo?: unknown; buyer?: unknown; billTo?: unknown }
interface ShipNoticeDoc { shipmentId: string; orders: Array<{ poNumber: string; lines: Array<{ lineNumber?: string; quantityShipped: number; unitOfMeasure?: string; buyerPartNumber?: string; vendorPartNumber?: string }> }> }

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

/** the field's problem, with where it is: refused before anything is stored */
const bad = (field: string, message: string, found: unknown): GatewayError =>
  new GatewayError('form_invalid', `${field}: ${message}`, { field, found: found === undefined ? '(missing)' : String(found) });

function quantity(v: unknown, field: string, opts: { positive?: boolean } = {}): number {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (s.startsWith('-')) throw bad(field, `must not be negative, got "${s}"`, v);
  if (!DECIMAL.test(s)) throw bad(field, `must be a number such as 12 or 12.5, got "${v ?? ''}"`, v);
  const n = Number(s);
  if (opts.positive && n <= 0) throw bad(field, `must be more than 0, got "${s}"`, v);
  return n;
}
function date(v: unknown, field: string): string {
  if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(v))) throw bad(field, `must be a date YYYY-MM-DD, got "${v ?? ''}"`, v);
  return v;
}
function text(v: unknown, field: string, max: number, opts: { required?: boolean; pattern?: RegExp; hint?: string } = {}): string | undefined {
  const s = typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
  if (!s) { if (opts.required) throw bad(field, 'is required', v); return undefined; }
  if (s.length > max) throw bad(field, `must be at most ${max} characters, got ${s.length}`, v);
  if (opts.pattern && !opts.pattern.test(s)) throw bad(field, opts.hint ?? 'has characters that are not allowed', v);
  return s;
}
const money = (n: number) => Math.round(n * 100) / 100;
const lineKey = (l: { lineNumber?: string }, i: number) => l.lineNumber ?? String(i + 1);

/** GS1 SSCC: 18 digits, the last a mod-10 check digit (weights 3,1 from the right of the first 17) */
export function ssccProblem(s: string): string | undefined {
  if (!/^\d{18}$/.test(s)) return `must be 18 digits, got "${s}"`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * (i % 2 === 0 ? 3 : 1);
  const check = (10 - (sum % 10)) % 10;
  return check === Number(s[17]) ? undefined : `check digit should be ${check}, got ${s[17]}`;
}

export type AckAction = 'accept' | 'change' | 'reject' | 'backorder';

/** the PO acknowledged line by line: every PO line once */
export function buildPoAck(po: PurchaseOrderDoc, form: unknown, today: string) {
  const f = (form ?? {}) as { lines?: unknown; ackDate?: unknown };
  if (!Array.isArray(f.lines)) throw bad('lines', 'must list the purchase order\'s lines', f.lines);
  const byLine = new Map<string, Record<string, unknown>>();
  for (const [i, l] of (f.lines as Array<Record<string, unknown>>).entries()) {
    const n = String(l?.lineNumber ?? '');
    if (!po.lines.some((p, j) => lineKey(p, j) === n)) throw bad(`lines[${i}].lineNumber`, `PO ${po.poNumber} has no line "${n}"`, n);
    if (byLine.has(n)) throw bad(`lines[${i}].lineNumber`, `line ${n} is given twice`, n);
    byLine.set(n, l);
  }
  const lines = po.lines.map((p, j) => {
    const n = lineKey(p, j);
    const l = byLine.get(n);
    if (!l) throw bad(`line ${n}`, 'is not acknowledged (accept, change, reject or backorder it)', undefined);
    const action = l.action as AckAction;
    if (!['accept', 'change', 'reject', 'backorder'].includes(action)) throw bad(`line ${n}.action`, 'must be accept, change, reject or backorder', l.action);
    const qty = l.quantity === undefined || l.quantity === '' ? p.quantity : quantity(l.quantity, `line ${n}.quantity`);
    const price = l.unitPrice === undefined || l.unitPrice === '' ? p.unitPrice : quantity(l.unitPrice, `line ${n}.unitPrice`);
    const when = l.date === undefined || l.date === '' ? undefined : date(l.date, `line ${n}.date`);
    if (action === 'change' && qty === p.quantity && price === p.unitPrice && !when) throw bad(`line ${n}`, 'is marked changed but its quantity, price and date are as ordered', undefined);
    const status = action === 'accept' ? 'accepted' : action === 'change' ? 'changed' : action === 'reject' ? 'rejected' : 'backordered';
    return {
      lineNumber: n, status, quantity: action === 'reject' ? 0 : qty, ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}),
      ...(price !== undefined ? { unitPrice: price } : {}), ...(when ? { scheduledDeliveryDate: when } : {}),
      ...(p.buyerPartNumber ? { buyerPartNumber: p.buyerPartNumber } : {}), ...(p.vendorPartNumber ? { vendorPartNumber: p.vendorPartNumber } : {}),
    };
  });
  const statuses = new Set(lines.map((l) => l.status));
  const status = statuses.size === 1 && statuses.has('accepted') ? 'accepted' : statuses.size === 1 && statuses.has('rejected') ? 'rejected' : 'accepted_with_changes';
  return { poNumber: po.poNumber, ackDate: f.ackDate ? date(f.ackDate, 'ackDate') : today, status, lines };
}

/** a ship notice of this PO's lines; several entries of one line are its cartons (one SSCC each) */
export function buildShipNotice(po: PurchaseOrderDoc, form: unknown) {
  const f = (form ?? {}) as Record<string, unknown>;
  const shipmentId = text(f.shipmentId, 'shipmentId', 30, { required: true, pattern: /^[A-Za-z0-9._\-/]+$/, hint: 'letters, digits and . _ - / only' })!;
  const shipDate = date(f.shipDate, 'shipDate');
  const c = (f.carrier ?? {}) as Record<string, unknown>;
  const scac = text(c.scac, 'carrier.scac', 4, { pattern: /^[A-Z]{2,4}$/, hint: 'a SCAC is 2 to 4 capital letters' });
  const carrier = { ...(scac ? { scac } : {}), ...(text(c.name, 'carrier.name', 60) ? { name: text(c.name, 'carrier.name', 60) } : {}),
    ...(text(c.trackingNumber, 'carrier.trackingNumber', 50) ? { trackingNumber: text(c.trackingNumber, 'carrier.trackingNumber', 50) } : {}) };
  if (!Array.isArray(f.lines) || f.lines.length === 0) throw bad('lines', 'must list at least one line shipped', f.lines);
  const ssccs = new Set<string>();
  const lines = (f.lines as Array<Record<string, unknown>>).flatMap((l, i) => {
    const n = String(l?.lineNumber ?? '');
    const p = po.lines.find((x, j) => lineKey(x, j) === n);
    if (!p) throw bad(`lines[${i}].lineNumber`, `PO ${po.poNumber} has no line "${n}"`, n);
    const qty = quantity(l.quantity, `line ${n}.quantity`);
    const sscc = text(l.sscc, `line ${n}.sscc`, 18);
    if (sscc) {
      const problem = ssccProblem(sscc);
      if (problem) throw bad(`line ${n}.sscc`, problem, sscc);
      if (ssccs.has(sscc)) throw bad(`line ${n}.sscc`, `carton ${sscc} is given twice`, sscc);
      ssccs.add(sscc);
    }
    if (qty === 0) return [];
    return [{ lineNumber: n, quantityShipped: qty, ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}),
      ...(p.buyerPartNumber ? { buyerPartNumber: p.buyerPartNumber } : {}), ...(p.vendorPartNumber ? { vendorPartNumber: p.vendorPartNumber } : {}), ...(sscc ? { sscc } : {}) }];
  });
  if (lines.length === 0) throw bad('lines', 'ship at least one line with a quantity above 0', undefined);
  return { shipmentId, shipDate, ...(Object.keys(carrier).length ? { carrier } : {}), ...(ssccs.size ? { packageCount: ssccs.size } : {}), orders: [{ poNumber: po.poNumber, lines }] };
}

/** an invoice of what one ship notice shipped against this PO, at the PO's prices */
export function buildInvoice(po: PurchaseOrderDoc, asn: ShipNoticeDoc, form: unknown) {
  const f = (form ?? {}) as Record<string, unknown>;
  const invoiceNumber = text(f.invoiceNumber, 'invoiceNumber', 22, { required: true, pattern: /^[A-Za-z0-9._\-/]+$/, hint: 'letters, digits and . _ - / only' })!;
  const invoiceDate = date(f.invoiceDate, 'invoiceDate');
  const shipped = new Map<string, number>();
  for (const o of asn.orders.filter((o) => o.poNumber === po.poNumber)) {
    for (const l of o.lines) shipped.set(l.lineNumber ?? '', (shipped.get(l.lineNumber ?? '') ?? 0) + l.quantityShipped);
  }
  const lines = po.lines.flatMap((p, j) => {
    const qty = shipped.get(lineKey(p, j));
    if (!qty) return [];
    if (p.unitPrice === undefined) throw bad(`line ${lineKey(p, j)}`, 'the purchase order gives no unit price to invoice at', undefined);
    return [{ lineNumber: lineKey(p, j), quantityInvoiced: qty, ...(p.unitOfMeasure ? { unitOfMeasure: p.unitOfMeasure } : {}), unitPrice: p.unitPrice,
      amount: money(qty * p.unitPrice), ...(p.buyerPartNumber ? { buyerPartNumber: p.buyerPartNumber } : {}), ...(p.vendorPartNumber ? { vendorPartNumber: p.vendorPartNumber } : {}) }];
  });
  if (lines.length === 0) throw bad('shipmentId', `ship notice ${asn.shipmentId} ships nothing of PO ${po.poNumber}`, asn.shipmentId);
  return { invoiceNumber, invoiceDate, poNumber: po.poNumber, ...(po.currency ? { currency: po.currency } : {}), lines, totalAmount: money(lines.reduce((s, l) => s + l.amount, 0)) };
}
