/**
 * A small real ERP REST endpoint for tests and benchmarks (node:http on 127.0.0.1, port 0).
 * It records every POST (Idempotency-Key, Authorization, parsed body, the status it answered),
 * keeps idempotency like a careful ERP (a key it already accepted gets 409), and can be told to:
 * fail (500), stall (never answer), throttle (429 + Retry-After), answer garbage (200 with a
 * non-JSON body), reject (4xx with a JSON error), hold (take the document, as a 201 would, and
 * never answer: the sender cannot know it arrived), or be down (listener closed; `up()` reopens the
 * same port). `next(...)` queues one-shot behaviours used before the standing one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type ErpBehaviour =
  | { kind: 'ok' }
  | { kind: 'fail'; status?: number }
  | { kind: 'stall' }
  | { kind: 'throttle'; retryAfter?: string; status?: 429 | 503 }
  | { kind: 'garbage' }
  | { kind: 'hold' }
  | { kind: 'reject'; status?: number; body?: string };

export interface ReceivedPost {
  seq: number;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  partnerId: string | undefined;
  body: unknown;
  /** status answered; undefined while stalled */
  status: number | undefined;
}

export interface TestErpServer {
  url: string;
  port: number;
  received: ReceivedPost[];
  /** posts answered 2xx, in arrival order */
  accepted(): ReceivedPost[];
  behave(b: ErpBehaviour): void;
  next(...b: ErpBehaviour[]): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startErpServer(opts: { token?: string; path?: string } = {}): Promise<TestErpServer> {
  const path = opts.path ?? '/erp/documents';
  const received: ReceivedPost[] = [];
  const acceptedKeys = new Set<string>();
  const sockets = new Set<Socket>();
  const queued: ErpBehaviour[] = [];
  let standing: ErpBehaviour = { kind: 'ok' };
  let port = 0;

  const answer = (res: ServerResponse, post: ReceivedPost, status: number, body: string, headers: Record<string, string> = {}): void => {
    post.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method !== 'POST' || req.url !== path) { res.writeHead(404).end(); return; }
    let body: unknown = raw;
    try { body = JSON.parse(raw); } catch { /* kept raw */ }
    const key = header(req, 'idempotency-key');
    const post: ReceivedPost = {
      seq: received.length + 1,
      idempotencyKey: key,
      authorization: header(req, 'authorization'),
      partnerId: typeof body === 'object' && body !== null ? String((body as { partnerId?: unknown }).partnerId) : undefined,
      body,
      status: undefined,
    };
    received.push(post);
    const b = queued.shift() ?? standing;
    switch (b.kind) {
      case 'stall': return; // never answers; the socket is destroyed by down()/close()
      case 'fail': return answer(res, post, b.status ?? 500, '{"error":"internal error"}');
      case 'throttle':
        return answer(res, post, b.status ?? 429, '{"error":"slow down"}', b.retryAfter !== undefined ? { 'retry-after': b.retryAfter } : {});
      case 'reject': return answer(res, post, b.status ?? 422, b.body ?? '{"error":"invalid document","field":"document.lines"}');
      default: break;
    }
    if (opts.token !== undefined && post.authorization !== `Bearer ${opts.token}`) return answer(res, post, 401, '{"error":"unauthorized"}');
    if (!key) return answer(res, post, 400, '{"error":"Idempotency-Key required"}');
    if (acceptedKeys.has(key)) return answer(res, post, 409, '{"status":"duplicate"}');
    acceptedKeys.add(key);
    if (b.kind === 'hold') { post.status = 201; return; } // kept; the answer never leaves (the socket is destroyed by down()/close())
    if (b.kind === 'garbage') { post.status = 200; res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>OK?? \u0000 not json'); return; }
    answer(res, post, 201, JSON.stringify({ status: 'accepted', id: key }));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  const listen = (): Promise<void> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr && typeof addr === 'object') port = addr.port;
      resolve();
    });
  });
  const shut = (): Promise<void> => new Promise((resolve) => {
    if (!server.listening) { resolve(); return; }
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });

  await listen();
  return {
    get url() { return `http://127.0.0.1:${port}${path}`; },
    get port() { return port; },
    received,
    accepted: () => received.filter((p) => p.status !== undefined && p.status >= 200 && p.status < 300),
    behave: (b) => { standing = b; },
    next: (...b) => { queued.push(...b); },
    down: shut,
    up: listen,
    close: shut,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
