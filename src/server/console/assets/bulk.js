// Bulk replay or discard of the open exceptions the list is filtered to (partner, code), through
// POST /api/v1/console/exceptions/bulk: a dry run counts them first; the operator confirms that
// count; the console then asks batch after batch (`next`) for the set counted (`until`), so
// exceptions that open meanwhile (a replay that fails again opens a new one) are left alone.
import { api } from './api.js';
import { alertBox, errorText, h, link, replace } from './dom.js';

const describe = ({ partner, code }) => [partner ? `partner ${partner}` : 'every partner', code ? `code ${code}` : 'any code'].join(', ');

function outcomeOf(action, done) {
  const by = {};
  for (const d of done) {
    const k = d.outcome.startsWith('discarded') ? 'discarded' : d.outcome;
    by[k] = (by[k] ?? 0) + 1;
  }
  const parts = Object.entries(by).map(([k, n]) => `${n} ${k}`);
  const verb = action === 'replay' ? 'Replayed' : 'Discarded the open exceptions of';
  return h('div', {},
    h('p', { class: 'bulk-outcome' }, `${verb} ${done.length} message(s): ${parts.join(', ') || 'none'}.`),
    h('ul', { class: 'plain' }, done.slice(0, 50).map((d) => h('li', {}, link('#/messages/', d.messageId), `: ${d.outcome}${d.code ? ` (${d.code})` : ''}`))),
    done.length > 50 ? h('p', { class: 'muted' }, `and ${done.length - 50} more (the audit log lists each).`) : null);
}

/** the bulk card for a filter; `refresh` shows the list again */
export function bulkSection(filter, refresh) {
  const action = h('select', { id: 'bulk-action', name: 'action' }, h('option', { value: 'replay' }, 'Replay'), h('option', { value: 'discard' }, 'Discard'));
  const reason = h('input', { type: 'text', id: 'bulk-reason', name: 'reason', placeholder: 'why they can be dropped (kept in the audit log)', hidden: true });
  const dry = h('button', { type: 'submit', id: 'bulk-dry-run', class: 'secondary' }, 'Count them (dry run)');
  const result = h('div', { class: 'action-result', id: 'bulk-result' });
  action.addEventListener('change', () => { reason.hidden = action.value !== 'discard'; replace(result); });
  const body = () => ({ action: action.value, ...(filter.partner ? { partner: filter.partner } : {}), ...(filter.code ? { code: filter.code } : {}) });

  async function run(counted) {
    const done = [];
    replace(result, h('p', { class: 'loading' }, `Working… 0 of ${counted.count}`));
    let after;
    try {
      for (;;) {
        const r = await api('/api/v1/console/exceptions/bulk', { method: 'POST', body: { ...body(), reason: reason.value, until: counted.until, ...(after ? { after } : {}) } });
        done.push(...r.done);
        replace(result, h('p', { class: 'loading' }, `Working… ${done.length} message(s) done`));
        if (!r.next) break;
        after = r.next;
      }
      replace(result, alertBox('success', outcomeOf(counted.action, done), h('button', { type: 'button', class: 'secondary', id: 'bulk-refresh', onclick: refresh }, 'Show the list again')));
    } catch (e) {
      replace(result, alertBox('error', `Stopped after ${done.length} message(s): ${errorText(e)}`), done.length ? outcomeOf(counted.action, done) : null);
    }
  }

  const form = h('form', { class: 'bulk', onsubmit: async (ev) => {
    ev.preventDefault();
    if (action.value === 'discard' && !reason.value.trim()) {
      replace(result, alertBox('error', 'A discard says why: type the reason (it is kept in the audit log).'));
      return;
    }
    dry.disabled = true;
    try {
      const counted = await api('/api/v1/console/exceptions/bulk', { method: 'POST', body: { ...body(), dryRun: true } });
      const n = `${counted.count}${counted.capped ? '+' : ''}`;
      const verb = counted.action === 'replay' ? 'Replay' : 'Discard';
      const confirm = h('button', { type: 'button', id: 'bulk-confirm', class: counted.action === 'discard' ? 'danger' : 'primary', disabled: counted.count === 0, onclick: () => { confirm.disabled = true; run(counted); } }, `${verb} ${n}`);
      replace(result, alertBox('info', h('p', { class: 'bulk-count' }, `Dry run: ${n} open exception(s) match (${describe(filter)}). Nothing was changed yet.`), h('div', { class: 'buttons' }, confirm)));
    } catch (e) {
      replace(result, alertBox('error', `Dry run refused: ${errorText(e)}`));
    } finally {
      dry.disabled = false;
    }
  } }, h('label', {}, 'Action ', action), reason, dry);

  return h('section', { class: 'card bulk-card' },
    h('h2', {}, 'All that match'),
    h('p', { class: 'muted' }, `The open exceptions of ${describe(filter)} (Show above sets the filter). Fix the cause first, then replay them; or discard them with a reason.`),
    form, result);
}
