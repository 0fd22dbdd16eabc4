/**
 * GET /metrics reports how late the HTTP thread's event loop ran since the previous scrape: a 400 ms
 * stall on that thread shows as a maximum of at least 0.3 s, and the next scrape starts a new window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f?.close(); });

const scrape = async () => (await (await f.fetch('/metrics', { token: tokens.operator })).text()).split('\n');
const value = (lines: string[], name: string) => Number(lines.find((l) => l.startsWith(`${name} `))?.split(' ')[1]);

describe('/metrics event-loop lag', () => {
  it('a stall of the gateway thread shows in the max and the p99, and the window resets at each scrape', async () => {
    await scrape();
    await new Promise((r) => setTimeout(r, 50));
    const until = Date.now() + 400;
    while (Date.now() < until) { /* the gateway runs in this thread: hold it */ }
    await new Promise((r) => setTimeout(r, 50));
    const after = await scrape();
    expect(after).toContain('# TYPE edigw_event_loop_lag_seconds summary');
    expect(value(after, 'edigw_event_loop_lag_max_seconds')).toBeGreaterThanOrEqual(0.3);
    expect(value(after, 'edigw_event_loop_lag_seconds{quantile="0.99"}')).toBeGreaterThanOrEqual(0.3);
    expect(value(after, 'edigw_event_loop_lag_seconds_count')).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 100));
    const next = await scrape();
    expect(value(next, 'edigw_event_loop_lag_max_seconds')).toBeLessThan(0.3);
  });
});
