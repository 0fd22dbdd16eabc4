// Replay (re-run a stored message with the current configuration) and what it changed.
import { api } from './api.js';
import { alertBox, errorText, h, link, replace, table } from './dom.js';

/** before -> now, the documents it produced and the errors it still has */
export function replayOutcome(r) {
  const before = `${r.before.status} (${r.before.exceptions.length} open exception(s): ${r.before.exceptions.map((e) => e.code).join(', ') || 'none'})`;
  const ok = r.after.status === 'processed';
  return alertBox(ok ? 'success' : 'error',
    h('p', { class: 'outcome' }, 'Replayed message ', link('#/messages/', r.messageId), `: before ${before}; now `, h('strong', {}, r.after.status), '.'),
    r.after.documents?.length ? table([
      { label: 'Document', cell: (d) => link('#/documents/', d.id) },
      { label: 'Type', cell: (d) => d.type },
      { label: 'Business key', cell: (d) => d.document?.poNumber ?? d.document?.shipmentId ?? d.document?.invoiceNumber ?? '' },
      { label: 'Delivery', cell: (d) => d.delivery ?? '' },
    ], r.after.documents) : null,
    r.openExceptions?.length ? h('p', { class: 'still-open' }, 'The message still fails; open again as ',
      r.openExceptions.map((x, i) => [i ? ', ' : '', link('#/exceptions/', x.id, `${x.code} (${x.id})`)]), '.') : null,
    r.after.errors?.length ? table([
      { label: 'Stage', cell: (e) => e.stage },
      { label: 'Code', cell: (e) => e.code },
      { label: 'Message', cell: (e) => e.message, class: 'wrap' },
    ], r.after.errors) : null);
}

/** a Replay button posting to `url`; the outcome goes into `result`, then `after()` runs */
export function replayButton(url, result, after, label = 'Replay') {
  const button = h('button', { type: 'button', class: 'primary' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    replace(result, h('p', { class: 'loading' }, 'Replaying…'));
    try {
      const r = await api(url, { method: 'POST' });
      replace(result, replayOutcome(r));
      await after?.(r);
    } catch (e) {
      replace(result, alertBox('error', `Replay refused: ${errorText(e)}`));
      button.disabled = false;
    }
  });
  return button;
}
