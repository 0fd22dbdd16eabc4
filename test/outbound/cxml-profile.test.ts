/**
 * The `http` outbound channel in a partner profile: what a valid one looks like (the shipped
 * officeline example), and the precise problems of an incomplete one; secrets only by reference.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createOutboundSender } from '../../src/pipeline/outbound/send.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createTempConfig, fakeCompile, type TempConfig } from '../config/support.ts';
import { repoRoot } from './harness.ts';

let t: TempConfig | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

const head = `id: cx
name: A cXML supplier
status: test
identifiers: {}
http: { apiKeyEnv: CX_API_KEY }
`;
function load(outbound: string, env: Record<string, string> = { CX_API_KEY: 'k' }) {
  t = createTempConfig();
  t.write('partners/cx.yaml', head + outbound);
  return loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env, compile: fakeCompile });
}
const texts = (r: ReturnType<typeof load>, severity: 'error' | 'warning') => r.problems.filter((p) => p.severity === severity).map((p) => p.text);

describe('partner profile: outbound channel http (cXML)', () => {
  it('the shipped example officeline loads: url, shared secret by reference, cXML credentials', () => {
    const r = loadGatewayConfig({ partnersDir: path.join(repoRoot, 'partners'), mappingsDir: path.join(repoRoot, 'mappings'), env: { OFFICELINE_CXML_SECRET: 's' }, compile: fakeCompile });
    expect(texts(r as ReturnType<typeof load>, 'error')).toEqual([]);
    const p = r.config!.partner('officeline')!;
    expect(p.outbound).toMatchObject({ channel: 'http', url: 'https://cxml.officeline.example/orders', cxml: { from: { domain: 'NetworkID', identity: 'AN01000000001' }, to: { domain: 'DUNS', identity: '123456789' } } });
    expect(p.secrets['outbound.sharedSecret']).toBe('s');
    expect(JSON.stringify(p)).not.toContain('"s"');
    expect(r.config!.byApiKey('officeline-demo-key')?.id).toBe('officeline');
  });

  it('channel http without url and cxml is refused, naming both', () => {
    const r = load('outbound: { channel: http }\n');
    const errors = texts(r, 'error');
    expect(errors.some((e) => /cx\.yaml:\d+:\d+ required: missing required key "url" in \/outbound/.test(e))).toBe(true);
    expect(errors.some((e) => /missing required key "cxml" in \/outbound/.test(e))).toBe(true);
  });

  it('a DUNS number YAML reads as a number gets the quote-it hint; an unknown key the nearest one', () => {
    const r = load(`outbound:
  channel: http
  url: https://supplier.example/cxml
  cxml:
    from: { domain: NetworkID, identity: AN01 }
    to: { domain: DUNS, identity: 123456789 }
    userAgnet: x
`);
    const errors = texts(r, 'error');
    expect(errors.some((e) => e.includes('/outbound/cxml/to/identity must be string, found 123456789') && e.includes('quote it: "123456789"'))).toBe(true);
    expect(errors.some((e) => e.includes('unknown key "userAgnet" in /outbound/cxml') && e.includes('did you mean "userAgent"?'))).toBe(true);
  });

  it('a pasted shared secret is refused; an unset variable is a warning and the partner still loads', () => {
    const pasted = load(`outbound: { channel: http, url: "https://s.example/cxml", sharedSecret: hunter2, cxml: { from: { domain: a, identity: b }, to: { domain: c, identity: d } } }\n`);
    expect(texts(pasted, 'error').some((e) => e.includes('secret_by_reference') && e.includes('sharedSecret'))).toBe(true);
    const unset = load(`outbound: { channel: http, url: "https://s.example/cxml", sharedSecretEnv: CX_SECRET, cxml: { from: { domain: a, identity: b }, to: { domain: c, identity: d } } }\n`);
    expect(texts(unset, 'error')).toEqual([]);
    expect(texts(unset, 'warning').some((e) => e.includes('secret_env_set') && e.includes('"CX_SECRET"'))).toBe(true);
    expect(unset.config?.partner('cx')?.unresolvedSecrets?.map((u) => u.field)).toEqual(['outbound.sharedSecret']);
  });

  it('a non-XML document (an X12 997 for a partner that also sends X12) is not posted to the order URL: it waits for pickup', async () => {
    let posted = 0;
    const sender = createOutboundSender({ clock: systemClock, logger: silentLogger, retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 }, fetch: async () => { posted++; return new Response(''); } });
    const r = await sender.send({ id: 'cx', status: 'test', identifiers: {}, outbound: { channel: 'http', url: 'http://127.0.0.1:9/x' } }, { fileName: '997-msg_1.x12', bytes: Buffer.from('ISA*...'), contentType: 'application/edi-x12' });
    expect(r).toMatchObject({ channel: 'pickup', status: 'stored' });
    expect(posted).toBe(0);
  });
});
