import { ApiError, get, post, session } from './api.js';
import { alertBox, badge, field, fmtTime, h, replace, section, table } from './dom.js';
import { orderPage, ordersPage } from './orders.js';
import { outcomeBox, showError } from './outcome.js';

const view = document.getElementById('view');
let me = null;


function setSignedIn(s) {
  me = s && s.signedIn ? s : null;
  document.getElementById('nav').hidden = !me;
  document.getElementById('who').hidden = !me;
  document.getElementById('nav-cert').hidden = !(me && me.partner?.status === 'test');
  document.getElementById('who-name').textContent = me ? `${me.user.email} — ${me.partner.name}` : '';
}

function signInPage(note) {
  const email = h('input', { id: 'email', name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const out = h('div', { id: 'sign-in-result' });
  const form = h('form', { id: 'sign-in-form', class: 'narrow', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await post('/portal/api/login', { email: email.value, password: password.value });
      setSignedIn(await session());
      location.hash = '#/orders';
    } catch (e) { showError(out, e); }
  } }, field('E-mail', email), field('Password', password), h('button', { type: 'submit' }, 'Sign in'));
  return [h('h1', {}, 'Sign in'), note ? alertBox('ok', note) : null, form, out];
}

function invitePage(token) {
  const password = h('input', { id: 'new-password', type: 'password', required: true, autocomplete: 'new-password', minlength: '12' });
  const again = h('input', { id: 'new-password-again', type: 'password', required: true, autocomplete: 'new-password' });
  const out = h('div', { id: 'invite-result' });
  const form = h('form', { id: 'invite-form', class: 'narrow', onsubmit: async (ev) => {
    ev.preventDefault();
    if (password.value !== again.value) { replace(out, alertBox('error', 'The two passwords differ.')); return; }
    try {
      const r = (await post('/portal/api/invitations/accept', { token, password: password.value })).data;
      history.replaceState(null, '', '#/sign-in');
      replace(view, ...signInPage(`Your password is set for ${r.email}. Sign in with it.`));
    } catch (e) { showError(out, e); }
  } },
  h('p', {}, 'Choose a password of at least 12 characters. The link works once.'),
  field('Password', password), field('Password again', again), h('button', { type: 'submit' }, 'Set password'));
  return [h('h1', {}, 'Set your password'), form, out];
}

async function messagesPage(after) {
  const [m, x] = await Promise.all([get(`/portal/api/messages${after ? `?after=${encodeURIComponent(after)}` : ''}`), get('/portal/api/exceptions')]);
  return [
    h('h1', {}, 'Messages and errors'),
    section('Open problems with your messages', table([
      { label: 'When', cell: (e) => fmtTime(e.createdAt) },
      { label: 'Message', cell: (e) => e.messageId },
      { label: 'Problem', cell: (e) => h('span', {}, h('code', {}, e.code), ' ', e.message) },
    ], x.exceptions, 'No open problems.')),
    section('What you sent and what we answered', m.messages.length === 0 ? h('p', { class: 'empty' }, 'No messages yet.') :
      h('div', { class: 'messages' }, m.messages.map((msg) => h('article', { class: 'message', 'data-message': msg.id },
        h('h3', {}, badge(msg.status), ' ', msg.id, ' ', h('small', {}, `${msg.format ?? ''} via ${msg.transport}, ${fmtTime(msg.receivedAt)}`)),
        msg.documents.length ? h('p', {}, 'Documents: ', msg.documents.map((d) => `${d.type.replace(/_/g, ' ')} ${d.businessKey ?? ''} (${d.status})`).join(', ')) : null,
        msg.acknowledgements.map((a) => h('div', { class: 'ack' }, h('strong', {}, `Our ${a.kind}: `), h('ul', {}, a.explained.map((t) => h('li', {}, t))))),
        msg.exceptions.length ? h('ul', { class: 'problems' }, msg.exceptions.map((e) => h('li', {}, h('code', {}, e.code), ' ', e.message))) : null)))),
    m.next ? h('p', {}, h('a', { href: `#/messages/${encodeURIComponent(m.next)}` }, 'Older messages')) : null,
  ];
}

function uploadPage() {
  const file = h('input', { id: 'file', type: 'file', required: true });
  const out = h('div', { id: 'upload-result' });
  const form = h('form', { id: 'upload-form', class: 'narrow', onsubmit: async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    try {
      const r = (await post('/portal/api/upload', f, { 'content-type': f.type || 'application/octet-stream', 'x-file-name': f.name })).data;
      replace(out, outcomeBox(r));
    } catch (e) { showError(out, e); }
  } }, h('p', {}, 'An X12, EDIFACT, XML, JSON or CSV file goes through the same checks as a file sent over your EDI connection.'), field('File', file), h('button', { type: 'submit' }, 'Upload'));
  return [h('h1', {}, 'Upload a file'), form, out];
}

async function outboxPage() {
  const r = await get('/portal/api/outbox');
  return [h('h1', {}, 'Downloads'), h('p', {}, 'Everything we have for you. Your system can also collect these with your API key: GET /api/v1/partner/outbox.'),
    table([
      { label: 'When', cell: (i) => fmtTime(i.createdAt) },
      { label: 'What', cell: (i) => i.kind === 'purchase_order' ? `purchase order ${i.summary.poNumber ?? ''}` : i.kind === 'functional_ack' ? `${i.summary.ack} for message ${i.summary.ackFor}` : `result of message ${i.messageId}: ${i.summary.status}` },
      { label: 'Collected', cell: (i) => badge(i.status) },
      { label: '', cell: (i) => (i.links.download ? h('a', { href: i.links.download, download: '' }, 'Download') : '') },
    ], r.items, 'Nothing for you yet.')];
}

async function certificationPage() {
  const r = await get('/portal/api/certification');
  if (!r.applies) return [h('h1', {}, 'Certification'), alertBox('ok', 'You are in production: nothing to certify.')];
  return [h('h1', {}, 'Certification'), h('p', {}, r.poNumber ? `Test purchase order: ${r.poNumber}` : 'Waiting for a test purchase order.'),
    h('ol', { class: 'steps' }, r.steps.map((s) => h('li', { class: s.passed ? 'passed' : 'todo' },
      h('h3', {}, badge(s.passed ? 'passed' : 'open'), ' ', s.title), h('p', {}, s.status),
      s.findings.length ? h('ul', { class: 'problems' }, s.findings.map((f) => h('li', {}, `${f.kind} ${f.code}: ${f.message}`))) : null,
      s.document ? h('details', {}, h('summary', {}, 'Canonical result'), h('pre', { class: 'json' }, JSON.stringify(s.document.canonical, null, 2))) : null))),
    alertBox(r.passed ? 'ok' : 'info', r.passed ? 'Every step passed: the operator can approve you for production.' : 'Complete every step; the operator then approves you for production.')];
}

async function route() {
  const hash = location.hash || '#/orders';
  const [, page, arg] = /^#\/([a-z-]+)\/?(.*)$/.exec(hash) ?? [];
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === page);
  if (page === 'invite') { replace(view, ...invitePage(decodeURIComponent(arg))); return; }
  if (!me) { replace(view, ...signInPage()); return; }
  replace(view, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const parts = page === 'orders' && arg ? await orderPage(decodeURIComponent(arg), route)
      : page === 'messages' ? await messagesPage(arg)
        : page === 'upload' ? uploadPage()
          : page === 'outbox' ? await outboxPage()
            : page === 'certification' ? await certificationPage()
              : await ordersPage();
    replace(view, ...[parts].flat());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { setSignedIn(null); replace(view, ...signInPage()); return; }
    showError(view, e);
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  await post('/portal/api/logout', {}).catch(() => {});
  setSignedIn(await session());
  location.hash = '#/sign-in';
});
window.addEventListener('hashchange', route);
session().then((s) => { setSignedIn(s); return route(); }).catch((e) => showError(view, e));
