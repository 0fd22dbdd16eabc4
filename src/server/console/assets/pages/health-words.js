// The overview's verdict, from GET /api/v1/status: its `status` is the readiness a probe reads
// (ok while the store takes writes), so it says `ok` while pollers fail or documents wait. The
// console says "ok" only when no check failed and nothing waits; otherwise it names each thing.

/** [{ level: 'bad' | 'warn', text, href? }] for everything an operator should know */
export function problemsOf(status) {
  const out = [];
  const bad = (text, href) => out.push({ level: 'bad', text, href });
  const warn = (text, href) => out.push({ level: 'warn', text, href });
  const checks = status.checks ?? {};
  if (status.status === 'draining') bad('the gateway is draining (shutting down): it takes no new work');
  if (status.storage && status.storage.writable === false) bad(`the store takes no writes${status.storage.reason ? ` (${status.storage.reason})` : ''}`);
  for (const p of status.sftp ?? []) {
    const down = (p.consecutiveFailures ?? 0) > 0 || (p.running === false && p.lastError);
    if (!down) continue;
    const why = p.lastError ? `: ${p.lastError.message}` : '';
    bad(`SFTP poller ${p.partnerId} is down (${p.running ? `${p.consecutiveFailures} failure(s) in a row` : 'not running'})${why}`, `#/partners/${encodeURIComponent(p.partnerId)}`);
  }
  if (checks.erpPush === 'failed') {
    const c = status.erpPush?.circuit;
    bad(`the ERP push circuit is ${typeof c === 'string' ? c : c?.state ?? 'not closed'}: documents are not pushed`);
  }
  if (checks.config === 'failed') {
    if (status.config?.refusedReload) bad('the last configuration reload was refused: the previous configuration still serves');
    for (const d of status.config?.disabledPartners ?? []) bad(`partner ${d.id} is disabled (${d.file}): ${(d.problems ?? []).join('; ')}`);
  }
  for (const s of status.missingSecrets ?? []) bad(`partner ${s.partnerId}: ${s.env} is not set, so ${s.effect}`, `#/partners/${encodeURIComponent(s.partnerId)}`);
  if (checks.events === 'failed') bad('business-event subscribers need attention (a refused reload or an open circuit)');
  for (const c of status.certificates ?? []) warn(`certificate of ${c.owner} is ${c.status}${c.daysLeft !== undefined ? ` (${c.daysLeft} day(s) left)` : ''}`);
  const n = status.counts ?? {};
  if (n.documents_ready > 0) warn(`${n.documents_ready} document(s) wait for the ERP to collect them`, '#/documents');
  const held = Math.max(0, (n.documents ?? 0) - (n.documents_ready ?? 0) - (n.documents_delivered ?? 0));
  if (held > 0) warn(`${held} document(s) held by a business rule`);
  if (n.messages_pending > 0) warn(`${n.messages_pending} message(s) wait to be processed`, '#/messages?status=received');
  if (n.exceptions_open > 0) bad(`${n.exceptions_open} open exception(s)`, '#/exceptions');
  return out;
}

/** ok, attention (something waits) or problem (a check failed, exceptions are open) */
export function verdictOf(problems) {
  if (problems.some((p) => p.level === 'bad')) return 'problem';
  return problems.length ? 'attention' : 'ok';
}
