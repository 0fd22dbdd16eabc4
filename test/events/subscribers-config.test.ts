/**
 * subscribers/*.yaml are checked as partner profiles are: every mistake is refused with
 * file:line:col, a rule and a hint; a change with a mistake is refused while the gateway runs and
 * the last good subscribers keep publishing; a good change is taken without a restart.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubscribers } from '../../src/events/subscribers.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const env = { WMS_WEBHOOK_SECRET: SECRET };

const check = (files: Record<string, string>, e: Record<string, string> = env) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-subs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const r = loadSubscribers(dir, e);
  return { ...r, dir, texts: r.problems.map((p) => p.text.slice(dir.length + 1)) };
};

describe('subscriber files', () => {
  it('a misspelt key, event type or sink type is refused with file:line:col and a hint', () => {
    const r = check({
      'wms.yaml': 'events: [document.released, invoice.hled]\nsink:\n  type: webhok\n  url: https://wms.example/x\n  secretEnv: WMS_WEBHOOK_SECRET\nfilter: { partners: [acme] }\n',
    });
    expect(r.set).toBeUndefined();
    expect(r.texts).toEqual(expect.arrayContaining([
      'wms.yaml:1:29 enum: value "invoice.hled" of /events/1 is not allowed (hint: did you mean "invoice.held"?)',
      'wms.yaml:3:9 enum: value "webhok" of /sink/type is not allowed (hint: did you mean "webhook"?)',
      'wms.yaml:6:1 additionalProperties: unknown key "filter" in / (hint: did you mean "filters"?)',
    ]));
  });

  it('a secret written inline is refused; a webhook without its secret, or with one that is not whsec_, is refused', () => {
    const inline = check({ 'a.yaml': 'events: ["*"]\nsink:\n  type: webhook\n  url: https://x.example/\n  secret: whsec_abc\n' });
    expect(inline.texts[0]).toMatch(/^a\.yaml:5:3 secret_by_reference: inline secret "secret" in \/sink is refused/);
    const unset = check({ 'a.yaml': 'events: ["*"]\nsink:\n  type: webhook\n  url: https://x.example/\n  secretEnv: NOT_SET\n' });
    expect(unset.texts.find((t) => t.includes('webhook_secret'))).toBe('a.yaml:5:14 webhook_secret: the secret named by /sink/secretEnv is not set or cannot be read (hint: generate one with: echo "whsec_$(openssl rand -base64 32)")');
    const notWhsec = check({ 'a.yaml': 'events: ["*"]\nsink:\n  type: webhook\n  url: https://x.example/\n  secretEnv: S\n' }, { S: 'hunter2' });
    expect(notWhsec.texts.find((t) => t.includes('webhook_secret'))).toMatch(/not a Standard Webhooks secret/);
    const none = check({ 'a.yaml': 'events: ["*"]\nsink: { type: webhook, url: "https://x.example/" }\n' });
    expect(none.texts).toContain('a.yaml:2:1 webhook_secret: a webhook sink needs its signing secret: secretEnv or secretFile (hint: generate one with: echo "whsec_$(openssl rand -base64 32)")');
  });

  it('a NATS sink with an http URL, a name that is not the file\'s, a file that is not YAML', () => {
    const r = check({ 'bus.yaml': 'name: other\nevents: ["*"]\nsink: { type: nats, url: "http://127.0.0.1:4222" }\n', 'bad.yaml': 'events: [\n' });
    expect(r.texts.find((t) => t.startsWith('bus.yaml:1:7'))).toBe('bus.yaml:1:7 name_matches_file_name: name "other" does not match the file name "bus.yaml" (hint: rename the file to "other.yaml" or set name: bus)');
    expect(r.texts.some((t) => t.startsWith('bus.yaml:3:') && t.includes('/sink/url'))).toBe(true);
    expect(r.texts.some((t) => t.startsWith('bad.yaml:'))).toBe(true);
  });

  it('the examples in subscribers/examples load clean', () => {
    const dir = new URL('../../subscribers/examples/', import.meta.url).pathname;
    const r = loadSubscribers(dir, env);
    expect(r.problems).toEqual([]);
    expect(r.set!.subscribers.map((s) => [s.name, s.sink.type])).toEqual([['bus', 'nats'], ['wms', 'webhook']]);
  });
});

describe('hot reload of subscribers in a running gateway', () => {
  let rx: Receiver;
  let f: GatewayFixture;
  const good = (url: string) => `events: ['*']\nsink:\n  type: webhook\n  url: ${url}\n  secretEnv: WMS_WEBHOOK_SECRET\n`;
  const subscribers = async () => (await (await f.fetch('/api/v1/subscribers', { token: tokens.operator })).json()) as {
    subscribers: Array<{ name: string; position: number | null }>; config: { refusedReload?: { problems: string[] } };
  };
  const until = async (cond: () => Promise<boolean> | boolean, what: string) => {
    const end = Date.now() + 10_000;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const post = async (n: string) => {
    const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: 'restco-key-abcdef', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: n, invoiceDate: '2026-12-07', totalAmount: 1, lines: [{ quantityInvoiced: 1, unitPrice: 1 }] } }) });
    expect(res.status).toBe(202);
  };

  beforeAll(async () => {
    rx = await startReceiver(SECRET);
    f = await startGatewayFixture({ realClock: true, watchConfig: true, env, files: { 'subscribers/wms.yaml': good(rx.url) } });
  }, 30_000);
  afterAll(async () => { await f?.close(); await rx?.close(); });

  it('a typo is refused with file:line and the last good subscriber keeps publishing; the fix and a new file are taken', async () => {
    const file = path.join(f.dir, 'subscribers', 'wms.yaml');
    writeFileSync(file, good(rx.url).replace('events:', 'evnts:'));
    await until(async () => (await subscribers()).config.refusedReload !== undefined, 'the refused reload');
    const refused = (await subscribers()).config.refusedReload!.problems;
    expect(refused).toContain(`${file}:1:1 additionalProperties: unknown key "evnts" in / (hint: did you mean "events"?)`);
    expect((await subscribers()).subscribers.map((s) => s.name)).toEqual(['wms']);
    // /healthz (staff) says so too
    const health = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as { checks: Record<string, string>; events: { refusedReload?: { problems: string[] } } };
    expect(health.checks.events).toBe('failed');
    expect(health.events.refusedReload!.problems).toEqual(refused);
    await post('INV-R1');
    await until(() => rx.deliveredIds().length >= 2, 'deliveries by the last good subscriber');

    writeFileSync(file, good(rx.url));
    writeFileSync(path.join(f.dir, 'subscribers', 'audit.yaml'), good(rx.url).replace("['*']", '[invoice.matched]'));
    // the new subscriber, with its position at the end of the log
    await until(async () => (await subscribers()).subscribers.filter((s) => s.position !== null).length === 2, 'the new subscriber');
    expect((await subscribers()).config.refusedReload).toBeUndefined();
    expect((await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as { checks: Record<string, string> }).checks.events).toBe('ok');
    // a new subscriber starts at the end of the log: it gets what comes after it, not the history
    rx.received.length = 0;
    await post('INV-R2');
    await until(() => rx.deliveredIds().length >= 3, 'the deliveries after the reload');
    expect(rx.received.map((r) => r.event.type).sort()).toEqual(['document.released', 'invoice.matched', 'invoice.matched']);
  }, 30_000);
});
