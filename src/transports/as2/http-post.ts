/**
 * An AS2 POST through node:http / node:https, for what fetch cannot be told per request: chunked
 * transfer encoding (the body streamed) or a minimum TLS version (a partner's `as2.chunked`,
 * `as2.minTlsVersion`). Answers a web Response, like the FetchLike it stands in for.
 */
import http from 'node:http';
import https from 'node:https';
import type { FetchLike } from './async-mdn.ts';

export interface As2HttpOptions {
  /** true: Transfer-Encoding: chunked; false: Content-Length */
  chunked: boolean;
  /** the lowest TLS version accepted for an https URL */
  minTlsVersion?: '1.2' | '1.3';
}

/** the largest answer read (an MDN is a few KB; an error page rarely more) */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export function createAs2HttpPost(o: As2HttpOptions): FetchLike {
  return (url, init) => new Promise<Response>((resolve, reject) => {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    const headers: Record<string, string> = {};
    for (const [k, v] of init.headers) headers[k] = v;
    if (!o.chunked) headers['Content-Length'] = String(init.body.byteLength);
    const options: https.RequestOptions = {
      method: init.method, headers, ...(init.signal ? { signal: init.signal } : {}),
      ...(secure && o.minTlsVersion ? { minVersion: o.minTlsVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2' } : {}),
    };
    const req = (secure ? https : http).request(u, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) { res.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`)); return; }
        chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 500;
        // a 1xx never reaches here (node reads past 102 Processing); 204/304 carry no body
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: h }));
      });
    });
    req.on('error', reject);
    if (o.chunked) {
      // written in slices: node sends each as a chunk
      const slice = 64 * 1024;
      for (let i = 0; i < init.body.byteLength; i += slice) req.write(init.body.subarray(i, i + slice));
      req.end();
    } else {
      req.end(init.body);
    }
  });
}
