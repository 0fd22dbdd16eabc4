// The portal's JSON API: the session is an HttpOnly cookie the page never sees; every POST
// carries the CSRF token the session API handed out (X-CSRF-Token).
let csrf = '';

export class ApiError extends Error {
  constructor(status, code, message, detail) { super(message); this.status = status; this.code = code; this.detail = detail; }
}

async function call(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { ...headers } };
  if (method === 'POST') init.headers['x-csrf-token'] = csrf;
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body;
    else { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
  }
  let res;
  try { res = await fetch(path, init); } catch (e) { throw new ApiError(0, 'network', `the portal cannot be reached: ${e.message}`); }
  const data = await res.json().catch(() => ({}));
  if (data && typeof data.csrf === 'string') csrf = data.csrf;
  if (!res.ok && !(data && data.messageId && data.status)) {
    throw new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? `HTTP ${res.status}`, data?.error?.detail);
  }
  return { status: res.status, data };
}

export const get = (path) => call('GET', path).then((r) => r.data);
export const post = (path, body, headers) => call('POST', path, body, headers);
export const session = () => get('/portal/api/session');
