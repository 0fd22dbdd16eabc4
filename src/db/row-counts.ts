/**
 * The counts /healthz and /metrics report, from the row_counts table's per-status totals
 * ('messages:received' → n). Reading them costs the same at 1 row or 1M rows.
 */
export function countsFromRows(rows: Array<{ name: string; value: number | string | bigint | null }>): Record<string, number> {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.name, Number(r.value ?? 0));
  const get = (name: string) => by.get(name) ?? 0;
  const total = (table: string) => {
    let n = 0;
    for (const [name, v] of by) if (name.startsWith(`${table}:`)) n += v;
    return n;
  };
  return {
    messages: total('messages'),
    documents: total('documents'),
    documents_ready: get('documents:ready'),
    documents_delivered: get('documents:delivered'),
    exceptions_open: get('exceptions:open'),
    messages_pending: get('messages:received'),
  };
}
