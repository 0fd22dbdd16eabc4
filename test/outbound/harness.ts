/**
 * A real gateway (startGatewayFixture, inbound pipeline over HTTP) plus the outbound routes composed
 * the way src/gateway.ts will compose them: outbound service, 997/999 reconciler, overdue monitor,
 * mounted with the gateway's authenticator, over a second connection to the same SQLite file.
 * `processed(messageId)` runs the reconciler after the pipeline, as the gateway's worker will.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import { createOverdueMonitor, type OverdueWindows } from '../../src/pipeline/lifecycle/overdue.ts';
import { createAckReconciler } from '../../src/pipeline/outbound/reconcile.ts';
import { createOutboundService } from '../../src/pipeline/outbound/service.ts';
import type { OutboundConfig } from '../../src/pipeline/outbound/types.ts';
import { createAuthenticator } from '../../src/server/auth.ts';
import { mountOrders } from '../../src/server/routes-orders.ts';
import { mountOutbound } from '../../src/server/routes-outbound.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import type { GatewayOptions } from '../../src/gateway.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { tokens };

/** every base mapping of the repository, for a fixture's mappings/ folder */
export function baseMappings(): Record<string, string> {
  const dir = path.join(repoRoot, 'mappings/_base');
  return Object.fromEntries(readdirSync(dir).map((f) => [`_base/${f}`, readFileSync(path.join(dir, f), 'utf8')]));
}

export interface OutboundFixture {
  f: GatewayFixture;
  store: Store;
  url: string;
  outbound: ReturnType<typeof createOutboundService>;
  reconciler: ReturnType<typeof createAckReconciler>;
  overdue: ReturnType<typeof createOverdueMonitor>;
  /** POST/GET on the outbound routes */
  api(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** the gateway processed a message: reconcile its 997/999s (what the gateway's worker will do) */
  processed(messageId: string): Promise<void>;
  /** stops the outbound side only (service, server, its database connection); the gateway keeps running */
  detach(): Promise<void>;
  close(): Promise<void>;
}

export async function startOutboundFixture(opts: {
  partners: Record<string, string>;
  files?: Record<string, string | Buffer>;
  as2?: GatewayOptions['as2'];
  ourX12?: { qualifier: string; id: string };
  windows?: Partial<OverdueWindows>;
  realClock?: boolean;
}): Promise<OutboundFixture> {
  const f = await startGatewayFixture({ partners: opts.partners, mappings: baseMappings(), files: opts.files, as2: opts.as2, realClock: opts.realClock });
  return attachOutbound(f, opts);
}

export async function attachOutbound(f: GatewayFixture, opts: { as2?: GatewayOptions['as2']; ourX12?: { qualifier: string; id: string }; windows?: Partial<OverdueWindows>; realClock?: boolean }): Promise<OutboundFixture> {
  const store = await openStore(path.join(f.dir, 'gateway.db'));
  const clock = opts.realClock ? { now: () => new Date() } : f.clock;
  const ids = createIdGenerator(() => clock.now().getTime());
  const config = () => f.gw.config() as unknown as OutboundConfig;
  // the sends are partner.send jobs: the gateway's job runner (same database) runs them; idle() drains it
  const outbound = createOutboundService({
    store, clock, ids, logger: f.logger, config, validators: createCanonicalValidators(), ourX12: opts.ourX12,
    jobs: { wake() {}, drain: () => f.gw.idle() },
  });
  const reconciler = createAckReconciler({ store, clock, ids, logger: f.logger, config });
  const overdue = createOverdueMonitor({ store, config, now: () => clock.now(), windows: opts.windows });
  const app = new Hono();
  const auth = createAuthenticator({
    tokens: [
      { token: tokens.admin, role: 'admin', name: 'test-admin' },
      { token: tokens.operator, role: 'operator', name: 'test-operator' },
      { token: tokens.erp, role: 'erp', name: 'test-erp' },
    ],
    partnerByKey: () => undefined, logger: f.logger,
  });
  mountOutbound(app, { store, outbound }, auth);
  mountOrders(app, { store, overdue }, auth);
  await outbound.resume();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  async function detach() {
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  }
  return {
    f, store, url, outbound, reconciler, overdue,
    api(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(url + pathname, { ...init, headers });
    },
    async processed(messageId) {
      await f.gw.idle();
      await reconciler.reconcileMessage(messageId);
    },
    detach,
    async close() {
      await detach();
      await f.close();
    },
  };
}

export const purchaseOrder = {
  poNumber: 'PO-OUT-1001',
  poDate: '2026-11-20',
  purpose: 'original',
  currency: 'USD',
  buyer: { id: '0001', idQualifier: '92', name: 'BUYERCO INC' },
  shipTo: { id: '0042', idQualifier: '92', name: 'BUYERCO DC EAST', address: { lines: ['100 WAREHOUSE WAY'], city: 'COLUMBUS', region: 'OH', postalCode: '43215', country: 'US' } },
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 6, unitOfMeasure: 'CS', unitPrice: 48.25 },
  ],
};
