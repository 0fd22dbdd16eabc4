// Jobs (admin): the gateway's durable work (functional ack sends, async MDN posts) with state,
// attempts, next run and last error; filters, pages (next), Retry and Cancel per job.
import { api, withQuery } from '../api.js';
import { alertBox, badge, errorText, fmtTime, h, link, replace, table } from '../dom.js';
import { pager } from '../pager.js';

const STATES = ['', 'waiting', 'running', 'failed', 'done', 'cancelled'];
const KINDS = ['', 'ack.send', 'mdn.post'];
const LIMIT = 100;

export async function jobsPage({ query, go, refresh }) {
  const state = query.get('state') || '';
  const kind = query.get('kind') || '';
  const partner = query.get('partner') || '';
  const after = query.get('after') || '';
  document.title = 'Jobs · edi-gateway';
  const page = await api(withQuery('/api/v1/jobs', { state, kind, partner, after, limit: LIMIT }));
  const select = (name, values, current) => h('select', { name, id: `filter-${name}` },
    values.map((v) => h('option', { value: v, selected: v === current }, v || 'any')));
  const stateSelect = select('state', STATES, state);
  const kindSelect = select('kind', KINDS, kind);
  const partnerInput = h('input', { type: 'text', name: 'partner', id: 'filter-partner', value: partner, placeholder: 'partner id' });
  const form = h('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); go('jobs', { state: stateSelect.value, kind: kindSelect.value, partner: partnerInput.value.trim() }); } },
    h('label', {}, 'State ', stateSelect), h('label', {}, 'Kind ', kindSelect), h('label', {}, 'Partner ', partnerInput), h('button', { type: 'submit' }, 'Show'));
  const result = h('div', { class: 'action-result', id: 'action-result' });

  const act = (job, action) => h('button', {
    type: 'button', class: action === 'cancel' ? 'danger' : undefined,
    onclick: async () => {
      try {
        const j = await api(`/api/v1/jobs/${job.id}/${action}`, { method: 'POST' });
        replace(result, alertBox('success', `Job ${j.id} (${j.kind}): ${action === 'retry' ? 'waiting, due now' : 'cancelled'}.`));
        setTimeout(refresh, 500);
      } catch (e) {
        replace(result, alertBox('error', errorText(e)));
      }
    },
  }, action === 'retry' ? 'Retry' : 'Cancel');

  return [
    h('h1', {}, 'Jobs'),
    form,
    result,
    h('p', { class: 'muted' }, `${page.jobs.length} ${after ? 'more ' : ''}job(s)${state ? ` ${state}` : ''}${kind ? ` of kind ${kind}` : ''}${partner ? ` for ${partner}` : ''}, newest first.`),
    table([
      { label: 'Id', cell: (j) => String(j.id), sort: (j) => j.id },
      { label: 'Kind', cell: (j) => j.kind, sort: (j) => j.kind },
      { label: 'Partner', cell: (j) => (j.partnerId ? link('#/partners/', j.partnerId) : '—'), sort: (j) => j.partnerId ?? '' },
      { label: 'State', cell: (j) => badge(j.state), sort: (j) => j.state },
      { label: 'Attempts', cell: (j) => `${j.attempts}/${j.maxAttempts}` },
      { label: 'Next run / last change', cell: (j) => (j.state === 'waiting' ? `next ${fmtTime(j.runAt)}` : fmtTime(j.updatedAt)), class: 'nowrap' },
      { label: 'For', cell: (j) => (j.payload?.messageId ? link('#/messages/', j.payload.messageId) : '') },
      { label: 'Last error', cell: (j) => (j.state === 'done' ? '' : j.lastError ?? ''), class: 'wrap' },
      { label: '', cell: (j) => [j.state === 'failed' || j.state === 'cancelled' ? act(j, 'retry') : null, j.state === 'waiting' || j.state === 'failed' ? act(j, 'cancel') : null] },
    ], page.jobs, 'No jobs match.'),
    pager('jobs', { state, kind, partner }, { after, next: page.next }),
  ];
}
