/**
 * A real HTTP webhook receiver for the events tests: records every POST (headers, raw body, what it
 * answered), checks each signature with the `verify` of docs/events.md's consumer script (extracted
 * from the doc and imported, so the documented code is what runs), and answers as told.
 * `down()` closes the listener (connection refused); `up()` listens again on the same port.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Verify = (secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds?: number) => boolean;

/** the consumer script of docs/events.md (its ```js block), imported from a temp file */
export async function docsVerify(): Promise<Verify> {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const block = /```js\n(\/\/ consumer\.mjs[\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/events.md has no ```js block starting with // consumer.mjs');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'edigw-consumer-')), 'docs-consumer.mjs');
  writeFileSync(file, block[1]!);
  return ((await import(pathToFileURL(file).href)) as { verify: Verify }).verify;
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; [k: string]: unknown };
  signatureValid: boolean;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** the answer for each request (default 204); 'hang' never answers */
  answer: (r: Omit<Received, 'answered'>) => number | 'hang';
  /** 2xx deliveries by event id */
  deliveredIds(): string[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(secret: string, opts: { port?: number } = {}): Promise<Receiver> {
  const verify = await docsVerify();
  let server: Server | undefined;
  let port = opts.port ?? 0;
  const r: Receiver = {
    url: '', received: [], answer: () => 204,
    deliveredIds: () => r.received.filter((x) => x.answered >= 200 && x.answered < 300).map((x) => x.event.id),
    async down() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); });
    },
    async up() {
      server = createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
          const base = { headers: req.headers, body, event: JSON.parse(body) as Received['event'], signatureValid: verify(secret, req.headers, body) };
          const a = base.signatureValid ? r.answer(base) : 401;
          if (a === 'hang') { r.received.push({ ...base, answered: 0 }); return; }
          r.received.push({ ...base, answered: a });
          res.writeHead(a).end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as { port: number }).port;
      r.url = `http://127.0.0.1:${port}/hooks/edi`;
    },
    close: () => r.down(),
  };
  await r.up();
  return r;
}
