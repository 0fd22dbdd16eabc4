// The unmapped-data report of an inbound message (GET /api/v1/messages/:id/unmapped): per X12 set
// or EDIFACT message, the elements no mapping rule read, undeclared first; those the mapping's
// ignore: drops on purpose are counted, with their reasons on request. Values render as text.
import { api } from './api.js';
import { alertBox, errorText, h, replace, table } from './dom.js';

/** a block that loads and shows message `id`'s unmapped report */
export function unmappedView(id) {
  const box = h('div', { class: 'unmapped' }, h('p', { class: 'loading' }, 'Reading the message for unmapped data…'));
  api(`/api/v1/messages/${encodeURIComponent(id)}/unmapped`).then((r) => replace(box, ...render(r)), (e) => replace(box, alertBox('error', errorText(e))));
  return box;
}

function render(r) {
  if (!r.supported) return [h('p', { class: 'muted' }, r.note ?? 'Not reported.')];
  const t = r.totals;
  const out = [h('p', { class: 'unmapped-summary' }, `${t.sets} set(s) read: ${t.undeclared} element(s) no mapping reads and none declares, ${t.declared} dropped as declared (ignore:).`)];
  if (r.note) out.push(h('p', { class: 'muted' }, r.note));
  if (r.truncated) out.push(alertBox('warning', `Only part of the message is reported: ${r.truncated.reason}.`));
  for (const s of r.sets) {
    if (s.undeclared.length === 0 && s.declared.length === 0) continue;
    out.push(h('h3', {}, `Document ${s.document} (${s.message}${s.version ? ` ${s.version}` : ''}), mapping ${s.mappingFile}`));
    out.push(table([
      { label: 'Path', cell: (u) => h('code', {}, u.path) },
      { label: 'Count', cell: (u) => String(u.count), class: 'num' },
      { label: 'Example', cell: (u) => u.example, class: 'wrap' },
    ], s.undeclared, 'Nothing undeclared: every element is mapped or declared.'));
    if (s.declared.length > 0) {
      out.push(h('details', {}, h('summary', {}, `${s.declared.reduce((n, d) => n + d.count, 0)} element(s) dropped as declared, in ${s.declared.length} path(s)`),
        table([
          { label: 'Path', cell: (u) => h('code', {}, u.path) },
          { label: 'Count', cell: (u) => String(u.count), class: 'num' },
          { label: 'Reason', cell: (u) => u.reason ?? '', class: 'wrap' },
        ], s.declared)));
    }
  }
  if (r.skipped.length > 0) {
    out.push(table([
      { label: 'Document', cell: (k) => String(k.document) },
      { label: 'Message', cell: (k) => k.message },
      { label: 'Not reported', cell: (k) => k.reason, class: 'wrap' },
    ], r.skipped));
  }
  return out;
}
