/** Logger port: JSON lines to stderr by default; tests pass a silent or capturing logger. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** field names whose string values are never written (a token, key or password passed in a log call by mistake) */
const SECRET_FIELDS = new Set(['authorization', 'password', 'passphrase', 'token', 'apikey', 'api_key', 'secret', 'sharedsecret', 'privatekey', 'privatekeypem', 'cookie']);

/**
 * One JSON line per entry, and a log call never throws: an Error field is written as its name,
 * message and code (JSON.stringify wrote {}), a bigint as a string, a cycle as "[circular]", and a
 * field named like a secret (token, password, authorization…) as "[redacted]".
 */
export function logLine(entry: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(entry, (key, value: unknown) => {
    if (typeof value === 'string' && key !== '' && SECRET_FIELDS.has(key.toLowerCase())) return '[redacted]';
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) {
      const code = (value as Error & { code?: unknown }).code;
      return { name: value.name, message: value.message, ...(code !== undefined ? { code } : {}) };
    }
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
}

export function createJsonLogger(opts: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const min = order[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    write(logLine({ time: new Date().toISOString(), level, msg, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Captures entries in memory; for tests that assert what was logged. */
export function createMemoryLogger(): Logger & { entries: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> } {
  const entries: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }> = [];
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => { entries.push({ level, msg, fields }); };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
