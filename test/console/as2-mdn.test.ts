/**
 * A message that came by AS2 shows the MDN the gateway answered with among its acknowledgements
 * (MDNs are stored as the partner's outbound messages, matched by the AS2 Message-ID), and the
 * overview warns about a partner certificate close to expiry.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X12_ENTITY, postAs2 } from '../as2/fixtures.ts';
import { createPki, opensslEncrypt, opensslSign, type Party, type Pki } from '../as2/openssl.ts';
import { chromiumMissing, launchChromium, type RunningChromium } from '../support/chromium.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

describe.skipIf(chromiumMissing)('console: the MDN of an AS2 message', () => {
  let pki: Pki;
  let acme: Party;
  let gateway: Party;
  let f: GatewayFixture;
  let browser: RunningChromium;
  let page: Page;

  beforeAll(async () => {
    pki = createPki();
    gateway = pki.party('EDIGW');
    acme = pki.party('ACME-AS2', 20);
    f = await startGatewayFixture({
      partners: { acme: 'id: acme\nname: ACME over AS2\nstatus: test\nidentifiers:\n  x12: { qualifier: ZZ, id: ACMESUPPLY }\n  as2: ACME-AS2\nas2:\n  url: http://127.0.0.1:9/as2\n  certificate: ./certs/acme.pem\n' },
      mappings: { '_base/x12-004010-850.inbound.yaml': readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8') },
      files: { 'partners/certs/acme.pem': acme.certPem },
      as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
      realClock: true, // certificate expiry is judged against the time openssl issued them
    });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
    pki?.cleanup();
  });

  it('lists the MDN (kind, Message-ID it answers, disposition) beside the message and shows its bytes', async () => {
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, acme, 'sha256'), gateway, 'aes256');
    const res = await postAs2(`${f.gw.url}/as2`, { contentType: 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', body, messageId: '<po-2001@acme.example>', signedMdnMic: 'sha-256' });
    expect(res.status).toBe(200);
    await f.gw.idle();
    const { messages } = await (await f.fetch('/api/v1/messages?partner=acme', { token: tokens.operator })).json() as any;
    const inbound = messages.find((m: any) => m.transport === 'as2');
    expect(inbound.metadata.as2MessageId).toBe('<po-2001@acme.example>');

    await page.goto(`${f.gw.url}/#/messages/${inbound.id}`);
    await page.fill('#token', tokens.operator);
    await page.click('#sign-in-form button[type=submit]');
    const acks = page.locator('section', { hasText: 'Acknowledgements sent' });
    await acks.locator('tbody tr').first().waitFor();
    // the 997 for the X12 inside, and the MDN for the AS2 transfer
    expect(await acks.locator('tbody tr td:first-child').allTextContents()).toEqual(['997', 'MDN']);
    const mdn = acks.locator('tbody tr', { hasText: 'MDN' });
    expect(await mdn.textContent()).toContain('<po-2001@acme.example>');
    expect(await mdn.textContent()).toContain('processed');
    await mdn.locator('button:text("Show")').click();
    await mdn.locator('pre.raw-text').waitFor();
    expect(await mdn.locator('pre.raw-text').textContent()).toContain('Original-Message-ID: <po-2001@acme.example>');
    // the search box finds the message and the MDN by the AS2 Message-ID
    await page.fill('#find-q', '<po-2001@acme.example>');
    await page.click('#find-form button');
    await page.getByText('message(s) carry “<po-2001@acme.example>”').waitFor();
    const found = page.locator('main table tbody tr');
    expect(await found.locator('td:nth-child(2)').allTextContents()).toContain(inbound.id);
    expect(new Set(await found.locator('td:nth-child(3)').allTextContents())).toEqual(new Set(['AS2 Message-ID']));
    expect(await found.locator('td:nth-child(6)').allTextContents()).toEqual(expect.arrayContaining(['as2', 'as2-mdn']));
  });

  it('warns on the overview about the partner certificate that expires within 30 days', async () => {
    await page.evaluate(() => { location.hash = '#/'; });
    const certs = page.locator('section', { hasText: 'Certificates' });
    await certs.locator('tbody tr').first().waitFor();
    // acme's certificate was issued for 20 days; the gateway's own for a year (not listed)
    const rows = await certs.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(await certs.locator('tbody tr td').allTextContents()).toEqual(['acme', 'expiring', expect.any(String), expect.stringMatching(/ UTC$/), expect.stringContaining('ACME-AS2')]);
  });
});
