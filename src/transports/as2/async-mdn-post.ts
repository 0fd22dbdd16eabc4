/**
 * One asynchronous MDN post as the outbox keeps it: stored as an outbound message before it is
 * tried (its headers, body and URL survive a restart), and posted once over HTTP.
 */
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../../core/ids.ts';
import type { Store } from '../../db/store.ts';
import type { NewJob } from '../../jobs/job-store.ts';
import type { FetchLike } from './async-mdn.ts';
import type { HeaderList } from './mime.ts';
import type { StoredMdn } from './mdn-store.ts';

/** what the outbox records about a post (also the job's outcome JSON and the exception's detail) */
export interface MdnPostIds {
  /** the outbound message holding the MDN as posted */
  mdnRow: string;
  as2MessageId: string;
  as2From: string;
  mdnMessageId: string;
  url: string;
  ingestedMessageId?: string;
}

export interface MdnPostRecord {
  url: string;
  headers: HeaderList;
  body: Uint8Array;
  ids: MdnPostIds;
}

export const mdnPostKey = (mdnMessageId: string): string => `as2-mdn-post:${mdnMessageId}`;

/**
 * Stores the MDN to post (once per MDN Message-ID and URL: a resent message re-posting the same
 * MDN finds it again) and returns the message id.
 */
/** stores the MDN to post (once per MDN and URL) with the jobs `jobs` names for a new row, in one transaction; returns the row's id */
export async function storeMdnPost(o: { store: Store; ids: IdGenerator; at: string; partnerId: string; url: string; mdn: StoredMdn; jobs?: (rowId: string) => NewJob[] }): Promise<string> {
  const key = mdnPostKey(o.mdn.messageId);
  const existing = await o.store.findByExternalId(key);
  if (existing && (JSON.parse(existing.metadata) as Record<string, string>).receiptUrl === o.url) return existing.id;
  const id = o.ids('msg');
  await o.store.insertMessage({
    id, receivedAt: o.at, direction: 'outbound', transport: 'as2-mdn', partnerId: o.partnerId, status: 'processed', externalId: key,
    metadata: {
      kind: 'MDN', as2MessageId: o.mdn.originalMessageId, as2From: o.mdn.as2From, mdnMessageId: o.mdn.messageId, disposition: o.mdn.disposition,
      receiptUrl: o.url, headers: JSON.stringify(o.mdn.headers), ...(o.mdn.ingestedMessageId ? { ingestedMessageId: o.mdn.ingestedMessageId } : {}),
    },
    contentSha256: createHash('sha256').update(o.mdn.body).digest('hex'), raw: o.mdn.body, test: false,
    ...(o.jobs ? { jobs: o.jobs(id) } : {}),
  });
  return id;
}

/** Posts once; ok for a 2xx. `answer` is what the partner said: `HTTP 503 busy` or the network error. */
export async function postMdn(fetch: FetchLike, post: MdnPostRecord, timeoutMs: number): Promise<{ ok: boolean; answer: string; status?: number; retryAfter?: string }> {
  try {
    const res = await fetch(post.url, { method: 'POST', headers: post.headers, body: post.body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text().catch(() => '');
    const answer = `HTTP ${res.status}${text.trim() ? ` ${text.trim().replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
    const retryAfter = res.headers.get('retry-after');
    return { ok: res.status >= 200 && res.status < 300, answer, status: res.status, ...(retryAfter ? { retryAfter } : {}) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, answer: err.cause?.message ? `${err.message}: ${err.cause.message}` : err.message };
  }
}
