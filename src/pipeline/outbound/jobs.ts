/**
 * Outbound tracking on the existing delivery_jobs table (no schema change): per outbound document
 * one `partner_send` job (pending -> delivered | failed; the transport's outcome as JSON in
 * lastError) and, for X12 (and EDIFACT with CONTRL), one `functional_ack` job (pending until the 997/999 reconciles it:
 * delivered = accepted, failed = rejected). Job ids derive from the document id.
 */
export const SEND_TARGET = 'partner_send';
export const ACK_TARGET = 'functional_ack';

export const sendJobId = (documentId: string): string => `job_send_${documentId}`;
export const ackJobId = (documentId: string): string => `job_fack_${documentId}`;

/** `x12-gs:<partner>:<GS06 without leading zeros>`: the outbound message's external id, found again by a 997/999's AK102 */
export function outboundGroupKey(partnerId: string, groupControlNumber: string): string {
  return `x12-gs:${partnerId}:${groupControlNumber.replace(/^0+(?=\d)/, '')}`;
}

/** `edifact-unb:<partner>:<UNB 0020>`: found again by a CONTRL's UCI 0020 */
export function outboundInterchangeKey(partnerId: string, interchangeReference: string): string {
  return `edifact-unb:${partnerId}:${interchangeReference}`;
}

export function parseOutcome(text: string | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? v as Record<string, unknown> : { detail: text };
  } catch {
    return { detail: text };
  }
}
