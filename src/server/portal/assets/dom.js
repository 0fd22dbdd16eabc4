// Everything the portal shows is built with createElement and text nodes, never innerHTML:
// document values and error messages are untrusted and always render as text.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'href') el.setAttribute('href', safeHref(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** only portal routes (#/...) and the portal's own API (downloads) */
function safeHref(v) {
  const s = String(v);
  return s.startsWith('#/') || s.startsWith('/portal/api/') ? s : '#/';
}

export const replace = (el, ...children) => { el.replaceChildren(); append(el, children); return el; };

export function fmtTime(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso ?? '');
  return m ? `${m[1]} ${m[2]} UTC` : String(iso ?? '');
}

export function badge(status) {
  const known = ['sent', 'acknowledged', 'shipped', 'invoiced', 'overdue', 'processed', 'failed', 'duplicate', 'received', 'ready', 'delivered', 'held', 'released', 'passed', 'open', 'test', 'production'];
  const s = String(status ?? '');
  return h('span', { class: `badge ${known.includes(s) ? `badge-${s}` : ''}` }, s || '—');
}

export function table(columns, rows, empty = 'Nothing to show.') {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.cell(r)))))));
}

export const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children);
export const alertBox = (kind, ...text) => h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);
export const jsonBlock = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
export const field = (label, input) => h('label', { class: 'field' }, h('span', {}, label), input);
