// The exception queue: list (status, partner), detail with where it failed and the raw message,
// Replay and Discard.
import { api, apiOptional, withQuery } from '../api.js';
import { alertBox, badge, dl, errorText, fmtTime, h, link, replace, section, table } from '../dom.js';
import { bulkSection } from '../bulk.js';
import { filtersOf, orderSelect, orderWords, pager } from '../pager.js';
import { rawView } from '../raw.js';
import { replayButton } from '../replay.js';
import { toldSection } from '../told.js';
import { whereView } from '../where.js';
import { partnerSelect } from './partners.js';

const LIMIT = 100;

export async function exceptionsPage({ query, go, refresh }) {
  const f = { ...filtersOf(query, ['partner', 'code', 'order', 'limit']), status: query.get('status') || 'open' };
  const after = query.get('after') || '';
  document.title = 'Exceptions · edi-gateway';
  const [page, partners] = await Promise.all([
    api(withQuery('/api/v1/console/exceptions', { ...f, after, limit: f.limit || LIMIT })),
    partnerSelect(f.partner),
  ]);
  const { exceptions } = page;
  const statusSelect = h('select', { name: 'status', id: 'filter-status' },
    ['open', 'replayed', 'discarded'].map((s) => h('option', { value: s, selected: s === f.status }, s)));
  const code = h('input', { type: 'text', name: 'code', id: 'filter-code', value: f.code, placeholder: 'error code, e.g. mapping_failed' });
  const order = orderSelect(f.order);
  const form = h('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    go('exceptions', { status: statusSelect.value === 'open' ? '' : statusSelect.value, partner: partners.value, code: code.value.trim(), order: order.value === 'asc' ? 'asc' : '', limit: f.limit });
  } }, h('label', {}, 'Status ', statusSelect), h('label', {}, 'Partner ', partners), h('label', {}, 'Code ', code), h('label', {}, 'Order ', order), h('button', { type: 'submit' }, 'Show'));
  const filterWords = [f.partner ? ` for ${f.partner}` : '', f.code ? ` with code ${f.code}` : ''].join('');
  return [
    h('h1', {}, 'Exceptions'),
    form,
    f.status === 'open' && exceptions.length > 0 ? bulkSection({ partner: f.partner, code: f.code }, refresh) : null,
    h('p', { class: 'muted', id: 'exceptions-summary' }, `${exceptions.length} ${after ? 'more ' : ''}${f.status} exception(s)${filterWords}, ${orderWords(f.order)}.`),
    table([
      { label: 'Time', cell: (e) => fmtTime(e.createdAt), class: 'nowrap', sort: (e) => e.createdAt },
      { label: 'Partner', cell: (e) => (e.partnerId ? link('#/partners/', e.partnerId) : 'unidentified'), sort: (e) => e.partnerId ?? '' },
      { label: 'Stage', cell: (e) => e.stage, sort: (e) => e.stage },
      { label: 'Code', cell: (e) => link('#/exceptions/', e.id, e.code), sort: (e) => e.code },
      { label: 'Message', cell: (e) => e.message, class: 'wrap' },
      { label: 'Status', cell: (e) => badge(e.status) },
    ], exceptions, `No ${f.status} exceptions${filterWords}.`),
    pager('exceptions', f.status === 'open' ? { ...f, status: '' } : f, { after, next: page.next }),
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

/**
 * a closed exception: discarded, or replayed. A replay before the fix fails again and records the
 * failure anew: while the message still has open exceptions, this one is not "nothing to do"
 */
function closedWords(e, message) {
  const open = (message?.exceptions ?? []).filter((x) => x.status === 'open' && x.id !== e.id);
  if (e.status === 'replayed' && open.length > 0) {
    return alertBox('error', h('p', { class: 'still-failing' }, 'Replayed, but message ', link('#/messages/', e.messageId),
      ` still fails (${message.status}): the failure is open again as `,
      open.map((x, i) => [i ? ', ' : '', link('#/exceptions/', x.id, `${x.code} (${x.id})`)]),
      '. Fix the cause (mapping, partner profile), then replay that one.'));
  }
  if (e.status === 'replayed') return h('p', { class: 'muted' }, `This exception is replayed; the message is ${message?.status ?? 'no longer stored'}. Nothing left to do.`);
  return h('p', { class: 'muted' }, `This exception is ${e.status}; nothing to do.`);
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
    replace(actions, await actionButtons(current));
  };
  const actions = h('div', { class: 'actions' });

  async function actionButtons(current) {
    if (current.status !== 'open') return closedWords(current, await apiOptional(`/api/v1/messages/${encodeURIComponent(current.messageId)}`));
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
  replace(actions, await actionButtons(e));

  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/exceptions' }, '← Exceptions')),
    top,
    section('Replay or discard', actions, result),
    toldSection(e.messageId),
    section('Where', whereView(e.detail)),
    section('Raw message', message ? rawView(e.messageId, message.size) : h('p', { class: 'empty' }, 'The message is no longer stored.')),
  ];
}
