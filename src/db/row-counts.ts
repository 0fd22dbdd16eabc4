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

/**
 * The count changes of one transaction ('documents:ready' → +3, 'documents:held' → -1). The stores
 * keep row_counts themselves, once per transaction (a batch of units on SQLite, the batch's one
 * delta row per name on PostgreSQL), instead of a trigger per row: the trigger was the largest
 * single cost of a document INSERT (issue 11, bench/inserts.ts).
 */
export class CountDeltas extends Map<string, number> {
  /** `n` more rows of `table` in `status` (negative: fewer) */
  add(table: 'messages' | 'documents' | 'exceptions', status: string, n = 1): this {
    if (n === 0) return this;
    const name = `${table}:${status}`;
    return this.set(name, (this.get(name) ?? 0) + n);
  }
  /** a row of `table` moved from one status to another (nothing when they are the same) */
  move(table: 'messages' | 'documents' | 'exceptions', from: string, to: string, n = 1): this {
    if (from === to) return this;
    return this.add(table, from, -n).add(table, to, n);
  }
  addAll(other: Map<string, number>): this {
    for (const [name, n] of other) if (n !== 0) this.set(name, (this.get(name) ?? 0) + n);
    return this;
  }
  /** the changes that are not zero, as (name, delta) pairs */
  nonZero(): Array<[string, number]> {
    return [...this].filter(([, n]) => n !== 0);
  }
}
