import type { CanonicalEnvelope, PurchaseOrder } from '../../../canonical/types.ts';
import { samePoNumber } from './lines.ts';
import type { LifecycleRelated } from './types.ts';

export function findPurchaseOrder(related: LifecycleRelated, poNumber: string | undefined): PurchaseOrder | undefined {
  const all: Array<CanonicalEnvelope<'purchase_order'>> = [
    ...(related.purchaseOrder ? [related.purchaseOrder] : []),
    ...(related.purchaseOrders ?? []),
  ];
  return all.find((e) => samePoNumber(e.document.poNumber, poNumber))?.document;
}
