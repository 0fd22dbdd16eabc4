import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, type WebhookSignatureConfig } from './webhook-signature.ts';

// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
const body = new TextEncoder().encode('what do ya want for nothing?');
const hex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const b64 = 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM='; // the same 32 bytes, `openssl dgst -binary | base64`
const partner = { id: 'swift', secrets: { 'http.signature.secret': 'Jefe' } };
const config: WebhookSignatureConfig = { header: 'X-Swift-Signature', algorithm: 'sha256', secretEnv: 'SWIFT_SECRET' };

describe('webhook signature (HMAC-SHA256 of the raw body)', () => {
  it('takes the RFC 4231 digest, hex in either case, or base64, with a declared prefix', async () => {
    expect(await verifyWebhookSignature(partner, config, hex, body)).toEqual({ ok: true, header: 'X-Swift-Signature' });
    expect((await verifyWebhookSignature(partner, config, hex.toUpperCase(), body)).ok).toBe(true);
    expect((await verifyWebhookSignature(partner, { ...config, encoding: 'base64' }, b64, body)).ok).toBe(true);
    expect((await verifyWebhookSignature(partner, { ...config, prefix: 'sha256=' }, `sha256=${hex}`, body)).ok).toBe(true);
    async function* chunks() { yield body.subarray(0, 5); yield body.subarray(5); }
    expect((await verifyWebhookSignature(partner, config, hex, chunks())).ok).toBe(true);
  });

  it('refuses a changed body, another secret, a missing or malformed header, each by its own code', async () => {
    const changed = new TextEncoder().encode('what do ya want for nothing!');
    expect(await verifyWebhookSignature(partner, config, hex, changed)).toMatchObject({ ok: false, code: 'webhook_signature_invalid' });
    expect(await verifyWebhookSignature({ ...partner, secrets: { 'http.signature.secret': 'jefe' } }, config, hex, body)).toMatchObject({ ok: false, code: 'webhook_signature_invalid' });
    const missing = await verifyWebhookSignature(partner, config, undefined, body);
    expect(missing).toMatchObject({ ok: false, code: 'webhook_signature_missing' });
    expect(missing.ok || missing.message).toContain('X-Swift-Signature');
    expect(await verifyWebhookSignature(partner, config, '  ', body)).toMatchObject({ code: 'webhook_signature_missing' });
    expect(await verifyWebhookSignature(partner, config, hex.slice(2), body)).toMatchObject({ code: 'webhook_signature_malformed' });
    expect(await verifyWebhookSignature(partner, config, `${hex.slice(0, 62)}zz`, body)).toMatchObject({ code: 'webhook_signature_malformed' });
    expect(await verifyWebhookSignature(partner, { ...config, prefix: 'sha256=' }, hex, body)).toMatchObject({ code: 'webhook_signature_malformed' });
  });

  it('reads the secret from secretFile; without a secret every post is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sig-'));
    writeFileSync(path.join(dir, 'secret'), 'Jefe\n');
    const fromFile = { header: 'X-Sig', algorithm: 'sha256' as const, secretFile: path.join(dir, 'secret') };
    expect((await verifyWebhookSignature({ id: 'swift' }, fromFile, hex, body)).ok).toBe(true);
    const none = await verifyWebhookSignature({ id: 'swift', secrets: {} }, config, hex, body);
    expect(none).toMatchObject({ ok: false, code: 'webhook_secret_unavailable' });
    expect(none.ok || none.message).toContain('SWIFT_SECRET');
  });
});
