// Search: the messages that carry a number (PO, ASN/shipment, invoice, bill of lading, tracking,
// ISA13/GS06/ST02, UNB/UNH references, AS2 Message-ID, file name, error code), in a date range,
// for one partner or all, newest or oldest first, a page at a time (GET /api/v1/console/search).
import { api, withQuery } from '../api.js';
import { h } from '../dom.js';
import { filtersOf, orderSelect, orderWords, pager } from '../pager.js';
import { messageTable } from './messages.js';
import { partnerSelect } from './partners.js';

const KIND_WORDS = {
  po: 'PO number', shipment: 'ship notice / shipment', invoice: 'invoice number', order: 'order number', bol: 'bill of lading', pro: 'PRO number',
  tracking: 'tracking number', interchange: 'interchange control number', group: 'group control number', transaction: 'transaction set control number',
  as2: 'AS2 Message-ID', file: 'file name', error: 'error code', external: 'external id', number: 'business number',
};
const LIMIT = 50;

export async function searchPage({ query, go }) {
  const f = filtersOf(query, ['q', 'partner', 'from', 'to', 'order', 'limit']);
  const after = query.get('after') || '';
  document.title = `${f.q ? `${f.q} · ` : ''}Search · edi-gateway`;
  const [page, partners] = await Promise.all([
    f.q ? api(withQuery('/api/v1/console/search', { ...f, after, limit: f.limit || LIMIT })) : undefined,
    partnerSelect(f.partner),
  ]);
  const q = h('input', { type: 'search', name: 'q', id: 'search-page-q', value: f.q, required: true, placeholder: 'PO, ASN, invoice, BOL, tracking, control number, Message-ID, error code' });
  const from = h('input', { type: 'date', name: 'from', id: 'search-from', value: f.from });
  const to = h('input', { type: 'date', name: 'to', id: 'search-to', value: f.to });
  const order = orderSelect(f.order);
  const form = h('form', { class: 'filters', id: 'search-page-form', onsubmit: (ev) => {
    ev.preventDefault();
    go('search', { q: q.value.trim(), partner: partners.value, from: from.value, to: to.value, order: order.value === 'asc' ? 'asc' : '', limit: f.limit });
  } }, h('label', {}, 'Number ', q), h('label', {}, 'Partner ', partners), h('label', {}, 'From ', from), h('label', {}, 'To ', to),
  h('label', {}, 'Order ', order), h('button', { type: 'submit' }, 'Search'));
  const range = [f.from ? ` from ${f.from}` : '', f.to ? ` to ${f.to} (inclusive)` : ''].join('');
  return [
    h('h1', {}, 'Search messages'),
    form,
    page ? h('p', { class: 'muted', id: 'search-summary' },
      `${page.messages.length} ${after ? 'more ' : ''}message(s) carry “${f.q}”${f.partner ? ` for ${f.partner}` : ''}${range}, ${orderWords(f.order)}.`) : h('p', { class: 'muted' }, 'Type a number: every message that carries it is found, including each PO of a multi-PO ship notice.'),
    page ? messageTable(page.messages, [{ label: 'Found as', cell: (m) => KIND_WORDS[m.matched?.kind] ?? m.matched?.kind ?? '', sort: (m) => m.matched?.kind ?? '' }],
      `No message carries “${f.q}”${range}.`) : null,
    page ? pager('search', f, { after, next: page.next }) : null,
  ];
}
