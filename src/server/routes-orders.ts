import type { Hono } from 'hono';
import type { Store } from '../db/store.ts';
import type { OverdueMonitor } from '../pipeline/lifecycle/overdue.ts';
import { orderTimeline } from '../pipeline/lifecycle/timeline.ts';
import type { createAuthenticator } from './auth.ts';

export interface OrderRouteDeps {
  store: Store;
  overdue: OverdueMonitor;
}

/** Where every order stands: GET /api/v1/orders/overdue and GET /api/v1/orders/:poNumber (timeline). */
export function mountOrders(app: Hono, deps: OrderRouteDeps, auth: ReturnType<typeof createAuthenticator>): void {
  const roles = auth.require(['operator', 'admin', 'erp']);
  // registered before /:poNumber so "overdue" is not taken for a PO number
  app.get('/api/v1/orders/overdue', roles, async (c) => {
    const r = await deps.overdue.report();
    return c.json({ ...r, counts: {
      functionalAckMissing: r.functionalAckMissing.length, poAckMissing: r.poAckMissing.length, invoiceMissing: r.invoiceMissing.length,
      receiptMissing: r.receiptMissing.length, shipmentExceptions: r.shipmentExceptions.length,
    } });
  });
  app.get('/api/v1/orders/:poNumber', roles, async (c) => {
    const po = c.req.param('poNumber');
    const timeline = await orderTimeline(deps.store, po);
    if (!timeline) return c.json({ error: { code: 'order_not_found', message: `nothing is known about purchase order ${po}` } }, 404);
    return c.json(timeline);
  });
}
