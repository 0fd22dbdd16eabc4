// The exception queue: list (status, partner), detail with where it failed and the raw message,
// Replay and Discard.
import { api, apiOptional, withQuery } from '../api.js';
import { alertBox, badge, dl, errorText, fmtTime, h, link, replace, section, table } from '../dom.js';
import { rawView } from '../raw.js';
import { replayButton } from '../replay.js';
import { whereView } from '../where.js';
import { partnerSelect } from './partners.js';

const LIMIT = 500;

export async function exceptionsPage({ query, go }) {
  const status = query.get('status') || 'open';
  const partner = query.get('partner') || '';
  document.title = 'Exceptions · edi-gateway';
  const [{ exceptions }, partners] = await Promise.all([
    api(withQuery('/api/v1/exceptions', { status, partner, limit: LIMIT })),
    partnerSelect(partner),
  ]);
  const statusSelect = h('select', { name: 'status', id: 'filter-status' },
    ['open', 'replayed', 'discarded'].map((s) => h('option', { value: s, selected: s === status }, s)));
  const form = h('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); go('exceptions', { status: statusSelect.value, partner: partners.value }); } },
    h('label', {}, 'Status ', statusSelect), h('label', {}, 'Partner ', partners), h('button', { type: 'submit' }, 'Show'));
  return [
    h('h1', {}, 'Exceptions'),
    form,
    h('p', { class: 'muted' }, `${exceptions.length} ${status} exception(s)${partner ? ` for ${partner}` : ''}, newest first.`,
      exceptions.length >= LIMIT ? ` Only the first ${LIMIT} are shown: narrow by partner.` : ''),
    table([
      { label: 'Time', cell: (e) => fmtTime(e.createdAt), class: 'nowrap' },
      { label: 'Partner', cell: (e) => (e.partnerId ? link('#/partners/', e.partnerId) : 'unidentified') },
      { label: 'Stage', cell: (e) => e.stage },
      { label: 'Code', cell: (e) => link('#/exceptions/', e.id, e.code) },
      { label: 'Message', cell: (e) => e.message, class: 'wrap' },
      { label: 'Status', cell: (e) => badge(e.status) },
    ], exceptions, `No ${status} exceptions.`),
  ];
}

function summaryOf(e, documentStored) {
  return [
    h('h1', {}, 'Exception ', h('code', {}, e.code), ' ', badge(e.status)),
    section('What happened', dl([
      ['Message', h('span', { class: 'exception-message' }, e.message)],
      ['Stage', e.stage],
      ['Partner', e.partnerId ? link('#/partners/', e.partnerId) : 'unidentified'],
      ['Raised', fmtTime(e.createdAt)],
      ['Status', badge(e.status)],
      ['Resolved', e.resolvedAt ? `${fmtTime(e.resolvedAt)} by ${e.resolvedBy ?? 'unknown'}` : undefined],
      ['Stored message', link('#/messages/', e.messageId)],
      ['Document', e.documentId && documentStored ? link('#/documents/', e.documentId) : undefined],
      ['Exception id', e.id],
    ])),
  ];
}

export async function exceptionPage({ params }) {
  const [id] = params;
  const path = `/api/v1/exceptions/${encodeURIComponent(id)}`;
  const e = await api(path);
  // the unit's document, when it was stored (a unit that failed before that has none)
  const documentOf = (x) => (x.documentId ? apiOptional(`/api/v1/documents/${encodeURIComponent(x.documentId)}`) : undefined);
  const [message, stored] = await Promise.all([apiOptional(`/api/v1/messages/${encodeURIComponent(e.messageId)}`), documentOf(e)]);
  document.title = `${e.code} · Exceptions · edi-gateway`;
  const top = h('div', {}, summaryOf(e, Boolean(stored)));
  const result = h('div', { class: 'action-result', id: 'action-result' });
  const refreshTop = async () => {
    const current = await api(path);
    replace(top, summaryOf(current, Boolean(await documentOf(current))));
    replace(actions, actionButtons(current));
  };
  const actions = h('div', { class: 'actions' });

  function actionButtons(current) {
    if (current.status !== 'open') return h('p', { class: 'muted' }, `This exception is ${current.status}; nothing to do.`);
    const reason = h('input', { type: 'text', id: 'discard-reason', name: 'reason', required: true, placeholder: 'why it can be dropped (kept in the audit log)' });
    const discard = h('button', { type: 'submit', class: 'danger' }, 'Discard');
    const form = h('form', { class: 'discard' }, reason, discard);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      discard.disabled = true;
      try {
        const r = await api(`${path}/discard`, { method: 'POST', body: { reason: reason.value } });
        replace(result, alertBox('success', `Discarded ${r.discarded} open exception(s) of message ${r.messageId}.`));
        await refreshTop();
      } catch (err) {
        replace(result, alertBox('error', `Discard refused: ${errorText(err)}`));
        discard.disabled = false;
      }
    });
    return [
      h('p', {}, 'Fix the cause first (mapping, partner profile), then replay: the stored message is run again with the current configuration.'),
      h('div', { class: 'buttons' }, replayButton(`${path}/replay`, result, refreshTop), form),
    ];
  }
  replace(actions, actionButtons(e));

  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/exceptions' }, '← Exceptions')),
    top,
    section('Replay or discard', actions, result),
    section('Where', whereView(e.detail)),
    section('Raw message', message ? rawView(e.messageId, message.size) : h('p', { class: 'empty' }, 'The message is no longer stored.')),
  ];
}
