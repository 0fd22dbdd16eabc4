// What the partner was told about a message (GET /api/v1/console/messages/:id/told): each
// acknowledgement we answered with (997, 999, TA1, CONTRL, AS2 MDN), its disposition and what it
// says in words, linked to the acknowledgement message itself.
import { api } from './api.js';
import { alertBox, errorText, fmtTime, h, link, replace, section } from './dom.js';

const DISPOSITION_CLASS = { accepted: 'processed', rejected: 'failed', partially_accepted: 'held', accepted_with_errors: 'held' };

function answer(t) {
  const word = String(t.disposition ?? 'unknown').replaceAll('_', ' ');
  return h('li', { class: 'told-item' },
    h('strong', {}, t.kind), ' ', h('span', { class: `badge badge-${DISPOSITION_CLASS[t.disposition] ?? ''}` }, word),
    ' · sent ', fmtTime(t.at), ' · ', link('#/messages/', t.messageId, `acknowledgement ${t.messageId}`),
    h('ul', { class: 'told-words' }, t.words.map((w) => h('li', {}, w))));
}

/** a card that loads and shows what the partner of message `id` was told */
export function toldSection(id) {
  const box = h('div', { class: 'told' }, h('p', { class: 'loading' }, 'Reading the acknowledgements we sent…'));
  api(`/api/v1/console/messages/${encodeURIComponent(id)}/told`).then(({ told }) => {
    replace(box, told.length === 0
      ? h('p', { class: 'empty' }, 'We sent no acknowledgement for this message (none is configured for it, or it is still being processed).')
      : h('ul', { class: 'plain told-list' }, told.map(answer)));
  }, (e) => replace(box, alertBox('error', errorText(e))));
  return section('What the partner was told', box);
}
