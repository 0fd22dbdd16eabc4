// Documents and orders: search by business key (PO, shipment or invoice number), a document's
// canonical envelope, a purchase order's timeline, and what is overdue.
import { api, apiOptional, withQuery } from '../api.js';
import { badge, dl, fmtTime, h, jsonBlock, link, section, table } from '../dom.js';
import { pager } from '../pager.js';
import { partnerSelect } from './partners.js';

const TYPES = ['purchase_order', 'purchase_order_ack', 'ship_notice', 'invoice'];
const LIMIT = 100;

export async function documentsPage({ query, go }) {
  const number = query.get('number') || '';
  const partner = query.get('partner') || '';
  const type = query.get('type') || '';
  const after = query.get('after') || '';
  document.title = 'Documents · edi-gateway';
  const [{ documents, next }, partners, order] = await Promise.all([
    api(withQuery('/api/v1/documents', { number, partner, type, after, limit: LIMIT })),
    partnerSelect(partner),
    number ? apiOptional(`/api/v1/orders/${encodeURIComponent(number)}`) : undefined,
  ]);
  const numberInput = h('input', { type: 'search', name: 'number', id: 'search-number', value: number, placeholder: 'PO, shipment or invoice number' });
  const typeSelect = h('select', { name: 'type', id: 'filter-type' },
    h('option', { value: '' }, 'any type'), TYPES.map((t) => h('option', { value: t, selected: t === type }, t)));
  const form = h('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); go('documents', { number: numberInput.value.trim(), partner: partners.value, type: typeSelect.value }); } },
    h('label', {}, 'Number ', numberInput), h('label', {}, 'Partner ', partners), h('label', {}, 'Type ', typeSelect), h('button', { type: 'submit' }, 'Search'));
  return [
    h('h1', {}, 'Documents & orders'),
    form,
    h('p', {}, h('a', { href: '#/orders/overdue' }, 'Overdue: POs without acknowledgement, ASNs without invoice →')),
    order ? h('p', { class: 'alert info' }, `Purchase order ${order.poNumber} is `, h('strong', {}, order.stage), ` (${order.events.length} event(s)). `, link('#/orders/', order.poNumber, 'Open its timeline →')) : null,
    h('p', { class: 'muted' }, number ? `${documents.length} ${after ? 'more ' : ''}document(s) with number ${number}, newest first.` : `${after ? `${documents.length} older` : `The latest ${documents.length}`} document(s), newest first.`),
    documentTable(documents),
    pager('documents', { number, partner, type }, { after, next }),
  ];
}

/** `withOrder: false` where every row is of one order already */
export function documentTable(documents, { withOrder = true } = {}) {
  return table([
    { label: 'Created', cell: (d) => fmtTime(d.createdAt), class: 'nowrap', sort: (d) => d.createdAt },
    { label: 'Document', cell: (d) => link('#/documents/', d.id) },
    { label: 'Type', cell: (d) => d.type, sort: (d) => d.type },
    { label: 'Number', cell: (d) => d.businessKey ?? '', sort: (d) => d.businessKey ?? '' },
    { label: 'Partner', cell: (d) => d.partnerId, sort: (d) => d.partnerId },
    withOrder ? { label: 'Order', cell: (d) => (d.correlationId ? link('#/orders/', d.correlationId) : '') } : null,
    { label: 'Status', cell: (d) => [badge(d.status), d.test ? ' test' : ''], sort: (d) => d.status },
  ].filter(Boolean), documents, 'No documents match.');
}

export async function documentPage({ params }) {
  const [id] = params;
  const d = await api(`/api/v1/documents/${encodeURIComponent(id)}`);
  document.title = `${d.businessKey ?? d.id} · Documents · edi-gateway`;
  const src = d.envelope?.source ?? {};
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/documents' }, '← Documents')),
    h('h1', {}, `${d.type} ${d.businessKey ?? ''} `, badge(d.status)),
    section('Document', dl([
      ['Id', d.id],
      ['Partner', link('#/partners/', d.partnerId)],
      ['From message', link('#/messages/', d.messageId)],
      ['Order', d.correlationId ? link('#/orders/', d.correlationId) : undefined],
      ['Source', [src.format, src.message, src.version].filter(Boolean).join(' ')],
      ['Control numbers', [src.interchangeControlNumber, src.groupControlNumber, src.transactionControlNumber].filter(Boolean).join(' / ')],
      ['Created', fmtTime(d.createdAt)],
      ['Delivered to the ERP', d.deliveredAt ? fmtTime(d.deliveredAt) : 'not yet'],
      ['Times handed out', d.leaseCount],
      ['Test', d.test ? 'yes (kept out of the production feed)' : 'no'],
    ])),
    section('Canonical envelope', jsonBlock(d.envelope)),
  ];
}

/** a carrier's time with its offset (2026-12-04T18:20:00-06:00) shown in UTC like every other time */
const utc = (t) => (t && !Number.isNaN(Date.parse(t)) ? fmtTime(new Date(t).toISOString()) : (t ?? ''));

export async function orderPage({ params }) {
  const [po] = params;
  const t = await api(`/api/v1/orders/${encodeURIComponent(po)}`);
  document.title = `${t.poNumber} · Orders · edi-gateway`;
  return [
    h('p', { class: 'crumbs' }, h('a', { href: `#/documents?number=${encodeURIComponent(t.poNumber)}` }, '← Documents')),
    h('h1', {}, `Purchase order ${t.poNumber} `, h('span', { class: 'badge' }, t.stage)),
    section('Documents', documentTable(t.documents, { withOrder: false })),
    t.milestones?.length ? section('Shipment milestones (when they happened)', table([
      { label: 'Time', cell: (m) => h('span', { title: `as the carrier sent it: ${m.occurredAt}` }, utc(m.occurredAt)), class: 'nowrap' },
      { label: 'Shipment', cell: (m) => m.shipmentId },
      { label: 'Milestone', cell: (m) => (m.exception ? h('strong', { class: 'warn' }, m.event ?? m.statusCode) : (m.event ?? m.statusCode)) },
      { label: 'Code', cell: (m) => [m.statusCode, m.reasonCode ? ` / ${m.reasonCode}` : ''] },
      { label: 'Where', cell: (m) => (m.location ? [m.location.name, m.location.city, m.location.region].filter(Boolean).join(', ') : '') },
      { label: 'ETA', cell: (m) => utc(m.estimatedDeliveryAt), class: 'nowrap' },
    ], t.milestones, '')) : null,
    section('Timeline', table([
      { label: 'Time', cell: (e) => fmtTime(e.at), class: 'nowrap' },
      { label: 'Event', cell: (e) => e.kind.replaceAll('_', ' ') },
      { label: 'Partner', cell: (e) => e.partnerId ?? '' },
      { label: 'What', cell: (e) => e.summary, class: 'wrap' },
      { label: 'Links', cell: (e) => [
        e.documentId ? link('#/documents/', e.documentId, 'document') : null, e.documentId && e.messageId ? ' · ' : null,
        e.messageId ? link('#/messages/', e.messageId, 'message') : null,
        e.kind === 'exception' && e.detail?.id ? [' · ', link('#/exceptions/', e.detail.id, 'exception')] : null] },
    ], t.events, 'Nothing has happened yet.')),
  ];
}

export async function overduePage() {
  document.title = 'Overdue · edi-gateway';
  const r = await apiOptional('/api/v1/orders/overdue');
  if (!r) return [h('h1', {}, 'Overdue'), h('p', { class: 'empty' }, 'This gateway does not track overdue orders.')];
  const cols = (numberLabel, number) => [
    { label: 'Partner', cell: (i) => link('#/partners/', i.partnerId) },
    { label: numberLabel, cell: number },
    { label: 'Since', cell: (i) => fmtTime(i.since), class: 'nowrap' },
    { label: 'Due', cell: (i) => fmtTime(i.dueAt), class: 'nowrap' },
    { label: 'Window', cell: (i) => `${Math.round(i.windowMinutes / 60)} h` },
    { label: 'Document', cell: (i) => link('#/documents/', i.documentId) },
  ];
  const po = (i) => (i.poNumber ? link('#/orders/', i.poNumber) : '');
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/documents' }, '← Documents')),
    h('h1', {}, 'Overdue'),
    h('p', { class: 'muted' }, `As of ${fmtTime(r.at)}.`),
    section(`POs we sent without a 997/999/CONTRL in time (${r.functionalAckMissing.length})`, table(cols('PO', po), r.functionalAckMissing, 'None.')),
    section(`POs without a PO acknowledgement (855/ORDRSP) in time (${r.poAckMissing.length})`, table(cols('PO', po), r.poAckMissing, 'None.')),
    section(`Ship notices without an invoice in time (${r.invoiceMissing.length})`, table(cols('Shipment', (i) => [i.shipmentId ?? '', i.poNumber ? [' (PO ', po(i), ')'] : '']), r.invoiceMissing, 'None.')),
    r.receiptMissing ? section(`Ship notices no warehouse has received in time (${r.receiptMissing.length})`, table(cols('Shipment', (i) => [i.shipmentId ?? '', i.poNumber ? [' (PO ', po(i), ')'] : '']), r.receiptMissing, 'None.')) : null,
    r.shipmentExceptions ? section(`Shipments delayed, damaged, refused or late (${r.shipmentExceptions.length})`, table([
      { label: 'Carrier', cell: (i) => link('#/partners/', i.partnerId) },
      { label: 'Shipment', cell: (i) => [i.shipmentId ?? '', i.poNumber ? [' (order ', po(i), ')'] : ''] },
      { label: 'Latest milestone', cell: (i) => `${i.reason === 'shipment_late' ? 'late: ' : ''}${i.milestone?.event ?? ''} (${i.milestone?.statusCode ?? ''}${i.milestone?.reasonCode ? `, reason ${i.milestone.reasonCode}` : ''})` },
      { label: 'When', cell: (i) => utc(i.milestone?.occurredAt), class: 'nowrap' },
      { label: 'Expected delivery', cell: (i) => utc(i.milestone?.estimatedDeliveryAt), class: 'nowrap' },
      { label: 'Document', cell: (i) => link('#/documents/', i.documentId) },
    ], r.shipmentExceptions, 'None.')) : null,
  ];
}
