// The supplier portal of one partner (issue 18): its users, an invitation form (the link is shown
// once, to send to the user), and while the partner is in test its certification checklist with
// the approval that switches it to production (admin tokens only; the API says so otherwise).
import { api } from '../api.js';
import { alertBox, badge, errorText, fmtTime, h, replace, section, table } from '../dom.js';

export async function portalSection(p) {
  const users = await api(`/api/v1/portal/users?partner=${encodeURIComponent(p.id)}`).then((r) => r.users).catch(() => []);
  const email = h('input', { id: 'portal-invite-email', type: 'email', required: true, placeholder: 'name@supplier.example' });
  const result = h('div', { id: 'portal-invite-result' });
  const form = h('form', { id: 'portal-invite-form', class: 'inline', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('/api/v1/portal/invitations', { method: 'POST', body: { partnerId: p.id, email: email.value } });
      replace(result, alertBox('success', `Invited ${r.email} (valid once, until ${fmtTime(r.expiresAt)}). Send them this link: `, h('code', { id: 'portal-invite-link' }, r.link)));
    } catch (err) { replace(result, alertBox('error', `Invitation refused: ${errorText(err)}`)); }
  } }, h('label', { for: 'portal-invite-email' }, 'Invite a portal user '), email, ' ', h('button', { type: 'submit' }, 'Invite'));
  const parts = [
    table([
      { label: 'User', cell: (u) => u.email },
      { label: 'Status', cell: (u) => badge(u.status === 'active' ? 'ok' : 'waiting') },
      { label: 'Last sign-in', cell: (u) => (u.lastLoginAt ? fmtTime(u.lastLoginAt) : u.status === 'invited' ? `invited, link valid until ${fmtTime(u.inviteExpiresAt)}` : '—') },
      { label: 'Locked until', cell: (u) => (u.lockedUntil ? fmtTime(u.lockedUntil) : '') },
    ], users, 'No portal users yet.'),
    form, result,
  ];
  if (p.status === 'test') parts.push(await certification(p));
  return section('Supplier portal', ...parts);
}

async function certification(p) {
  const out = h('div', { id: 'portal-certification' });
  const r = await api(`/api/v1/portal/certification/${encodeURIComponent(p.id)}`).catch((e) => ({ error: e }));
  if (r.error) return alertBox('error', errorText(r.error));
  const approved = h('div', { id: 'portal-approve-result' });
  replace(out, h('h3', {}, 'Certification', r.poNumber ? ` (test PO ${r.poNumber})` : ''),
    table([
      { label: 'Step', cell: (s) => s.title },
      { label: '', cell: (s) => badge(s.passed ? 'ok' : 'open') },
      { label: 'Status', cell: (s) => [s.status, s.findings.length ? h('ul', { class: 'plain' }, s.findings.map((x) => h('li', {}, `${x.code}: ${x.message}`))) : null] },
    ], r.steps),
    h('button', { type: 'button', id: 'portal-approve', disabled: !r.passed, onclick: async () => {
      try {
        const a = await api(`/api/v1/portal/certification/${encodeURIComponent(p.id)}/approve`, { method: 'POST', body: {} });
        replace(approved, alertBox('success', `${a.partnerId} is now ${a.status} (${a.file}).`));
      } catch (err) { replace(approved, alertBox('error', `Approval refused: ${errorText(err)}`)); }
    } }, r.passed ? 'Approve for production' : 'Approve for production (every step must pass first)'),
    approved);
  return out;
}
