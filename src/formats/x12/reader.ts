/**
 * X12 reader: bytes in, X12Items out, one transaction set at a time (flat memory on any size).
 *
 *   for await (const item of readX12(source)) { ... }      // source: AsyncIterable<Uint8Array> | Uint8Array | string
 *   const items = parseX12(text)                            // small inputs, tests
 *   const r = createX12Reader(); r.push(chunk) -> X12Item[]; r.end() -> X12Item[]   // push style
 *
 * Items arrive in input order:
 *   interchange_start (ISA parsed, ISA field findings)
 *     group_start (GS)
 *       transaction (ST..SE: WireTree built with the grammar for ST01 + GS08, findings, accepted)
 *     group_end (GE checks, per-set results for the 997/999)
 *   interchange_end (IEA checks, TA1 segments carried, all interchange findings)
 *   garbage (bytes outside any interchange)
 * A missing SE/GE/IEA is reported on the item that closes (transaction/group_end/interchange_end),
 * which is then emitted without a trailer; bad bytes never throw.
 */
import { isAscii } from 'node:buffer';
import type { GrammarRegistry } from './grammars/index.ts';
import { createGrammarRegistry } from './grammars/index.ts';
import { createEnvelopeMachine } from './envelope.ts';
import { createSegmentTokenizer } from './tokenizer.ts';
import type { TransactionItem, X12Item } from './types.ts';

export interface X12ReaderOptions {
  /** grammar registry (default: the shipped 850/855/856/810/997/999 grammars) */
  grammars?: GrammarRegistry;
  /** check element lengths/types/codes (default true); segment placement is always checked */
  validateElements?: boolean;
  /** keep element values as latin1 (one char per byte) instead of decoding UTF-8 (default false) */
  latin1?: boolean;
  /** false: group_end items list no set results; each transaction item's `result` is the only copy (default true) */
  keepSetResults?: boolean;
}

export interface X12Reader {
  push(chunk: Uint8Array | string): X12Item[];
  end(): X12Item[];
}

const defaultRegistry = createGrammarRegistry();

/** A JS string is treated as text: non-latin1 characters are encoded as UTF-8 bytes first. */
function toLatin1(chunk: Uint8Array | string): string {
  if (typeof chunk !== 'string') return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  return /[^\x00-\x7f]/.test(chunk) ? Buffer.from(chunk, 'utf8').toString('latin1') : chunk;
}

export function createX12Reader(opts: X12ReaderOptions = {}): X12Reader {
  const out: X12Item[] = [];
  const machine = createEnvelopeMachine({ grammars: opts.grammars ?? defaultRegistry, validateElements: opts.validateElements !== false, keepSetResults: opts.keepSetResults !== false }, out);
  const tokenizer = createSegmentTokenizer(machine, { latin1: opts.latin1 === true });
  const drain = (): X12Item[] => out.splice(0, out.length);
  return {
    push(chunk) {
      tokenizer.push(toLatin1(chunk), typeof chunk !== 'string' && isAscii(chunk));
      return drain();
    },
    end() {
      tokenizer.end();
      machine.finish();
      return drain();
    },
  };
}

export async function* readX12(source: AsyncIterable<Uint8Array | string> | Uint8Array | string, opts: X12ReaderOptions = {}): AsyncGenerator<X12Item> {
  const reader = createX12Reader(opts);
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield* reader.push(source);
  } else {
    for await (const chunk of source) yield* reader.push(chunk);
  }
  yield* reader.end();
}

export function parseX12(input: string | Uint8Array, opts: X12ReaderOptions = {}): X12Item[] {
  const reader = createX12Reader(opts);
  return [...reader.push(input), ...reader.end()];
}

/** Convenience: only the transaction items of parseX12. */
export function parseTransactions(input: string | Uint8Array, opts: X12ReaderOptions = {}): TransactionItem[] {
  return parseX12(input, opts).filter((i): i is TransactionItem => i.kind === 'transaction');
}
