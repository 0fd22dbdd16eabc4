// The raw bytes of a stored message, shown as text (never markup). X12 and EDIFACT can be shown
// one segment per line; large messages load on request.
import { api } from './api.js';
import { alertBox, errorText, fmtBytes, h, replace } from './dom.js';

const AUTO_LOAD_BYTES = 1024 * 1024;
const SHOW_CHARS = 200_000;

function decode(bytes) {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), note: '' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), note: 'Not valid UTF-8: shown as Windows-1252 (Latin-1).' };
  }
}

/** the segment terminator (and release character) of an X12 or EDIFACT text, if it is one */
export function segmentSyntax(text) {
  if (text.startsWith('ISA') && text.length > 106) return { terminator: text[105], release: undefined };
  if (text.startsWith('UNA') && text.length > 9) return { terminator: text[8], release: text[6] === ' ' ? undefined : text[6] };
  if (text.startsWith('UNB')) return { terminator: "'", release: '?' };
  return undefined;
}

/** puts a line break after every segment terminator that is not already followed by one */
export function segmentsPerLine(text, { terminator, release }) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    out += ch;
    if (ch === terminator && text[i - 1] !== release && text[i + 1] !== '\n' && text[i + 1] !== '\r') out += '\n';
  }
  return out;
}

/** a block that shows message `id`'s raw bytes (`size` decides whether it loads at once) */
export function rawView(id, size) {
  const box = h('div', { class: 'raw' });
  const load = async () => {
    replace(box, h('p', { class: 'loading' }, 'Loading raw bytes…'));
    try {
      const bytes = await api(`/api/v1/messages/${encodeURIComponent(id)}/raw`, { as: 'bytes' });
      show(bytes);
    } catch (e) {
      replace(box, alertBox('error', `Could not load the raw message: ${errorText(e)}`));
    }
  };
  const show = (bytes) => {
    const { text, note } = decode(bytes);
    const syntax = segmentSyntax(text);
    const cut = text.length > SHOW_CHARS;
    const pre = h('pre', { class: 'raw-text', 'data-message-id': id });
    const paint = (perLine) => { pre.textContent = (perLine && syntax ? segmentsPerLine(text, syntax) : text).slice(0, SHOW_CHARS); };
    const toggle = syntax ? h('label', { class: 'inline' },
      h('input', { type: 'checkbox', checked: true, onchange: (ev) => paint(ev.target.checked) }), ' one segment per line') : null;
    paint(true);
    replace(box,
      h('p', { class: 'muted' }, `${fmtBytes(bytes.length)} as received. `, note, cut ? ` Showing the first ${SHOW_CHARS} characters.` : '', ' ', toggle),
      pre);
  };
  if (typeof size === 'number' && size > AUTO_LOAD_BYTES) {
    replace(box, h('button', { type: 'button', class: 'secondary', onclick: load }, `Load raw message (${fmtBytes(size)})`));
  } else {
    load();
  }
  return box;
}
