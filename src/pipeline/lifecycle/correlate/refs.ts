/**
 * The documents a warehouse or carrier document names by number, which its rules check it
 * against: the ship notice a receipt names (asnNumber), the shipment a carrier status reports on
 * (a ship notice or a 945 with that shipment id), the warehouse order (940) a 945 ships, and the
 * milestones other documents already reported for the same shipment. Each is one indexed read by
 * business key (documents_business_key), whatever the history.
 */
import type { CanonicalEnvelope, ShipmentMilestone } from '../../../canonical/types.ts';
import type { DocumentRow } from '../../../db/schema.ts';
import type { Store } from '../../../db/store.ts';

export interface KnownMilestone { shipmentId: string; statusCode: string; occurredAt: string; documentId: string }

export interface DocumentRefs {
  /** receipt: the ship notice whose shipment id its asnNumber is (the newest, if re-sent) */
  shipNotice?: CanonicalEnvelope<'ship_notice'>;
  /** shipment_status: the ship notice or warehouse shipment (945) it reports on */
  shipment?: CanonicalEnvelope<'ship_notice'> | CanonicalEnvelope<'warehouse_shipment'>;
  /** warehouse_shipment: the warehouse order (940) it ships */
  warehouseOrder?: CanonicalEnvelope<'warehouse_order'>;
  /** shipment_status: milestones of the same shipment in documents stored before this one */
  knownMilestones?: KnownMilestone[];
}

/** how a shipment, order or ASN number is compared: trimmed, case ignored */
export const sameNumber = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim() !== '' && a.trim().toUpperCase() === b.trim().toUpperCase();

/** the key (shipment, status code, instant) by which a milestone reported twice is the same milestone */
export function milestoneKey(shipmentId: string, m: Pick<ShipmentMilestone, 'statusCode' | 'occurredAt'>): string {
  const t = Date.parse(m.occurredAt);
  return `${shipmentId.trim().toUpperCase()}|${m.statusCode.trim().toUpperCase()}|${Number.isNaN(t) ? m.occurredAt : t}`;
}

/** events of a milestone that need an operator's eye: the shipment is late, damaged or refused */
export const EXCEPTION_EVENTS: ReadonlySet<string> = new Set(['delayed', 'damaged', 'refused', 'exception']);

const parse = <T>(row: DocumentRow | undefined): T | undefined => (row ? JSON.parse(row.envelope) as T : undefined);

async function newest(store: Store, businessKey: string | undefined, type: string, exceptId: string): Promise<DocumentRow | undefined> {
  const key = businessKey?.trim();
  if (!key) return undefined;
  return (await store.findDocuments({ businessKey: key, type, limit: 2 })).find((d) => d.id !== exceptId);
}

/** what the store knows of the documents `envelope` names (nothing for the four procurement documents) */
export async function loadRefs(store: Store, envelope: CanonicalEnvelope): Promise<DocumentRefs> {
  switch (envelope.type) {
    case 'receipt': {
      const r = (envelope as CanonicalEnvelope<'receipt'>).document;
      const asn = parse<CanonicalEnvelope<'ship_notice'>>(await newest(store, r.asnNumber, 'ship_notice', envelope.id));
      return asn ? { shipNotice: asn } : {};
    }
    case 'warehouse_shipment': {
      const w = (envelope as CanonicalEnvelope<'warehouse_shipment'>).document;
      const order = parse<CanonicalEnvelope<'warehouse_order'>>(await newest(store, w.orderNumber, 'warehouse_order', envelope.id));
      return order ? { warehouseOrder: order } : {};
    }
    case 'shipment_status': {
      const s = (envelope as CanonicalEnvelope<'shipment_status'>).document;
      let shipment: DocumentRefs['shipment'];
      for (const id of [s.shipmentId, s.asnNumber]) {
        const row = (await newest(store, id, 'ship_notice', envelope.id)) ?? (await newest(store, id, 'warehouse_shipment', envelope.id));
        shipment = parse(row);
        if (shipment) break;
      }
      // other status documents of the shipment: correlated to its PO (or to the shipment id itself)
      const correlation = shipment?.correlationId ?? s.poNumbers?.[0] ?? s.shipmentId;
      const knownMilestones: KnownMilestone[] = [];
      for (const d of await store.documentsByCorrelation(correlation)) {
        if (d.type !== 'shipment_status' || d.id === envelope.id) continue;
        const other = (JSON.parse(d.envelope) as CanonicalEnvelope<'shipment_status'>).document;
        if (!sameNumber(other.shipmentId, s.shipmentId)) continue;
        for (const m of other.milestones ?? []) knownMilestones.push({ shipmentId: other.shipmentId, statusCode: m.statusCode, occurredAt: m.occurredAt, documentId: d.id });
      }
      return { ...(shipment ? { shipment } : {}), knownMilestones };
    }
    default:
      return {};
  }
}

/** the same from documents at hand (the pure rules' tests) */
export function refsFromDocuments(envelope: CanonicalEnvelope, related: {
  shipNotices: ReadonlyArray<CanonicalEnvelope<'ship_notice'>>;
  warehouseOrders?: ReadonlyArray<CanonicalEnvelope<'warehouse_order'>>;
  warehouseShipments?: ReadonlyArray<CanonicalEnvelope<'warehouse_shipment'>>;
  statuses?: ReadonlyArray<CanonicalEnvelope<'shipment_status'>>;
}): DocumentRefs {
  const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];
  switch (envelope.type) {
    case 'receipt': {
      const r = (envelope as CanonicalEnvelope<'receipt'>).document;
      const shipNotice = last(related.shipNotices.filter((a) => a.id !== envelope.id && sameNumber(a.document.shipmentId, r.asnNumber)));
      return shipNotice ? { shipNotice } : {};
    }
    case 'warehouse_shipment': {
      const w = (envelope as CanonicalEnvelope<'warehouse_shipment'>).document;
      const warehouseOrder = last((related.warehouseOrders ?? []).filter((o) => sameNumber(o.document.orderNumber, w.orderNumber)));
      return warehouseOrder ? { warehouseOrder } : {};
    }
    case 'shipment_status': {
      const s = (envelope as CanonicalEnvelope<'shipment_status'>).document;
      const shipments = [...related.shipNotices, ...(related.warehouseShipments ?? [])];
      const shipment = shipments.find((d) => sameNumber(d.document.shipmentId, s.shipmentId)) ?? shipments.find((d) => sameNumber(d.document.shipmentId, s.asnNumber));
      const knownMilestones = (related.statuses ?? []).filter((d) => d.id !== envelope.id && sameNumber(d.document.shipmentId, s.shipmentId))
        .flatMap((d) => d.document.milestones.map((m) => ({ shipmentId: d.document.shipmentId, statusCode: m.statusCode, occurredAt: m.occurredAt, documentId: d.id })));
      return { ...(shipment ? { shipment } : {}), knownMilestones };
    }
    default:
      return {};
  }
}
