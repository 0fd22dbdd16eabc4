// The console's only way to the gateway: fetch with the bearer token kept in sessionStorage
// (this tab only; never in the URL). Errors carry the HTTP status and the API's error code.

const TOKEN_KEY = 'edigw.console.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; `as: 'json' | 'bytes'`, `ok: [statuses]` also accepted (e.g. 503 from /healthz). */
export async function api(path, { method = 'GET', body, as = 'json', ok = [] } = {}) {
  const headers = { accept: as === 'json' ? 'application/json' : '*/*' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', `the gateway did not answer (${e.message})`);
  }
  if (!res.ok && !ok.includes(res.status)) {
    const err = await res.json().catch(() => ({}));
    const code = err?.error?.code ?? `http_${res.status}`;
    const message = err?.error?.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401) window.dispatchEvent(new CustomEvent('console:unauthorized', { detail: message }));
    throw new ApiError(res.status, code, message);
  }
  if (as === 'bytes') return new Uint8Array(await res.arrayBuffer());
  return res.json();
}

/** Like api(), but a 404 (a route the gateway does not mount, a missing item) yields undefined. */
export async function apiOptional(path) {
  try {
    return await api(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** `/x?a=1&b=` from a path and an object; empty values are left out. */
export function withQuery(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
