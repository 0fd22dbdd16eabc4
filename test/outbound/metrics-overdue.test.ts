/** GET /metrics on the running gateway: the overdue gauges carry HELP text that says how old they may be. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f?.close(); });

describe('/metrics overdue gauges', () => {
  it('exposes each overdue gauge with HELP naming its staleness, then TYPE, then the value', async () => {
    const res = await f.fetch('/metrics', { token: tokens.operator });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\n');
    for (const name of ['overdue_functional_acks', 'overdue_po_acks', 'overdue_invoices']) {
      const i = lines.findIndex((l) => l.startsWith(`# HELP edigw_${name} `));
      expect(lines[i]).toContain('up to 30 s old');
      expect(lines[i + 1]).toBe(`# TYPE edigw_${name} gauge`);
      expect(lines[i + 2]).toBe(`edigw_${name} 0`);
    }
    // store counts are read live and have no HELP line
    expect(lines).toContain('# TYPE edigw_messages gauge');
  });
});
