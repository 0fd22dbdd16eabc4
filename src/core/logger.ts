/** Logger port: JSON lines to stderr by default; tests pass a silent or capturing logger. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createJsonLogger(opts: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const min = order[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
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
