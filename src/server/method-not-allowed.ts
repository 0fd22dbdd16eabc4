/**
 * 405 Method Not Allowed (RFC 9110 §15.5.6) for a path the gateway serves with other methods: the
 * answer names the allowed methods in `Allow`, where a 404 would tell the client the URL is wrong.
 * The routes are read from the Hono app once, on the first request that matched nothing.
 */
import type { Hono } from 'hono';

interface RoutePattern { method: string; pattern: RegExp }

/** '/api/v1/messages/:id{[a-z]+}/raw' -> /^\/api\/v1\/messages\/[^/]+\/raw$/ */
function patternOf(path: string): RegExp {
  const source = path.split('/').map((part) => {
    if (part.startsWith(':')) return part.endsWith('?') ? '[^/]*' : '[^/]+';
    if (part === '*') return '.*';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${source}/?$`);
}

export function createAllowedMethods(app: Hono): (path: string) => string[] {
  let routes: RoutePattern[] | undefined;
  return (path) => {
    routes ??= app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
    const methods = new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
