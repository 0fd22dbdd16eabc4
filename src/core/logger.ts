/**
 * Logger port: JSON lines to stderr by default (pino); tests pass a silent or capturing logger.
 * Every implementation here adds the current log context (log-context.ts: request id, message id,
 * correlation id) to each line.
 */
import pino from 'pino';
import { logContext } from './log-context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** field names whose string values are never written (a token, key or password passed in a log call by mistake) */
const SECRET_FIELDS = new Set(['authorization', 'password', 'passphrase', 'token', 'apikey', 'api_key', 'secret', 'sharedsecret', 'privatekey', 'privatekeypem', 'cookie']);

/**
 * A copy of a line's fields that is safe to write and cannot make the writer throw: an Error as
 * its name, message and code (JSON.stringify wrote {}), a bigint as a string, an object seen
 * before on the way (a cycle) as "[circular]", and a field named like a secret (token, password,
 * authorization…, at any depth) as "[redacted]".
 */
export function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const walk = (key: string, value: unknown): unknown => {
    if (typeof value === 'string') return key !== '' && SECRET_FIELDS.has(key.toLowerCase()) ? '[redacted]' : value;
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) {
      const code = (value as Error & { code?: unknown }).code;
      return { name: value.name, message: value.message, ...(code !== undefined ? { code: walk('code', code) } : {}) };
    }
    if (!value || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return walk(key, toJSON.call(value, key));
    if (Array.isArray(value)) return value.map((v, i) => walk(String(i), v));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(k, v);
    return out;
  };
  return walk('', fields) as Record<string, unknown>;
}

/** the context's fields and the call's, the call's winning */
const withContext = (fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
  const ctx = logContext();
  return ctx ? { ...ctx, ...fields } : fields;
};

/**
 * JSON lines through pino: `{"level":"info","time":"<ISO>","msg":"…",…fields}`, one per call,
 * written synchronously to stderr (a line logged just before an exit is not lost), or to `write`.
 */
export function createJsonLogger(opts: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const destination = opts.write
    ? { write: (s: string) => { opts.write!(s.endsWith('\n') ? s.slice(0, -1) : s); } }
    : pino.destination({ fd: 2, sync: true });
  const p = pino({
    level: opts.level ?? 'info',
    base: undefined,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    const all = withContext(fields);
    try {
      if (all) p[level](safeFields(all), msg); else p[level](msg);
    } catch (e) {
      // a log call never throws (a getter that throws, a destination error)
      try { p[level]({ logError: String(e) }, msg); } catch { /* nothing left to do */ }
    }
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Captures entries in memory, with the log context as the JSON logger adds it; for tests that assert what was logged. */
export function createMemoryLogger(): Logger & { entries: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> } {
  const entries: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> = [];
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => { entries.push({ level, msg, fields: withContext(fields) }); };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
