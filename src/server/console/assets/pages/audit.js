// The audit log (GET /api/v1/audit): who replayed, discarded, reloaded, sent or cancelled what, and
// when; newest first, by action, actor or subject, a page at a time.
import { api, withQuery } from '../api.js';
import { fmtTime, h, link, table } from '../dom.js';
import { filtersOf, pager } from '../pager.js';

const LIMIT = 100;

/** a subject is a message, an exception, a partner or something else: link what the console shows */
function subjectCell(s) {
  if (!s) return '—';
  if (s.startsWith('msg_')) return link('#/messages/', s);
  if (s.startsWith('exc_')) return link('#/exceptions/', s);
  return s;
}

/** the detail in one line of `key: value` pairs (values as JSON text, never markup) */
const detailText = (d) => (d && typeof d === 'object'
  ? Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ')
  : String(d ?? ''));

export async function auditPage({ query, go }) {
  const f = filtersOf(query, ['action', 'actor', 'subject', 'limit']);
  const after = query.get('after') || '';
  document.title = 'Audit log · edi-gateway';
  const page = await api(withQuery('/api/v1/audit', { ...f, after, limit: f.limit || LIMIT }));
  const input = (name, placeholder) => h('input', { type: 'text', name, id: `filter-${name}`, value: f[name], placeholder });
  const action = input('action', 'replay, discard, bulk_replay…');
  const actor = input('actor', 'operator:name');
  const subject = input('subject', 'msg_… or a partner id');
  const form = h('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    go('audit', { action: action.value.trim(), actor: actor.value.trim(), subject: subject.value.trim() });
  } }, h('label', {}, 'Action ', action), h('label', {}, 'Actor ', actor), h('label', {}, 'Subject ', subject), h('button', { type: 'submit' }, 'Show'));
  return [
    h('h1', {}, 'Audit log'),
    form,
    h('p', { class: 'muted', id: 'audit-summary' }, `${page.entries.length} ${after ? 'more ' : ''}entr${page.entries.length === 1 ? 'y' : 'ies'}, newest first.`),
    table([
      { label: 'Time', cell: (e) => fmtTime(e.at), class: 'nowrap', sort: (e) => e.seq },
      { label: 'Actor', cell: (e) => e.actor, sort: (e) => e.actor },
      { label: 'Action', cell: (e) => e.action, sort: (e) => e.action },
      { label: 'Subject', cell: (e) => subjectCell(e.subject), sort: (e) => e.subject ?? '' },
      { label: 'Detail', cell: (e) => detailText(e.detail), class: 'wrap' },
    ], page.entries, 'Nothing was audited yet.'),
    pager('audit', f, { after, next: page.next }),
  ];
}
