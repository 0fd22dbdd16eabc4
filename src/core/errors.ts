/**
 * Errors with stable codes. Every error the gateway reports to a user or stores in the
 * exception queue is a GatewayError: a machine-readable `code` that never changes meaning,
 * a human message, and structured detail (partner, control numbers, segment/element position,
 * JSON pointer, file:line:col...).
 */
export interface ErrorDetail {
  partnerId?: string;
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  transactionControlNumber?: string;
  /** segment tag and 1-based position in the transaction set / message / file */
  segment?: string;
  segmentPosition?: number;
  /** 1-based element position and optional component position */
  elementPosition?: number;
  componentPosition?: number;
  /** a standard's own error code (X12 AK4/IK4 code, TA1 note code, EDIFACT UCI/UCS code) */
  standardCode?: string;
  expected?: string;
  found?: string;
  [key: string]: unknown;
}

export class GatewayError extends Error {
  readonly code: string;
  readonly detail: ErrorDetail;

  constructor(code: string, message: string, detail: ErrorDetail = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
    this.detail = detail;
  }

  toJSON(): { code: string; message: string; detail: ErrorDetail } {
    return { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError;
}

/** Wraps anything thrown into a GatewayError without losing the original message. */
export function toGatewayError(e: unknown, fallbackCode = 'internal_error'): GatewayError {
  if (e instanceof GatewayError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new GatewayError(fallbackCode, message, {}, { cause: e });
}
