/**
 * A real OTLP/HTTP trace receiver for tests: a node:http server taking `POST /v1/traces` with the
 * OTLP JSON encoding (the exporter's http/json; ids as hex strings, as the OTLP specification's JSON
 * mapping says), answering 200 with an empty ExportTraceServiceResponse. It keeps every span with its
 * resource's attributes, and every raw body (to check what was sent, byte for byte).
 */
import { createServer, type Server } from 'node:http';

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error */
  status: { code: number; message?: string };
  resource: Record<string, string | number | boolean>;
}

function anyValue(v: AnyValue): string | number | boolean {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  return JSON.stringify(v);
}
const attrs = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, anyValue(a.value)]));

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  bodies: string[];
  /** requests that were not a POST of JSON to /v1/traces */
  refused: string[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        refused.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        res.writeHead(404).end();
        return;
      }
      bodies.push(body);
      const request = JSON.parse(body) as { resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> };
      for (const rs of request.resourceSpans ?? []) {
        const resource = attrs(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: String(s.traceId), spanId: String(s.spanId), ...(s.parentSpanId ? { parentSpanId: String(s.parentSpanId) } : {}),
              name: String(s.name), kind: Number(s.kind), startNs: BigInt(String(s.startTimeUnixNano)), endNs: BigInt(String(s.endTimeUnixNano)),
              attributes: attrs(s.attributes as KeyValue[]), status: (s.status as { code?: number; message?: string }) ? { code: Number((s.status as { code?: number }).code ?? 0), message: (s.status as { message?: string }).message } : { code: 0 },
              resource,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, spans, bodies, refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
