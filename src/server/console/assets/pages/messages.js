// Messages: recent traffic with partner/status filters; detail with documents, exceptions, the
// acknowledgements sent (997/999/TA1/CONTRL/MDN), the unmapped data (X12/EDIFACT) and the raw bytes.
import { api, apiOptional, withQuery } from '../api.js';
import { badge, dl, fmtBytes, fmtTime, h, jsonBlock, link, section, table } from '../dom.js';
import { filtersOf, orderSelect, orderWords, pager } from '../pager.js';
import { rawView } from '../raw.js';
import { replayButton } from '../replay.js';
import { toldSection } from '../told.js';
import { unmappedView } from '../unmapped.js';
import { partnerSelect } from './partners.js';

const STATUSES = ['received', 'processed', 'failed', 'duplicate'];

const LIMIT = 100;

export async function messagesPage({ query, go }) {
  const f = filtersOf(query, ['status', 'partner', 'order', 'limit']);
  const after = query.get('after') || '';
  document.title = 'Messages · edi-gateway';
  const [page, partners] = await Promise.all([
    api(withQuery('/api/v1/console/messages', { ...f, after, limit: f.limit || LIMIT })),
    partnerSelect(f.partner),
  ]);
  const { messages } = page;
  const statusSelect = h('select', { name: 'status', id: 'filter-status' },
    h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s, selected: s === f.status }, s)));
  const order = orderSelect(f.order);
  const form = h('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); go('messages', { status: statusSelect.value, partner: partners.value, order: order.value === 'asc' ? 'asc' : '', limit: f.limit }); } },
    h('label', {}, 'Partner ', partners), h('label', {}, 'Status ', statusSelect), h('label', {}, 'Order ', order), h('button', { type: 'submit' }, 'Show'));
  const what = f.order !== 'asc' && !after ? `The latest ${messages.length} message(s)` : `${messages.length} ${after ? 'more ' : ''}message(s)`;
  return [
    h('h1', {}, 'Messages'),
    form,
    h('p', { class: 'muted' }, `${what}, ${orderWords(f.order)} (acknowledgements we sent are outbound messages).`),
    messageTable(messages),
    pager('messages', f, { after, next: page.next }),
  ];
}

/** the messages of a list or a search; `extra` columns go after the message id */
export function messageTable(messages, extra = [], empty = 'No messages match.') {
  return table([
    { label: 'Received', cell: (m) => fmtTime(m.receivedAt), class: 'nowrap', sort: (m) => m.receivedAt },
    { label: 'Message', cell: (m) => link('#/messages/', m.id) },
    ...extra,
    { label: 'Partner', cell: (m) => m.partnerId ?? 'unidentified', sort: (m) => m.partnerId ?? '' },
    { label: 'Direction', cell: (m) => m.direction, sort: (m) => m.direction },
    { label: 'Transport', cell: (m) => m.transport, sort: (m) => m.transport },
    { label: 'Kind', cell: (m) => m.metadata?.kind ?? m.format ?? '' },
    { label: 'Size', cell: (m) => fmtBytes(m.size), class: 'num', sort: (m) => m.size },
    { label: 'Status', cell: (m) => badge(m.status), sort: (m) => m.status },
  ], messages, empty);
}

export async function messagePage({ params }) {
  const [id] = params;
  const m = await api(`/api/v1/messages/${encodeURIComponent(id)}`);
  // a purchase order we sent: its send outcome (AS2 MDN, SFTP upload) and the partner's 997/999/CONTRL
  const [sent, mdn] = await Promise.all([
    m.direction === 'outbound' && m.transport !== 'ack' ? apiOptional(`/api/v1/erp/outbound/${encodeURIComponent(id)}`) : undefined,
    mdnFor(m),
  ]);
  const acks = [...(m.acknowledgements ?? []), ...(mdn ? [{ messageId: mdn.id, kind: 'MDN', inReplyTo: mdn.metadata.as2MessageId, disposition: mdn.metadata.disposition }] : [])];
  document.title = `${m.id} · Messages · edi-gateway`;
  const meta = Object.entries(m.metadata ?? {});
  const result = h('div', { class: 'action-result' });
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/messages' }, '← Messages')),
    h('h1', {}, 'Message ', h('code', {}, m.id), ' ', badge(m.status)),
    section('Message', dl([
      ['Partner', m.partnerId ? link('#/partners/', m.partnerId) : 'unidentified'],
      ['Direction', m.direction],
      ['Transport', m.transport],
      ['Format', m.format],
      ['Received', fmtTime(m.receivedAt)],
      ['Updated', fmtTime(m.updatedAt)],
      ['Size', fmtBytes(m.size)],
      ['SHA-256', m.contentSha256],
      ['Correlation (PO)', m.correlationId ? link('#/orders/', m.correlationId) : undefined],
      ['Duplicate of', m.duplicateOf ? link('#/messages/', m.duplicateOf) : undefined],
      ['Answers message', m.metadata?.ackFor ? link('#/messages/', m.metadata.ackFor) : undefined],
      ...meta.filter(([k]) => k !== 'ackFor').map(([k, v]) => [k, String(v)]),
    ]), m.direction === 'inbound' ? h('div', { class: 'buttons' }, replayButton(`/api/v1/messages/${encodeURIComponent(m.id)}/replay`, result, undefined, 'Replay message')) : null, result),
    section('Documents', table([
      { label: 'Document', cell: (d) => link('#/documents/', d.id) },
      { label: 'Type', cell: (d) => d.type },
      { label: 'Business key', cell: (d) => d.businessKey ?? '' },
      { label: 'Status', cell: (d) => badge(d.status) },
    ], m.documents, 'No documents from this message.')),
    section('Exceptions', table([
      { label: 'Time', cell: (e) => fmtTime(e.createdAt), class: 'nowrap' },
      { label: 'Stage', cell: (e) => e.stage },
      { label: 'Code', cell: (e) => link('#/exceptions/', e.id, e.code) },
      { label: 'Message', cell: (e) => e.message, class: 'wrap' },
      { label: 'Status', cell: (e) => badge(e.status) },
    ], m.exceptions, 'No exceptions.')),
    m.direction === 'inbound' ? toldSection(m.id) : null,
    m.direction === 'inbound' ? section('Acknowledgements sent', ackTable(acks)) : null,
    m.direction === 'inbound' && (m.format === 'x12' || m.format === 'edifact') ? section('Unmapped data', unmappedView(m.id)) : null,
    sent ? section('Send outcome and the partner\'s acknowledgement', dl([
      ['Send', sent.send ? `${sent.send.state}${sent.send.status ? ` (${sent.send.status})` : ''}` : 'not sent yet'],
      ['MDN', sent.send?.mdn ? JSON.stringify(sent.send.mdn) : undefined],
      ['Functional ack (997/999/CONTRL)', sent.functionalAck ? sent.functionalAck.state : 'none expected or received'],
      ['Ack message', typeof sent.functionalAck?.ackMessageId === 'string' ? link('#/messages/', sent.functionalAck.ackMessageId) : undefined],
    ]), h('details', {}, h('summary', {}, 'As reported (JSON)'), jsonBlock(sent))) : null,
    section('Raw message', rawView(m.id, m.size)),
  ];
}

/** the MDN we answered an inbound AS2 message with: an outbound message of the partner carrying the same AS2 Message-ID (found by the search index) */
async function mdnFor(m) {
  const as2Id = m.metadata?.as2MessageId;
  if (m.direction !== 'inbound' || m.transport !== 'as2' || !as2Id || !m.partnerId) return undefined;
  const { messages } = await api(withQuery('/api/v1/console/search', { q: as2Id, partner: m.partnerId, limit: 20 }));
  return messages.find((x) => x.transport === 'as2-mdn' && x.metadata?.as2MessageId === as2Id);
}

function ackTable(acks) {
  return table([
    { label: 'Kind', cell: (a) => a.kind ?? 'ack' },
    { label: 'In reply to', cell: (a) => a.inReplyTo ?? '' },
    { label: 'Our control number / disposition', cell: (a) => a.interchangeControlNumber ?? a.disposition ?? '', class: 'wrap' },
    { label: 'Message', cell: (a) => link('#/messages/', a.messageId) },
    { label: 'Raw', cell: (a) => h('button', { type: 'button', class: 'secondary small', onclick: (ev) => ev.currentTarget.replaceWith(rawView(a.messageId)) }, 'Show'), class: 'wrap' },
  ], acks, 'No acknowledgements were sent for this message.');
}
