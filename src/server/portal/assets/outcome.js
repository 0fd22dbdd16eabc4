import { ApiError } from './api.js';
import { alertBox, h, replace } from './dom.js';

const errorText = (e) => (e instanceof ApiError && e.code !== 'network' ? `${e.message} (${e.code})` : String(e?.message ?? e));
export const showError = (where, e) => replace(where, alertBox('error', errorText(e)));

/** what the pipeline made of a submitted form or file: accepted (documents, warnings) or not (errors) */
export function outcomeBox(r) {
  const ok = r.status === 'processed';
  return h('div', { class: `alert ${ok ? 'ok' : 'error'}`, role: ok ? 'status' : 'alert', id: 'outcome' },
    h('p', {}, ok ? `Accepted: message ${r.messageId}` : `Not accepted: message ${r.messageId} (${r.status})`),
    h('ul', {}, (r.documents ?? []).map((d) => h('li', {}, `${d.type.replace(/_/g, ' ')} ${d.id}: ${d.delivery}`,
      (d.warnings ?? []).length ? h('ul', {}, d.warnings.map((w) => h('li', {}, `warning ${w.code}: ${w.message}`))) : null))),
    (r.errors ?? []).length ? h('ul', { class: 'problems' }, r.errors.map((e) => h('li', {}, h('code', {}, e.code), ' ', e.message))) : null,
    (r.findings ?? []).filter((x) => x.stage === 'correlate').length ? h('div', {}, h('p', {}, 'Held back from the buyer until this is resolved:'),
      h('ul', { class: 'problems' }, r.findings.filter((x) => x.stage === 'correlate').map((x) => h('li', {}, h('code', {}, x.code), ' ', x.message)))) : null);
}

