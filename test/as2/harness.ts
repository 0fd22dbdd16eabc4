/** Serves an AS2 receiver on 127.0.0.1:0 with @hono/node-server and records what it ingested. */
import { createHash } from 'node:crypto';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { InboundMessage, Ingest } from '../../src/core/ingest.ts';

export interface Served { url: string; close(): Promise<void> }

export async function serveHandler(handler: (req: Request) => Promise<Response>): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}/as2`,
        close: () => new Promise<void>((r) => { server.close(() => r()); }),
      });
    });
  });
}

/**
 * An ingest callback that "commits" to memory and, like the spine's intake, stores every message
 * and marks the same bytes from the same partner a duplicate of the first. `messages`: accepted
 * messages (duplicates included); `rejected`: refused messages kept with their reason (never processed).
 */
export interface RecordingIngest { ingest: Ingest; messages: InboundMessage[]; rejected: InboundMessage[]; control: { failNext: number } }

export function createRecordingIngest(): RecordingIngest {
  const byContent = new Map<string, string>();
  const control = { failNext: 0 };
  const messages: InboundMessage[] = [];
  const rejected: InboundMessage[] = [];
  const ingest: Ingest = async (m) => {
    if (control.failNext > 0) { control.failNext--; throw new Error('database is unavailable'); }
    if (m.rejected) { rejected.push(m); return { messageId: `msg_rejected_${rejected.length}` }; }
    const key = `${m.partnerId}|${createHash('sha256').update(m.bytes).digest('hex')}`;
    messages.push(m);
    const id = `msg_${messages.length}`;
    const prior = byContent.get(key);
    if (prior) return { messageId: id, duplicateOf: prior };
    byContent.set(key, id);
    return { messageId: id };
  };
  return { ingest, messages, rejected, control };
}
