/** A portal client over real HTTP: keeps the cookies the gateway sets and the CSRF token it hands out. */
import type { GatewayFixture } from '../support/gateway-fixture.ts';
import { baseMappings } from '../outbound/harness.ts';

/** the X12 004010 base mappings these partners use (850 out; 855, 856, 810 in): nothing else a test here depends on */
export const portalMappings = () => Object.fromEntries(Object.entries(baseMappings()).filter(([k]) => k.startsWith('_base/x12-004010-')));

export const acmeTestYaml = `id: acme
name: ACME Supply
status: test
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
http: { apiKeyEnv: ACME_API_KEY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
rules: { quantityTolerancePercent: 0, priceTolerancePercent: 0, onViolation: warn }
`;
export const otherYaml = `id: other
name: Other Co
status: production
identifiers:
  x12: { qualifier: ZZ, id: OTHERCO }
http: { apiKeyEnv: OTHER_API_KEY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
rules: { quantityTolerancePercent: 0, onViolation: hold }
`;
export const po45001 = {
  poNumber: 'PO-45001', poDate: '2026-11-20', currency: 'USD',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 6, unitOfMeasure: 'CA', unitPrice: 48 },
  ],
};

export interface PortalClient {
  csrf: string;
  cookies: Map<string, string>;
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
  post(path: string, body: unknown, opts?: { csrf?: string | null; headers?: Record<string, string>; raw?: BodyInit }): Promise<{ status: number; body: any; headers: Headers }>;
}

export function portalClient(f: GatewayFixture): PortalClient {
  const cookies = new Map<string, string>();
  const client: PortalClient = {
    csrf: '',
    cookies,
    async get(path) { return call('GET', path); },
    async post(path, body, opts = {}) { return call('POST', path, body, opts); },
  };
  async function call(method: string, path: string, body?: unknown, opts: { csrf?: string | null; headers?: Record<string, string>; raw?: BodyInit } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method === 'POST') {
      const token = opts.csrf === undefined ? client.csrf : opts.csrf;
      if (token !== null) headers['x-csrf-token'] = token;
      if (opts.raw === undefined) headers['content-type'] = 'application/json';
    }
    const res = await f.fetch(path, { method, headers, ...(method === 'POST' ? { body: opts.raw ?? JSON.stringify(body) } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/max-age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) cookies.delete(k!); else cookies.set(k!, v!);
    }
    const text = await res.text();
    let parsed: any = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    if (parsed && typeof parsed.csrf === 'string') client.csrf = parsed.csrf;
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return client;
}

/** invites a user (operator token), sets its password and signs it in */
export async function signedInUser(f: GatewayFixture, operatorToken: string, partnerId: string, email: string, password: string): Promise<PortalClient> {
  const inv = await f.fetch('/api/v1/portal/invitations', { method: 'POST', token: operatorToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId, email }) });
  const { token } = await inv.json() as { token: string };
  const c = portalClient(f);
  await c.get('/portal/api/session');
  const accepted = await c.post('/portal/api/invitations/accept', { token, password });
  if (accepted.status !== 200) throw new Error(JSON.stringify(accepted.body));
  const login = await c.post('/portal/api/login', { email, password });
  if (login.status !== 200) throw new Error(JSON.stringify(login.body));
  return c;
}
