/**
 * The gateway's Prometheus metrics (prom-client), one registry per process: the HTTP thread counts
 * what happens in it as it happens (intake, processing outcomes as the processing threads hand them
 * back, jobs, the ERP feed, HTTP requests). Counters are since the process started, as Prometheus
 * expects (rate() handles restarts). Stored totals (documents, exceptions open) come from the
 * row_counts table (src/db/row-counts.ts), never from a COUNT over history.
 *
 * Cardinality is bounded: labels are partner ids (configured), transports, formats, document
 * types, stages, error codes (a fixed vocabulary), job kinds and states, and the route pattern of
 * an HTTP request (never its URL, never a message id). A partner id the gateway does not know is
 * counted as `unknown`.
 */
import { Counter, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

/** what a partner label may hold: configured ids pass, anything else (an unauthenticated guess) is `unknown` */
let knownPartner: (id: string) => boolean = () => true;
export function setKnownPartners(isKnown: (id: string) => boolean): void {
  knownPartner = isKnown;
}
/** the partner label of an id: a configured id as it is, anything else (or none) `unknown` */
export const partnerLabel = (id: string | null | undefined) => (id && knownPartner(id) ? id : 'unknown');

const messagesReceived = new Counter({
  name: 'edigw_messages_received_total',
  help: 'Messages taken in and stored, by partner, transport (http, upload, sftp, as2) and outcome (stored, duplicate, refused: stored with an exception of stage receive)',
  labelNames: ['partner', 'transport', 'outcome'] as const,
  registers: [registry],
});
const messagesProcessed = new Counter({
  name: 'edigw_messages_processed_total',
  help: 'Messages the pipeline finished, by partner, wire format and status (processed, failed, duplicate)',
  labelNames: ['partner', 'format', 'status'] as const,
  registers: [registry],
});
const documents = new Counter({
  name: 'edigw_documents_total',
  help: 'Documents the pipeline produced, by partner, canonical type and status (ready, failed, …); documents of a large interchange past the outcome\'s first 1000 units are counted with type="unlisted"',
  labelNames: ['partner', 'type', 'status'] as const,
  registers: [registry],
});
const exceptionsOpened = new Counter({
  name: 'edigw_exceptions_opened_total',
  help: 'Exceptions opened by processing, by partner, stage and error code',
  labelNames: ['partner', 'stage', 'code'] as const,
  registers: [registry],
});
const jobAttempts = new Counter({
  name: 'edigw_job_attempts_total',
  help: 'Job attempts this node ran, by kind, partner and the state they left the job in (done, waiting: retry later, failed)',
  labelNames: ['kind', 'partner', 'state'] as const,
  registers: [registry],
});
const messagesSent = new Counter({
  name: 'edigw_messages_sent_total',
  help: 'Outbound sends (partner messages, functional acks) this node finished, by partner, channel (sftp, as2, http, pickup) and status',
  labelNames: ['partner', 'kind', 'channel', 'status'] as const,
  registers: [registry],
});
const feedDocuments = new Counter({
  name: 'edigw_erp_feed_documents_total',
  help: 'Documents of the ERP pull feed, by partner and outcome (leased, throttled: held back by the partner throttle)',
  labelNames: ['partner', 'outcome'] as const,
  registers: [registry],
});
const feedAcks = new Counter({
  name: 'edigw_erp_feed_acks_total',
  help: 'Document ids the ERP acknowledged on the pull feed, by outcome (acknowledged, unknown)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const httpDuration = new Histogram({
  name: 'edigw_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern (as registered, e.g. /api/v1/messages/:id; unmatched for none) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const acks = new Counter({
  name: 'edigw_acks_total',
  help: 'Functional acknowledgements by partner, direction (sent: ours; received: a partner\'s, reconciled), kind (997, 999, TA1, CONTRL) and disposition (accepted, accepted_with_errors, partially_accepted, rejected, received; not_read: a chunked ack of a large interchange, not re-read)',
  labelNames: ['partner', 'direction', 'kind', 'disposition'] as const,
  registers: [registry],
});
const erpPushDuration = new Histogram({
  name: 'edigw_erp_push_duration_seconds',
  help: 'ERP push requests (EDIGW_ERP_URL) by partner, outcome (delivered, retryable, permanent) and HTTP status (none: no answer)',
  labelNames: ['partner', 'outcome', 'status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const erpPushWaits = new Counter({
  name: 'edigw_erp_push_waits_total',
  help: 'ERP pushes held back before any request, by partner and reason (throttle: the partner\'s throttle had no token; circuit: the ERP circuit was open)',
  labelNames: ['partner', 'reason'] as const,
  registers: [registry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const metrics = {
  messageReceived(partnerId: string | null | undefined, transport: string, outcome: 'stored' | 'duplicate' | 'refused', refusedCode?: string): void {
    const partner = partnerLabel(partnerId);
    messagesReceived.inc({ partner, transport, outcome });
    if (refusedCode) exceptionsOpened.inc({ partner, stage: 'receive', code: refusedCode });
  },

  /** a processing outcome (src/pipeline/inbound/process-message.ts MessageOutcome), as the worker gets it back */
  messageProcessed(o: { partnerId: string | null; status: string; format?: string; units: Array<{ status: string; envelope?: { type: string }; error?: { stage: string; code: string } }>; errors: Array<{ stage: string; code: string }>; unitsNotShown?: number; acksSent?: Array<{ message: string; disposition: string }> }): void {
    const partner = partnerLabel(o.partnerId);
    messagesProcessed.inc({ partner, format: o.format ?? 'unknown', status: o.status });
    for (const u of o.units) {
      if (u.envelope) documents.inc({ partner, type: u.envelope.type, status: u.status });
      if (u.error) exceptionsOpened.inc({ partner, stage: u.error.stage, code: u.error.code });
    }
    for (const a of o.acksSent ?? []) acks.inc({ partner, direction: 'sent', kind: a.message, disposition: a.disposition });
    if (o.unitsNotShown) documents.inc({ partner, type: 'unlisted', status: 'unlisted' }, o.unitsNotShown);
    for (const e of o.errors) exceptionsOpened.inc({ partner, stage: e.stage, code: e.code });
  },

  /** one job attempt settled: state is what the job is now (done, waiting for a retry, failed) */
  jobAttempt(job: { kind: string; partnerId: string | null }, state: 'done' | 'waiting' | 'failed', outcome?: unknown): void {
    const partner = job.partnerId ? partnerLabel(job.partnerId) : 'none';
    jobAttempts.inc({ kind: job.kind, partner, state });
    // a send's outcome names its channel and status (src/pipeline/outbound/send-task.ts)
    const o = outcome as { channel?: unknown; status?: unknown } | undefined;
    if (state === 'done' && o && typeof o.channel === 'string') {
      messagesSent.inc({ partner, kind: job.kind, channel: o.channel, status: typeof o.status === 'string' ? o.status : 'sent' });
    } else if (state === 'failed' && (job.kind === 'partner.send' || job.kind === 'ack.send')) {
      messagesSent.inc({ partner, kind: job.kind, channel: 'unknown', status: 'failed' });
    }
  },

  feedLeased(partnerId: string, outcome: 'leased' | 'throttled', n = 1): void {
    feedDocuments.inc({ partner: partnerLabel(partnerId), outcome }, n);
  },

  feedAcked(acknowledged: number, unknown: number): void {
    if (acknowledged) feedAcks.inc({ outcome: 'acknowledged' }, acknowledged);
    if (unknown) feedAcks.inc({ outcome: 'unknown' }, unknown);
  },

  /** a partner's acknowledgement of ours, as the reconciler read it */
  ackReceived(partnerId: string, kind: string, disposition: string): void {
    acks.inc({ partner: partnerLabel(partnerId), direction: 'received', kind, disposition });
  },

  /** one push request answered (or failed without an answer: status undefined) */
  erpPushed(partnerId: string, outcome: 'delivered' | 'retryable' | 'permanent', status: number | undefined, seconds: number): void {
    erpPushDuration.observe({ partner: partnerLabel(partnerId), outcome, status: status === undefined ? 'none' : String(status) }, seconds);
  },

  erpPushWaited(partnerId: string, reason: 'throttle' | 'circuit'): void {
    erpPushWaits.inc({ partner: partnerLabel(partnerId), reason });
  },

  /** `route`: the matched route pattern (Hono's routePath), never the URL */
  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    httpDuration.observe({ method: METHODS.has(method) ? method : 'OTHER', route: route && route !== '/*' && route !== '*' ? route : 'unmatched', status: String(status) }, seconds);
  },
};
