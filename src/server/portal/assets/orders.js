import { get, post } from './api.js';
import { alertBox, badge, field, fmtTime, h, replace, section, table } from './dom.js';
import { outcomeBox, showError } from './outcome.js';

export async function ordersPage() {
  const r = await get('/portal/api/orders');
  return [h('h1', {}, 'Purchase orders'), table([
    { label: 'PO number', cell: (o) => h('a', { href: `#/orders/${encodeURIComponent(o.poNumber)}` }, o.poNumber) },
    { label: 'PO date', cell: (o) => o.poDate },
    { label: 'Lines', cell: (o) => String(o.lines), class: 'num' },
    { label: 'Received', cell: (o) => fmtTime(o.sentAt) },
    { label: 'Status', cell: (o) => [badge(o.status), o.overdue && o.status !== 'overdue' ? [' ', badge('overdue')] : null] },
  ], r.orders, 'No purchase orders yet.')];
}

const today = () => new Date().toISOString().slice(0, 10);
const num = (attrs) => h('input', { type: 'text', inputmode: 'decimal', size: '8', ...attrs });

/** the answer to the last form sent, shown again under that form once the page is drawn anew */
let flash = null;
const resultBox = (formId) => {
  const out = h('div', { class: 'result' });
  if (flash && flash.formId === formId) { replace(out, outcomeBox(flash.result)); flash = null; }
  return out;
};

/** one form's submit: the answer of the pipeline (accepted, warnings, errors) or the form's error */
function submitter(formId, out, path, collect, reload) {
  return async (ev) => {
    ev.preventDefault();
    try {
      const r = (await post(path, collect())).data;
      if (r.status !== 'processed') { replace(out, outcomeBox(r)); return; }
      // accepted: the order's status, timeline and ship notices change; draw the page again with the answer
      flash = { formId, result: r };
      await reload();
    } catch (e) { showError(out, e); }
  };
}

function ackForm(o, reload) {
  const rows = o.order.lines.map((l, i) => {
    const n = l.lineNumber ?? String(i + 1);
    const action = h('select', { name: `action-${n}`, 'data-line': n },
      ['accept', 'change', 'reject', 'backorder'].map((a) => h('option', { value: a }, a)));
    return { n, l, action, qty: num({ name: `qty-${n}`, placeholder: String(l.quantity) }), price: num({ name: `price-${n}`, placeholder: l.unitPrice === undefined ? '' : String(l.unitPrice) }), date: h('input', { type: 'date', name: `date-${n}` }) };
  });
  const out = resultBox('ack-form');
  const collect = () => ({ lines: rows.map((r) => ({ lineNumber: r.n, action: r.action.value, quantity: r.qty.value, unitPrice: r.price.value, date: r.date.value })) });
  return h('form', { id: 'ack-form', onsubmit: submitter('ack-form', out, `/portal/api/orders/${encodeURIComponent(o.poNumber)}/ack`, collect, reload) },
    table([
      { label: 'Line', cell: (r) => r.n },
      { label: 'Item', cell: (r) => `${r.l.buyerPartNumber ?? ''} ${r.l.description ?? ''}`.trim() },
      { label: 'Ordered', cell: (r) => `${r.l.quantity} ${r.l.unitOfMeasure ?? ''} at ${r.l.unitPrice ?? '?'}` },
      { label: 'Answer', cell: (r) => r.action },
      { label: 'Quantity', cell: (r) => r.qty },
      { label: 'Price', cell: (r) => r.price },
      { label: 'Delivery date', cell: (r) => r.date },
    ], rows),
    h('button', { type: 'submit' }, 'Send acknowledgement'), out);
}

function shipForm(o, reload) {
  const shipmentId = h('input', { name: 'shipmentId', required: true, maxlength: '30' });
  const shipDate = h('input', { name: 'shipDate', type: 'date', value: today(), required: true });
  const scac = h('input', { name: 'scac', maxlength: '4', size: '5' });
  const carrier = h('input', { name: 'carrier' });
  const tracking = h('input', { name: 'tracking' });
  const rows = o.order.lines.map((l, i) => ({ n: l.lineNumber ?? String(i + 1), l, qty: num({ name: `ship-qty-${l.lineNumber ?? i + 1}`, value: String(l.quantity) }), sscc: h('input', { name: `sscc-${l.lineNumber ?? i + 1}`, size: '20', maxlength: '18', inputmode: 'numeric' }) }));
  const out = resultBox('ship-form');
  const collect = () => ({ shipmentId: shipmentId.value, shipDate: shipDate.value, carrier: { scac: scac.value, name: carrier.value, trackingNumber: tracking.value },
    lines: rows.map((r) => ({ lineNumber: r.n, quantity: r.qty.value, sscc: r.sscc.value })) });
  return h('form', { id: 'ship-form', onsubmit: submitter('ship-form', out, `/portal/api/orders/${encodeURIComponent(o.poNumber)}/ship-notices`, collect, reload) },
    h('div', { class: 'row' }, field('Shipment id', shipmentId), field('Ship date', shipDate), field('Carrier SCAC', scac), field('Carrier', carrier), field('Tracking number', tracking)),
    table([
      { label: 'Line', cell: (r) => r.n },
      { label: 'Item', cell: (r) => r.l.buyerPartNumber ?? '' },
      { label: 'Ordered', cell: (r) => `${r.l.quantity} ${r.l.unitOfMeasure ?? ''}` },
      { label: 'Quantity shipped', cell: (r) => r.qty },
      { label: 'Carton SSCC', cell: (r) => r.sscc },
    ], rows),
    h('button', { type: 'submit' }, 'Send ship notice'), out);
}

function invoiceForm(o, reload) {
  const asns = o.documents.filter((d) => d.type === 'ship_notice');
  if (asns.length === 0) return h('p', { class: 'empty' }, 'Send a ship notice first: the invoice is made from it.');
  const shipment = h('select', { name: 'shipmentId' }, asns.map((d) => h('option', { value: d.businessKey }, d.businessKey)));
  const number = h('input', { name: 'invoiceNumber', required: true, maxlength: '22' });
  const date = h('input', { name: 'invoiceDate', type: 'date', value: today(), required: true });
  const out = resultBox('invoice-form');
  return h('form', { id: 'invoice-form', onsubmit: submitter('invoice-form', out, `/portal/api/orders/${encodeURIComponent(o.poNumber)}/invoices`, () => ({ shipmentId: shipment.value, invoiceNumber: number.value, invoiceDate: date.value }), reload) },
    h('div', { class: 'row' }, field('From ship notice', shipment), field('Invoice number', number), field('Invoice date', date)),
    h('p', {}, 'The lines are the ship notice\'s quantities at the purchase order\'s prices.'),
    h('button', { type: 'submit' }, 'Send invoice'), out);
}

export async function orderPage(po, reload) {
  const o = await get(`/portal/api/orders/${encodeURIComponent(po)}`);
  return [
    h('p', {}, h('a', { href: '#/orders' }, '← All orders')),
    h('h1', {}, `Purchase order ${o.poNumber} `, badge(o.status)),
    h('p', {}, `PO date ${o.poDate}, received ${fmtTime(o.sentAt)}.`, o.overdue ? ' An answer is overdue.' : ''),
    section('Acknowledge (855)', o.acknowledged ? alertBox('ok', 'Acknowledged. You can send a new acknowledgement if something changed.') : null, ackForm(o, reload)),
    section('Ship notice (856)', shipForm(o, reload)),
    section('Invoice (810)', invoiceForm(o, reload)),
    section('Timeline', table([
      { label: 'When', cell: (e) => fmtTime(e.at) },
      { label: 'What', cell: (e) => e.summary },
    ], o.timeline, 'Nothing yet.')),
  ];
}
