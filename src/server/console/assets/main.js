// The console shell: sign-in with a bearer token (sessionStorage), hash routes, page rendering.
import { api, ApiError, session } from './api.js';
import { alertBox, errorText, h, replace } from './dom.js';
import { documentPage, documentsPage, orderPage, overduePage } from './pages/documents.js';
import { exceptionPage, exceptionsPage } from './pages/exceptions.js';
import { jobsPage } from './pages/jobs.js';
import { messagePage, messagesPage } from './pages/messages.js';
import { overviewPage } from './pages/overview.js';
import { auditPage } from './pages/audit.js';
import { partnerPage, partnersPage } from './pages/partners.js';
import { searchPage } from './pages/search.js';

const routes = [
  [/^$/, overviewPage, 'overview'],
  [/^exceptions$/, exceptionsPage, 'exceptions'],
  [/^exceptions\/([^/]+)$/, exceptionPage, 'exceptions'],
  [/^messages$/, messagesPage, 'messages'],
  [/^messages\/([^/]+)$/, messagePage, 'messages'],
  [/^documents$/, documentsPage, 'documents'],
  [/^documents\/([^/]+)$/, documentPage, 'documents'],
  [/^orders\/overdue$/, overduePage, 'documents'],
  [/^orders\/([^/]+)$/, orderPage, 'documents'],
  [/^partners$/, partnersPage, 'partners'],
  [/^partners\/([^/]+)$/, partnerPage, 'partners'],
  [/^jobs$/, jobsPage, 'jobs'],
  [/^search$/, searchPage, 'search'],
  [/^audit$/, auditPage, 'audit'],
];

const $ = (id) => document.getElementById(id);
const view = $('view');
let signedIn = false;
let renderSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p = '', q = ''] = raw.split('?');
  return { path: p.replace(/\/+$/, ''), query: new URLSearchParams(q) };
}

/** navigates to a console route: go('messages', { partner: 'acme' }) */
function go(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const next = `#/${path}${q.toString() ? `?${q}` : ''}`;
  if (location.hash === next) render();
  else location.hash = next;
}

async function render() {
  if (!signedIn) return;
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const route = routes.find(([re]) => re.test(path));
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === route?.[2]);
  if (!route) {
    replace(view, alertBox('error', `No console page at #/${path}.`));
    return;
  }
  const [re, page] = route;
  const params = re.exec(path).slice(1).map(decodeURIComponent);
  replace(view, h('p', { class: 'loading' }, 'Loading…'));
  const ctx = { params, query, go, refresh: render, isCurrent: () => seq === renderSeq };
  try {
    const content = await page(ctx);
    if (seq === renderSeq) replace(view, content);
  } catch (e) {
    if (seq === renderSeq && !(e instanceof ApiError && e.status === 401)) replace(view, alertBox('error', errorText(e)));
  }
}

function showSignIn(message, kind = 'error') {
  signedIn = false;
  renderSeq++;
  $('nav').hidden = true;
  $('find-form').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  replace(view);
  const box = $('sign-in-error');
  box.className = `alert ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = message ?? '';
  box.hidden = !message;
  $('token').value = '';
  $('token').focus();
}

async function identify() {
  try {
    const me = await api('/api/v1/console/whoami');
    signedIn = true;
    $('sign-in').hidden = true;
    $('nav').hidden = false;
    $('find-form').hidden = false;
    $('who').hidden = false;
    $('who-name').textContent = `Signed in as ${me.name} (${me.role})`;
    await render();
  } catch (e) {
    session.clear();
    if (e instanceof ApiError && e.status === 401) showSignIn(`The gateway refused this token (401 unauthorized): ${e.message}.`);
    else if (e instanceof ApiError && e.status === 403) showSignIn(`This token may not use the console (403 forbidden): ${e.message}. Sign in with an operator or admin token.`);
    else showSignIn(`Could not sign in: ${errorText(e)}`);
  }
}

$('sign-in-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  session.set(token);
  identify();
});
// the search box in the top bar: every message that carries the number (pages/search.js)
$('find-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = $('find-q').value.trim();
  if (q) go('search', { q });
});
$('sign-out').addEventListener('click', () => {
  session.clear();
  showSignIn('Signed out. The token was removed from this tab.', 'info');
});
window.addEventListener('console:unauthorized', (ev) => {
  if (!signedIn) return;
  session.clear();
  showSignIn(`Your token is no longer accepted (401 unauthorized): ${ev.detail}. Sign in again.`);
});
window.addEventListener('hashchange', render);
// a click on the link of the page already shown loads it again (fresh counts)
document.addEventListener('click', (ev) => {
  const a = ev.target.closest?.('a[href^="#/"]');
  if (a && a.getAttribute('href') === location.hash && !ev.ctrlKey && !ev.metaKey) render();
});

if (session.token()) identify();
else showSignIn();
