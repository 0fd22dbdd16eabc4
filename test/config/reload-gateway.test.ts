/**
 * Hot reload through a real gateway (fs.watch on, real HTTP): a partner file turned into YAML that
 * cannot be loaded (an alias to no anchor, 10,000 nested brackets, a binary file) is refused with
 * every finding logged as file:line:col, the last good profile keeps serving, and /healthz says
 * the reload was refused (staff see the findings) until a good change loads.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
let file: string;
beforeAll(async () => {
  f = await startGatewayFixture({ watchConfig: true });
  file = path.join(f.dir, 'partners', 'restco.yaml');
});
afterAll(async () => { await f?.close(); });

const refusals = () => f.logger.entries.filter((e) => e.msg === 'configuration change refused; the last good configuration keeps serving');

/** waits for the watcher's next refusal (debounce 250 ms) */
async function nextRefusal(seen: number): Promise<{ problems: string[] }> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const r = refusals();
    if (r.length > seen) return r.at(-1)!.fields as { problems: string[] };
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('no refusal logged within 10 s');
}

let sent = 0;
async function stillServes() {
  sent++;
  expect(f.gw.config().partner('restco')?.name).toBe('RestCo Inc.');
  const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: `world ${sent}` }) });
  expect(res.status).toBe(202);
}

async function health(token?: string) {
  const res = token ? await f.fetch('/api/v1/status', { token }) : await f.fetch('/healthz');
  return (await res.json()) as { status: string; checks: Record<string, string>; config?: { refusedReload?: { problems: string[] } } };
}

describe('hot reload of a broken partner file, through the running gateway', () => {
  it('starts healthy', async () => {
    await stillServes();
    expect((await health()).checks.config).toBe('ok');
  });

  const cases: Array<[string, string | Buffer, string]> = [
    // "name: " is 6 columns: the alias starts at column 7 of line 2
    ['an alias to no anchor', restcoYaml.replace('name: RestCo Inc.', 'name: *nothere'), ':2:7 yaml_alias_unknown: alias *nothere names no anchor defined before it'],
    // the 65th "[" (column 6 + 65 = 71) is past 64 levels
    ['10,000 nested brackets', restcoYaml.replace('name: RestCo Inc.', `name: ${'['.repeat(10_000)}`), ':2:71 yaml_too_deep: nesting deeper than 64 levels'],
    // a PNG header: 0x89 is not UTF-8, at line 1, column 1
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), ':1:1 file_not_utf8: byte 0x89 at offset 0 is not UTF-8'],
  ];
  for (const [what, content, finding] of cases) {
    it(`${what}: refused with file:line:col, the previous profile keeps serving, /healthz says so`, async () => {
      const seen = refusals().length;
      writeFileSync(file, content);
      const refused = await nextRefusal(seen);
      expect(refused.problems).toHaveLength(1);
      expect(refused.problems[0]!.startsWith(`${file}${finding}`)).toBe(true);
      await stillServes();
      const open = await health();
      expect(open.status).toBe('ok');
      expect(open.checks.config).toBe('failed');
      expect(open.config).toBeUndefined(); // findings (file paths) are for staff only
      const staff = await health(tokens.operator);
      expect(staff.config?.refusedReload?.problems).toEqual(refused.problems);
    });
  }

  it('a good change loads again and /healthz is clear', async () => {
    writeFileSync(file, restcoYaml.replace('name: RestCo Inc.', 'name: RestCo Renamed'));
    const until = Date.now() + 10_000;
    while (f.gw.config().partner('restco')?.name !== 'RestCo Renamed' && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(f.gw.config().partner('restco')?.name).toBe('RestCo Renamed');
    expect((await health()).checks.config).toBe('ok');
    expect((await health(tokens.operator)).config?.refusedReload).toBeUndefined();
  });
});
