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
 * The open exceptions of each partner and error code ('open_exceptions:acme:mapping_failed' → n;
 * an exception of no partner has an empty id) are kept the same way, beside 'exceptions:open', by
 * the transaction that opens or resolves them: /metrics reads a row per pair (bounded by the
 * configured partners and the error vocabulary), never a COUNT over exceptions.
 */
const OPEN_EXCEPTIONS = 'open_exceptions:';
/** the SQL condition that picks those names out of row_counts (same text on SQLite and PostgreSQL) */
export const OPEN_EXCEPTIONS_WHERE = `substr(name, 1, ${OPEN_EXCEPTIONS.length}) = '${OPEN_EXCEPTIONS}'`;

export interface OpenExceptionCount { partnerId: string | null; code: string; open: number }

export function openExceptionsFromRows(rows: Array<{ name: string; value: number | string | bigint | null }>): OpenExceptionCount[] {
  const out: OpenExceptionCount[] = [];
  for (const r of rows) {
    if (!r.name.startsWith(OPEN_EXCEPTIONS)) continue;
    // a partner id has no ':' (schemas/partner.schema.json), so the first one ends it; the code is the rest
    const rest = r.name.slice(OPEN_EXCEPTIONS.length);
    const cut = rest.indexOf(':');
    if (cut < 0) continue;
    out.push({ partnerId: rest.slice(0, cut) || null, code: rest.slice(cut + 1), open: Number(r.value ?? 0) });
  }
  return out;
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
  /** `n` more open exceptions of a partner (null: none identified) with this error code (negative: resolved) */
  openExceptions(partnerId: string | null, code: string, n = 1): this {
    if (n === 0) return this;
    const name = `${OPEN_EXCEPTIONS}${partnerId ?? ''}:${code}`;
    return this.set(name, (this.get(name) ?? 0) + n);
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
