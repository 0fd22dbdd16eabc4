// Partners: status (production/test), identifiers, transports and documents, from the loaded profiles.
import { api } from '../api.js';
import { badge, dl, h, jsonBlock, link, section, table } from '../dom.js';
import { pager } from '../pager.js';
import { partnerCharts } from './partner-charts.js';
import { portalSection } from './portal.js';

const PAGE = 50;

/** a <select> of partner ids (first option: all partners) */
export async function partnerSelect(selected, name = 'partner') {
  const { partners } = await api('/api/v1/partners');
  return h('select', { name, id: `filter-${name}` },
    h('option', { value: '' }, 'all partners'),
    partners.map((p) => h('option', { value: p.id, selected: p.id === selected }, p.name ? `${p.id} (${p.name})` : p.id)));
}

export function identifiers(p) {
  const ids = p.identifiers ?? {};
  const out = [];
  if (ids.x12) out.push(`X12 ${ids.x12.qualifier ?? ''}:${ids.x12.id ?? ''}`);
  if (ids.edifact) out.push(`EDIFACT ${ids.edifact.id ?? ''}${ids.edifact.qualifier ? `:${ids.edifact.qualifier}` : ''}`);
  if (ids.as2) out.push(`AS2 ${typeof ids.as2 === 'string' ? ids.as2 : JSON.stringify(ids.as2)}`);
  for (const [k, v] of Object.entries(ids)) if (!['x12', 'edifact', 'as2'].includes(k)) out.push(`${k} ${JSON.stringify(v)}`);
  return out;
}

export function transports(p) {
  const out = [];
  if (p.sftp) out.push(`SFTP ${p.sftp.username ?? ''}@${p.sftp.host ?? ''}${p.sftp.port && p.sftp.port !== 22 ? `:${p.sftp.port}` : ''} polls ${p.sftp.inbox ?? ''} every ${p.sftp.pollSeconds ?? '?'} s`);
  if (p.as2) out.push(`AS2${p.as2.url ? ` to ${p.as2.url}` : ''}`);
  if (p.http) out.push(`HTTP intake${p.http.apiKeyEnv ? ` (key from ${p.http.apiKeyEnv})` : ''}`);
  if (p.outbound) out.push(`outbound on ${p.outbound.channel}${p.outbound.remoteDir ? ` to ${p.outbound.remoteDir}` : ''}`);
  return out;
}

const docList = (list) => (list ?? []).map((d) => [d.type, d.format, d.message, d.version].filter(Boolean).join(' ')).join(', ');
const lines = (items) => (items.length ? h('ul', { class: 'plain' }, items.map((t) => h('li', {}, t))) : '—');

/** the profiles come from the loaded configuration (no cursor in the API): paged here, PAGE at a time, by id */
export async function partnersPage({ query }) {
  document.title = 'Partners · edi-gateway';
  const { partners } = await api('/api/v1/partners');
  const sorted = [...partners].sort((a, b) => a.id.localeCompare(b.id));
  const after = query.get('after') || '';
  const from = after ? sorted.findIndex((p) => p.id > after) : 0;
  const shown = from < 0 ? [] : sorted.slice(from, from + PAGE);
  const next = from >= 0 && from + PAGE < sorted.length ? shown[shown.length - 1].id : null;
  const profiles = await Promise.all(shown.map((p) => api(`/api/v1/partners/${encodeURIComponent(p.id)}`).catch(() => p)));
  return [
    h('h1', {}, 'Partners'),
    h('p', { class: 'muted' }, `${sorted.length} partner profile(s) loaded${sorted.length > PAGE ? `; ${profiles.length} shown from ${from + 1}` : ''}.`),
    table([
      { label: 'Partner', cell: (p) => [link('#/partners/', p.id), h('br'), h('span', { class: 'muted' }, p.name ?? '')], sort: (p) => p.id },
      { label: 'Status', cell: (p) => badge(p.status), sort: (p) => p.status },
      { label: 'Identifiers', cell: (p) => lines(identifiers(p)) },
      { label: 'Transports', cell: (p) => lines(transports(p)), class: 'wrap' },
      { label: 'Documents', cell: (p) => lines([p.documents?.inbound?.length ? `in: ${docList(p.documents.inbound)}` : '', p.documents?.outbound?.length ? `out: ${docList(p.documents.outbound)}` : ''].filter(Boolean)), class: 'wrap' },
      { label: 'Traffic', cell: (p) => [h('a', { href: `#/messages?partner=${encodeURIComponent(p.id)}` }, 'messages'), ' · ', h('a', { href: `#/exceptions?partner=${encodeURIComponent(p.id)}` }, 'exceptions')] },
    ], profiles, 'No partners are configured.'),
    pager('partners', {}, { after, next }),
  ];
}

export async function partnerPage({ params, query }) {
  const [id] = params;
  const p = await api(`/api/v1/partners/${encodeURIComponent(id)}`);
  document.title = `${p.id} · Partners · edi-gateway`;
  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/partners' }, '← Partners')),
    h('h1', {}, p.name ?? p.id, ' ', badge(p.status)),
    section('Profile', dl([
      ['Id', p.id],
      ['Name', p.name],
      ['Status', badge(p.status)],
      ['Identifiers', lines(identifiers(p))],
      ['Transports', lines(transports(p))],
      ['Inbound documents', docList(p.documents?.inbound)],
      ['Outbound documents', docList(p.documents?.outbound)],
      ['Acknowledgements', p.acks ? JSON.stringify(p.acks) : undefined],
      ['Duplicates', p.duplicates ? JSON.stringify(p.duplicates) : undefined],
      ['Throttle', p.throttle ? JSON.stringify(p.throttle) : undefined],
      ['Contact', p.contact ? [p.contact.name, p.contact.email, p.contact.phone].filter(Boolean).join(', ') : undefined],
      ['Profile file', p.file],
    ]), h('p', {}, h('a', { href: `#/messages?partner=${encodeURIComponent(p.id)}` }, 'Messages'), ' · ',
      h('a', { href: `#/exceptions?partner=${encodeURIComponent(p.id)}` }, 'Open exceptions'), ' · ',
      h('a', { href: `#/documents?partner=${encodeURIComponent(p.id)}` }, 'Documents'))),
    partnerCharts(p.id, query),
    await portalSection(p),
    section('Profile as loaded (JSON)', jsonBlock(p)),
  ];
}
