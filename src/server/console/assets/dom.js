// Everything the console shows is built with createElement and text nodes, never innerHTML:
// partner data (names, element values, error messages) is untrusted and always renders as text.

/** h('a', { href, class, onclick }, 'text', child, [more]) */
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

/** only in-console links (#/...) and same-origin API paths (/api/...) */
function safeHref(v) {
  const s = String(v);
  return s.startsWith('#/') || s.startsWith('/api/') ? s : '#/';
}

/** a link to a console route built from untrusted parts: `link('#/messages/', id)` */
export const link = (prefix, id, text = id) => h('a', { href: prefix + encodeURIComponent(id) }, text);

export const replace = (el, ...children) => { el.replaceChildren(); append(el, children); return el; };

/** 2026-11-23T10:00:00.000Z -> 2026-11-23 10:00:00 UTC (times are shown in UTC, as the API gives them) */
export function fmtTime(iso) {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : String(iso);
}

export function fmtBytes(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** a coloured status word; the class comes from a fixed list, the text is the value */
export function badge(status) {
  const known = ['open', 'replayed', 'discarded', 'received', 'processed', 'failed', 'duplicate', 'held', 'ready', 'delivered',
    'production', 'test', 'ok', 'expiring', 'expired', 'invalid', 'error', 'draining', 'waiting', 'running', 'done', 'cancelled'];
  const s = String(status ?? '');
  return h('span', { class: `badge ${known.includes(s) ? `badge-${s}` : ''}` }, s || '—');
}

/**
 * table([{ label, cell: (row) => node|string, sort?: (row) => string|number }], rows, 'nothing here'):
 * a column with `sort` gets a header button that sorts the rows shown (again: the other way round)
 */
export function table(columns, rows, empty = 'Nothing to show.') {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, empty);
  const trs = rows.map((r) => [r, h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.cell(r))))]);
  const tbody = h('tbody', {}, trs.map(([, tr]) => tr));
  const ths = columns.map((c) => h('th', {}, c.sort ? h('button', { type: 'button', class: 'sort', onclick: () => sortBy(c) }, c.label) : c.label));
  function sortBy(col) {
    const th = ths[columns.indexOf(col)];
    const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    for (const x of ths) x.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const key = (r) => col.sort(r) ?? '';
    const sorted = [...trs].sort(([a], [b]) => {
      const x = key(a);
      const y = key(b);
      return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
    tbody.replaceChildren(...sorted.map(([, tr]) => tr));
  }
  return h('table', {}, h('thead', {}, h('tr', {}, ths)), tbody);
}

/** a definition list of [label, value] pairs; empty values are left out */
export function dl(pairs) {
  return h('dl', { class: 'fields' }, pairs
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : String(v))]));
}

/** JSON as indented text in a <pre> (text, not markup) */
export const jsonBlock = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2));

export const alertBox = (kind, ...text) => h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);

/** the message of an error for the user, with the API's code when there is one */
export const errorText = (e) => (e?.code && e.code !== 'network' ? `${e.message} (${e.status} ${e.code})` : String(e?.message ?? e));

export const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children);
