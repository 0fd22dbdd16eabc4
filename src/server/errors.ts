/**
 * The HTTP API's one error vocabulary. Every 4xx/5xx JSON answer of /api/v1/**, /healthz and the
 * route fallbacks has one shape:
 *
 *   { "error": { "code": "<stable code>", "message": "<for a person>", "detail": { … } } }
 *
 * `code` never changes meaning; `detail` (optional) is the GatewayError's ErrorDetail: partnerId,
 * interchange/group/transaction control numbers, segment and element positions, expected/found,
 * and per code the fields listed below (parameter for query_invalid, pointer for body_invalid…).
 * One code per situation: a resource named in the URL, query or body that does not exist is
 * `<resource>_not_found` (404), a bad query parameter `query_invalid` (400), a JSON body of the
 * wrong shape `body_invalid` (422), a canonical document its schema refuses `canonical_invalid`
 * (422, inbound and outbound alike). The OpenAPI document (src/server/openapi) lists this table.
 *
 * Use: `return apiError(c, 'job_not_found', `job ${id} does not exist`, { jobId: id })`, or for a
 * GatewayError thrown by the pipeline/store: `if (isApiError(e)) return answerError(c, e)`.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GatewayError, isGatewayError, type ErrorDetail } from '../core/errors.ts';

interface ErrorEntry { status: ContentfulStatusCode; summary: string }

export const API_ERRORS = {
  // 400: the request itself is malformed
  query_invalid: { status: 400, summary: 'a query parameter is missing or has a value the route does not take; detail: parameter, expected, found' },
  json_malformed: { status: 400, summary: 'the body is not JSON (for a JSON upload to /api/v1/inbound: detail line and column)' },
  body_empty: { status: 400, summary: 'the body is empty' },
  // 401, 403
  unauthorized: { status: 401, summary: 'no credentials, or a token or API key the gateway does not know' },
  webhook_signature_missing: { status: 401, summary: 'the partner signs its posts (http.signature) and the signature header is absent; the body is kept as a rejected message (detail: header, messageId)' },
  webhook_signature_malformed: { status: 401, summary: 'the signature header is not a digest of the declared form (prefix, hex or base64, 32 bytes); the body is kept (detail: header, messageId)' },
  webhook_signature_invalid: { status: 401, summary: 'the HMAC of the body does not match the signature header (wrong secret, or the body changed); the body is kept (detail: header, messageId)' },
  webhook_secret_unavailable: { status: 401, summary: "the partner's webhook secret (secretEnv/secretFile) is not available, so its posts cannot be verified; the body is kept (detail: messageId)" },
  forbidden: { status: 403, summary: 'the credentials are valid but their role or partner may not use this route or resource' },
  // 404: what the URL, query or body names does not exist (a partner's view: another partner's message does not exist either)
  route_not_found: { status: 404, summary: 'no route for this path' },
  message_not_found: { status: 404, summary: 'no such message (detail: messageId)' },
  document_not_found: { status: 404, summary: 'no such document (detail: documentId)' },
  exception_not_found: { status: 404, summary: 'no such exception (detail: exceptionId)' },
  job_not_found: { status: 404, summary: 'no such job (detail: jobId)' },
  partner_not_found: { status: 404, summary: 'no partner with this id is configured, running or disabled (detail: partnerId)' },
  order_not_found: { status: 404, summary: 'nothing is known about this purchase order number (detail: poNumber)' },
  subscriber_not_found: { status: 404, summary: 'no subscriber of business events with this name (subscribers/<name>.yaml; detail: subscriber)' },
  dead_letter_not_found: { status: 404, summary: 'the subscriber has no dead letter with this id (detail: subscriber, deadLetterId)' },
  // 405
  method_not_allowed: { status: 405, summary: 'the path exists with other methods; the Allow header and detail.allowed list them' },
  // 409: the resource is in a state that does not allow the action
  exception_discarded: { status: 409, summary: 'the exception was discarded; it cannot be replayed' },
  job_not_retryable: { status: 409, summary: 'only a failed or cancelled job can be retried (detail: found, expected)' },
  job_not_cancellable: { status: 409, summary: 'only a waiting or failed job can be cancelled (detail: found, expected)' },
  // 410
  message_purged: { status: 410, summary: 'retention purged the raw bytes (detail: purgedAt, policy); metadata, documents and exceptions are kept' },
  // 413, 415
  message_too_large: { status: 413, summary: 'the body exceeds EDIGW_MAX_BODY_BYTES (detail: expected)' },
  unsupported_media_type: { status: 415, summary: 'the Content-Type is not one the route takes' },
  // 422: well-formed JSON, but not what the route takes; or a document the gateway refuses before sending
  body_invalid: { status: 422, summary: 'the JSON body has the wrong shape; detail: pointer (JSON pointer), expected, found' },
  canonical_invalid: { status: 422, summary: 'the canonical document does not validate against its JSON Schema (detail: violations, each with a JSON pointer)' },
  outbound_type_unsupported: { status: 422, summary: 'the gateway does not send this document type outbound' },
  outbound_format_unsupported: { status: 422, summary: 'the partner\'s outbound format cannot carry this document' },
  outbound_exchange_unknown: { status: 422, summary: 'the partner profile has no outbound exchange for this document' },
  mapping_missing: { status: 422, summary: 'no mapping renders this document for the partner' },
  mapping_failed: { status: 422, summary: 'the partner\'s mapping failed on this document (detail: mapping rule file:line:col)' },
  x12_identifiers_missing: { status: 422, summary: 'the partner profile lacks the X12 sender/receiver identifiers an interchange needs' },
  x12_delimiters_invalid: { status: 422, summary: 'the partner profile\'s X12 delimiters collide or are not allowed' },
  x12_functional_id_unknown: { status: 422, summary: 'no X12 functional identifier (GS01) is known for this transaction set' },
  cxml_identities_missing: { status: 422, summary: 'the partner profile lacks the cXML From/To/Sender identities' },
  xml_invalid_character: { status: 422, summary: 'the document holds a character XML 1.0 cannot carry (detail: pointer)' },
  // 500, 503
  internal_error: { status: 500, summary: 'the gateway could not complete the request; it was logged' },
  shutting_down: { status: 503, summary: 'the gateway is draining; retry shortly (another node)' },
  store_unavailable: { status: 503, summary: 'the database cannot take writes right now (detail: reason); Retry-After says when to retry' },
  message_claimed_elsewhere: { status: 503, summary: 'another node is processing the message; Retry-After' },
} as const satisfies Record<string, ErrorEntry>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody { error: { code: string; message: string; detail?: ErrorDetail } }

/** whether `code` is in the vocabulary (a GatewayError with such a code may be answered as is) */
export const isApiErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(API_ERRORS, code);

/** a GatewayError whose code the API answers with its own status (anything else is a 500, via app.onError) */
export const isApiError = (e: unknown): e is GatewayError => isGatewayError(e) && isApiErrorCode(e.code);

export function errorBody(code: string, message: string, detail?: ErrorDetail): ApiErrorBody {
  return { error: { code, message, ...(detail && Object.keys(detail).length > 0 ? { detail } : {}) } };
}

/** the answer for a code of the vocabulary: its status, the one shape */
export function apiError(c: Context, code: ApiErrorCode, message: string, detail?: ErrorDetail, headers?: Record<string, string>): Response {
  return c.json(errorBody(code, message, detail), API_ERRORS[code].status, headers);
}

/** the answer for a GatewayError whose code is in the vocabulary (isApiError) */
export function answerError(c: Context, e: GatewayError, headers?: Record<string, string>): Response {
  const status = isApiErrorCode(e.code) ? API_ERRORS[e.code].status : 500;
  return c.json(errorBody(e.code, e.message, e.detail), status, headers);
}

/** a 404 for a resource id that does not exist: `<resource>_not_found` with the id in detail */
export function notFoundError(resource: 'message' | 'document' | 'exception' | 'job' | 'partner' | 'order', id: string, message?: string): GatewayError {
  const key = resource === 'order' ? 'poNumber' : `${resource}Id`;
  return new GatewayError(`${resource}_not_found`, message ?? `${resource} ${id} does not exist`, { [key]: id });
}

/** query_invalid for one parameter */
export function queryInvalid(parameter: string, expected: string, found: string | undefined): GatewayError {
  return new GatewayError('query_invalid', `${parameter} must be ${expected}${found === undefined ? '' : `, got "${found}"`}`, { parameter, expected, ...(found === undefined ? {} : { found }) });
}

/** body_invalid at a JSON pointer */
export function bodyInvalid(pointer: string, message: string, expected?: string, found?: string): GatewayError {
  return new GatewayError('body_invalid', message, { pointer, ...(expected ? { expected } : {}), ...(found !== undefined ? { found } : {}) });
}
