/**
 * Public readers. `parseEdifact` takes a whole file; `readEdifact` streams message by message
 * from an AsyncIterable<Uint8Array> (file stream, HTTP body), holding one message in memory.
 */
import { GatewayError } from '../../core/errors.ts';
import { createEdifactTokenizer } from './tokenizer.ts';
import { createEdifactAssembler, type EdifactInterchangeSummary, type EdifactMessage } from './assembler.ts';
import { createEdifactGrammarRegistry, type EdifactGrammarRegistry } from './grammars/index.ts';

export interface EdifactReadOptions {
  /** message tables (default: ORDERS/ORDRSP/DESADV/INVOIC D96A+D01B); null = flat trees, no element checks */
  grammars?: EdifactGrammarRegistry | null;
  maxErrorsPerMessage?: number;
}

export interface EdifactInterchange extends EdifactInterchangeSummary { messages: EdifactMessage[] }

export type EdifactReadItem =
  | { kind: 'message'; message: EdifactMessage }
  | { kind: 'interchange'; interchange: EdifactInterchangeSummary };

const toText = (input: Uint8Array | string): string => (typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1'));

let defaultRegistry: EdifactGrammarRegistry | undefined;
function registry(opts: EdifactReadOptions): EdifactGrammarRegistry | null {
  if (opts.grammars !== undefined) return opts.grammars;
  return (defaultRegistry ??= createEdifactGrammarRegistry());
}

function notEdifact(text: string): GatewayError | undefined {
  const head = text.replace(/^[\s\uFEFF\u00EF\u00BB\u00BF]+/, '').slice(0, 3);
  if (head.length === 0) return new GatewayError('edifact_empty', 'input is empty', { expected: 'UNA or UNB' });
  if (!/^UN[ABGHZ]$/.test(head) && !/^[A-Z0-9]{3}$/.test(head)) return new GatewayError('edifact_not_edifact', `input does not start with an EDIFACT segment (found '${head}')`, { expected: 'UNA or UNB', found: head });
  return undefined;
}

/**
 * Parses a whole EDIFACT file (one or more interchanges). Strings are taken as one char per byte
 * (pass raw bytes when the data is not 7-bit). Throws GatewayError only when nothing can be read
 * (empty, not EDIFACT, truncated mid-segment); every other problem is in `errors` of the
 * interchange or message it concerns.
 */
export function parseEdifact(input: Uint8Array | string, opts: EdifactReadOptions = {}): EdifactInterchange[] {
  const text = toText(input);
  const bad = notEdifact(text);
  if (bad) throw bad;
  const out: EdifactInterchange[] = [];
  let pending: EdifactMessage[] = [];
  const asm = createEdifactAssembler({
    grammars: registry(opts),
    ...(opts.maxErrorsPerMessage !== undefined ? { maxErrorsPerMessage: opts.maxErrorsPerMessage } : {}),
    onMessage: (m) => { pending.push(m); },
    onInterchange: (i) => { out.push({ ...i, messages: pending }); pending = []; },
  });
  const tok = createEdifactTokenizer((s) => asm.segment(s));
  tok.write(stripBom(text));
  tok.end();
  asm.end();
  return out;
}

const stripBom = (t: string): string => (t.startsWith('\u00EF\u00BB\u00BF') ? t.slice(3) : t);

/**
 * Streams items in input order: each message when its UNT is read, each interchange summary
 * (header, counts, envelope errors) when its UNZ is read or the input ends.
 */
export async function* readEdifact(source: AsyncIterable<Uint8Array | string>, opts: EdifactReadOptions = {}): AsyncGenerator<EdifactReadItem> {
  const queue: EdifactReadItem[] = [];
  const asm = createEdifactAssembler({
    grammars: registry(opts),
    ...(opts.maxErrorsPerMessage !== undefined ? { maxErrorsPerMessage: opts.maxErrorsPerMessage } : {}),
    onMessage: (message) => { queue.push({ kind: 'message', message }); },
    onInterchange: (interchange) => { queue.push({ kind: 'interchange', interchange }); },
  });
  const tok = createEdifactTokenizer((s) => asm.segment(s));
  let head: string | undefined = '';
  for await (const chunk of source) {
    let text = toText(chunk);
    if (head !== undefined) {
      head += text;
      const trimmed = stripBom(head).replace(/^[\s]+/, '');
      if (trimmed.length < 3) continue;
      const bad = notEdifact(trimmed);
      if (bad) throw bad;
      text = stripBom(head);
      head = undefined;
    }
    tok.write(text);
    while (queue.length > 0) yield queue.shift() as EdifactReadItem;
  }
  if (head !== undefined) {
    const bad = notEdifact(stripBom(head));
    if (bad) throw bad;
    tok.write(stripBom(head));
  }
  tok.end();
  asm.end();
  while (queue.length > 0) yield queue.shift() as EdifactReadItem;
}
