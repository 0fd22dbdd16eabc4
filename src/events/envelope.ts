/**
 * Business events as CloudEvents 1.0 (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md):
 * `newEvent` builds the row the outbox stores; `cloudEvent` the JSON (structured mode) a sink sends.
 * Our attributes are CloudEvents extensions, so they are named as the spec requires (§3.1.1:
 * lower-case letters and digits only): `partnerid`, `correlationid`, `documentid`, and `sequence`
 * (the Sequence extension: the event's position in the gateway's log, as a string).
 * Each type's `data` has a versioned JSON Schema in src/canonical/events/ (`dataschema` names it).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventRow, NewEvent } from './event-store.ts';

export const EVENT_TYPES = [
  'document.released', 'order.acknowledged', 'order.changed', 'shipment.noticed', 'receipt.posted', 'receipt.discrepancy',
  'invoice.matched', 'invoice.held', 'ack.overdue', 'ack.rejected', 'message.failed', 'exception.opened', 'exception.resolved',
  'certificate.expiring', 'partner.poller_down',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** the schema version of each type's data (a breaking change adds a new version file) */
export const EVENT_SCHEMA_VERSION = 1;
export const dataSchemaOf = (type: string) => `https://edi-gateway.dev/events/v${EVENT_SCHEMA_VERSION}/${type}.schema.json`;

/** CloudEvents `source` of this gateway's events (EDIGW_EVENT_SOURCE overrides it) */
export const DEFAULT_EVENT_SOURCE = '/edi-gateway';

export interface EventFacts {
  type: EventType;
  at: string;
  partnerId?: string | null;
  correlationId?: string | null;
  documentId?: string | null;
  documentType?: string | null;
  subject?: string | null;
  data: Record<string, unknown>;
  /**
   * a fact a sweep may notice again (an overdue ack, an expiring certificate): the id is derived
   * from it, so the event is written once however often it is noticed
   */
  once?: string;
  source?: string;
}

export function newEvent(f: EventFacts): NewEvent {
  const id = f.once !== undefined
    ? `evt_${createHash('sha256').update(`${f.type}\u0000${f.once}`).digest('hex').slice(0, 28)}`
    : `evt_${Date.parse(f.at).toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
  return {
    id, type: f.type, source: f.source ?? DEFAULT_EVENT_SOURCE, subject: f.subject ?? f.documentId ?? null, time: f.at,
    partnerId: f.partnerId ?? null, correlationId: f.correlationId ?? null, documentId: f.documentId ?? null,
    documentType: f.documentType ?? null, data: f.data,
  };
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  dataschema: string;
  sequence: string;
  partnerid?: string;
  correlationid?: string;
  documentid?: string;
  data: Record<string, unknown>;
}

export function cloudEvent(e: EventRow): CloudEvent {
  return {
    specversion: '1.0', id: e.id, source: e.source, type: e.type, time: e.time,
    ...(e.subject !== null ? { subject: e.subject } : {}),
    datacontenttype: 'application/json', dataschema: dataSchemaOf(e.type), sequence: String(e.seq),
    ...(e.partnerId !== null ? { partnerid: e.partnerId } : {}),
    ...(e.correlationId !== null ? { correlationid: e.correlationId } : {}),
    ...(e.documentId !== null ? { documentid: e.documentId } : {}),
    data: e.data,
  };
}
