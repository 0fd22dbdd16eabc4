/** Helpers the targets share: seed pickers by content and the typed-outcome checks. */
import { GatewayError } from '../../src/core/errors.ts';
import { head } from '../seeds.ts';
import { Untyped, type Seed, type SeedSource } from '../types.ts';

export const isX12 = (b: Uint8Array) => head(b, 3) === 'ISA';
export const isEdifact = (b: Uint8Array) => ['UNA', 'UNB'].includes(head(b, 3));
export const isXml = (b: Uint8Array) => head(b, 1) === '<';
export const isJson = (b: Uint8Array) => ['{', '['].includes(head(b, 1));

export function pick(src: SeedSource, test: (bytes: Uint8Array, rel: string) => boolean, meta?: (rel: string) => Record<string, string>): Seed[] {
  return src.files.filter((f) => test(f.bytes, f.rel)).map((f) => ({ name: f.rel, bytes: f.bytes, ...(meta ? { meta: meta(f.rel) } : {}) }));
}

/**
 * Readers report problems as GatewayErrors in arrays; a wrapped crash shows up as the fallback
 * code internal_error, or as a *_unreadable message that quotes a JavaScript error name.
 */
const WRAPPED = /\b(TypeError|RangeError|ReferenceError|InternalError|Maximum call stack)\b/;

const JS_CRASHES = new Set(['TypeError', 'RangeError', 'ReferenceError', 'InternalError', 'EvalError', 'URIError']);

/** a GatewayError that wraps a JavaScript crash (its cause, or the crash quoted in its message) */
export function wrapsCrash(e: GatewayError): unknown {
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error && JS_CRASHES.has(cause.name)) return cause;
  if (cause instanceof GatewayError) return wrapsCrash(cause);
  if (e.code === 'internal_error' || WRAPPED.test(e.message)) return e;
  return undefined;
}

export function assertTyped(errors: readonly unknown[], where: string): void {
  for (const e of errors) {
    if (!(e instanceof GatewayError)) throw new Untyped(`${where}: non-GatewayError in errors: ${String(e)}`, e);
    const crash = wrapsCrash(e);
    if (crash) throw new Untyped(`${where}: ${e.code}: ${e.message}`, crash);
  }
}

/** a thrown error is typed when it is a GatewayError that does not merely quote a JavaScript crash */
export function isTypedError(e: unknown): boolean {
  return e instanceof GatewayError && wrapsCrash(e) === undefined;
}
