// Overview: where things stand, composed from /api/v1/status (its checks and counts give the
// verdict: health-words.js), the message and exception lists, the overdue report and the
// certificate report.
import { api, apiOptional } from '../api.js';
import { badge, fmtTime, h, link, section, table } from '../dom.js';
import { problemsOf, verdictOf } from './health-words.js';

const CAP = 1000;

/** the number of messages with a status (the list endpoint returns at most 1000) */
async function countMessages(status) {
  const { messages } = await api(`/api/v1/messages?status=${status}&limit=${CAP}`);
  return { n: messages.filter((m) => m.direction === 'inbound').length, capped: messages.length >= CAP };
}

const shown = ({ n, capped }) => (capped ? `${n}+` : String(n));

function tile(label, value, href, kind = '') {
  const body = [h('span', { class: 'tile-value' }, String(value)), h('span', { class: 'tile-label' }, label)];
  return href ? h('a', { class: `tile ${kind}`, href }, body) : h('div', { class: `tile ${kind}` }, body);
}

export async function overviewPage() {
  document.title = 'Overview · edi-gateway';
  const [health, failed, duplicate, exceptions, overdue, certificates] = await Promise.all([
    api('/api/v1/status', { ok: [503] }),
    countMessages('failed'),
    countMessages('duplicate'),
    api('/api/v1/exceptions?status=open&limit=5'),
    apiOptional('/api/v1/orders/overdue'),
    api('/api/v1/certificates'),
  ]);
  const c = health.counts ?? {};
  const held = Math.max(0, (c.documents ?? 0) - (c.documents_ready ?? 0) - (c.documents_delivered ?? 0));
  const warnings = (certificates.certificates ?? []).filter((x) => x.status !== 'ok');

  return [
    h('h1', {}, 'Overview'),
    verdictView(health),
    section('Messages',
      h('div', { class: 'tiles' },
        tile('all messages (incl. acks sent)', c.messages ?? 0, '#/messages'),
        tile('waiting to be processed', c.messages_pending ?? 0, '#/messages?status=received'),
        tile('failed', shown(failed), '#/messages?status=failed', failed.n > 0 ? 'bad' : ''),
        tile('duplicates', shown(duplicate), '#/messages?status=duplicate'),
        tile('open exceptions', c.exceptions_open ?? 0, '#/exceptions', c.exceptions_open > 0 ? 'bad' : ''))),
    section('Documents for the ERP',
      h('div', { class: 'tiles' },
        tile('ready (not yet delivered)', c.documents_ready ?? 0, '#/documents'),
        tile('held by a business rule', held, undefined, held > 0 ? 'warn' : ''),
        tile('delivered', c.documents_delivered ?? 0),
        ...(overdue ? [
          tile('POs without 997/999 in time', overdue.counts.functionalAckMissing, '#/orders/overdue', overdue.counts.functionalAckMissing ? 'warn' : ''),
          tile('POs without 855 in time', overdue.counts.poAckMissing, '#/orders/overdue', overdue.counts.poAckMissing ? 'warn' : ''),
          tile('ASNs without invoice', overdue.counts.invoiceMissing, '#/orders/overdue', overdue.counts.invoiceMissing ? 'warn' : ''),
          overdue.counts.receiptMissing !== undefined ? tile('ASNs not received', overdue.counts.receiptMissing, '#/orders/overdue', overdue.counts.receiptMissing ? 'warn' : '') : null,
          overdue.counts.shipmentExceptions !== undefined ? tile('Shipment exceptions', overdue.counts.shipmentExceptions, '#/orders/overdue', overdue.counts.shipmentExceptions ? 'warn' : '') : null,
        ] : []))),
    section('Certificates',
      warnings.length === 0
        ? h('p', { class: 'empty' }, `No certificate expires within 30 days (${(certificates.certificates ?? []).length} checked).`)
        : table([
          { label: 'Owner', cell: (x) => x.owner },
          { label: 'Status', cell: (x) => badge(x.status) },
          { label: 'Days left', cell: (x) => x.daysLeft ?? '' },
          { label: 'Not after', cell: (x) => fmtTime(x.notAfter) },
          { label: 'Subject / detail', cell: (x) => x.subject ?? x.detail ?? '' },
        ], warnings)),
    health.sftp?.length || health.erpPush ? section('Transports', transports(health)) : null,
    section('Latest open exceptions', table([
      { label: 'Time', cell: (e) => fmtTime(e.createdAt), class: 'nowrap' },
      { label: 'Partner', cell: (e) => e.partnerId ?? '—' },
      { label: 'Stage', cell: (e) => e.stage },
      { label: 'Code', cell: (e) => link('#/exceptions/', e.id, e.code) },
      { label: 'Message', cell: (e) => e.message, class: 'wrap' },
    ], exceptions.exceptions, 'No open exceptions.'), h('p', {}, h('a', { href: '#/exceptions' }, 'All open exceptions →'))),
  ];
}

const VERDICT = { ok: 'ok: no check failed and nothing waits', attention: 'needs attention: work waits', problem: 'needs attention: something is failing' };

function verdictView(health) {
  const problems = problemsOf(health);
  const verdict = verdictOf(problems);
  return h('section', { class: `card verdict verdict-${verdict}`, id: 'verdict' },
    h('h2', {}, 'Gateway: ', h('span', { class: `badge ${verdict === 'ok' ? 'badge-ok' : verdict === 'problem' ? 'badge-failed' : 'badge-held'}`, id: 'verdict-word' }, verdict === 'ok' ? 'ok' : 'needs attention')),
    h('p', { class: 'muted' }, VERDICT[verdict], ` (readiness for probes: ${health.status}).`),
    problems.length ? h('ul', { class: 'problems', id: 'problems' }, problems.map((p) => h('li', { class: `problem-${p.level}` }, p.href ? h('a', { href: p.href }, p.text) : p.text))) : null);
}

function transports(health) {
  const circuit = health.erpPush?.circuit;
  const state = typeof circuit === 'string' ? circuit : circuit?.state;
  return [
    health.erpPush ? h('p', {}, 'ERP push circuit: ', state ? badge(state) : 'not reported') : null,
    health.sftp?.length ? table([
      { label: 'SFTP poller', cell: (s) => s.partnerId },
      { label: 'Running', cell: (s) => (s.running ? 'yes' : 'no') },
      { label: 'Last success', cell: (s) => fmtTime(s.lastSuccessAt), class: 'nowrap' },
      { label: 'Failures in a row', cell: (s) => s.consecutiveFailures ?? '' },
      { label: 'Files taken', cell: (s) => s.filesTaken ?? '' },
      { label: 'Last error', cell: (s) => (s.lastError ? `${s.lastError.code}: ${s.lastError.message} (${fmtTime(s.lastError.at)})` : ''), class: 'wrap' },
    ], health.sftp) : null,
  ];
}
