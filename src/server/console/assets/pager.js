// Paging and order for the lists: the API answers a page and `next` (the cursor of the page after
// it); the console keeps the cursor in the hash (#/messages?after=…), so a page can be reloaded or
// shared, and "First page" drops it. The order select is for lists whose API sorts both ways.
import { h } from './dom.js';

const hashOf = (route, query) => {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return `#/${route}${q.toString() ? `?${q}` : ''}`;
};

/** the URL query as an object without the cursor (the filters a page link keeps) */
export const filtersOf = (query, names) => Object.fromEntries(names.map((n) => [n, query.get(n) || '']));

/** "← First page" (when on a later page) and "Next page →" (when the API says there is more) */
export function pager(route, filters, { after, next }) {
  if (!after && !next) return null;
  return h('p', { class: 'pager' },
    after ? h('a', { href: hashOf(route, filters), class: 'first-page' }, '← First page') : null,
    after && next ? ' · ' : null,
    next ? h('a', { href: hashOf(route, { ...filters, after: next }), class: 'next-page', id: 'next-page' }, 'Next page →') : null);
}

/** newest first (desc, the default) or oldest first (asc) */
export function orderSelect(current) {
  return h('select', { name: 'order', id: 'filter-order' },
    h('option', { value: 'desc', selected: current !== 'asc' }, 'newest first'),
    h('option', { value: 'asc', selected: current === 'asc' }, 'oldest first'));
}

export const orderWords = (order) => (order === 'asc' ? 'oldest first' : 'newest first');
