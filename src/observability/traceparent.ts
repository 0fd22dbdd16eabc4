/**
 * The W3C Trace Context `traceparent` value (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`, lower-case; all-zero ids are invalid.
 * It is what crosses the boundaries a message's trace spans: the message row (stored at intake), a
 * job's payload, a processing thread (which reads the row), an ERP push (the request header).
 */
export interface TraceParent {
  traceId: string;
  spanId: string;
  /** bit 0: sampled */
  flags: number;
}

const PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** the parsed value, or undefined when it is not a valid traceparent (version ff, all-zero ids, wrong lengths) */
export function parseTraceparent(value: unknown): TraceParent | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PATTERN.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  // version 00 has exactly four fields; a later version may add fields after them (read as 00)
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

export function formatTraceparent(p: TraceParent): string {
  return `00-${p.traceId}-${p.spanId}-${(p.flags & 0xff).toString(16).padStart(2, '0')}`;
}
