/**
 * A segment read from X12 text whose elements are split from its text on first use.
 *
 * Splitting every element of every segment into strings was most of the reader's cost on big
 * files, and most of that work is not needed to read them: the loop tree needs only the tag,
 * element checks can run on the text (validate-text.ts), and the mapping reads the segments it
 * maps. So the tokenizer keeps where the segment's elements are in the text it read (no copy),
 * and `elements` (and `repeats`) are computed once, when something reads them. To everything
 * else it is an ordinary wire Segment; JSON, util.inspect and the tests' equality see
 * `{ tag, elements, position, repeats? }`.
 */
import type { Element, Segment } from '../wire.ts';

/** The separators inside a segment, and whether a segment's text holds no component or repetition separator. */
export interface X12ElementSyntax {
  element: string;
  component: string;
  repetition?: string;
  /** every element is a simple string (no component or repetition separator in the text) */
  simple: boolean;
}

/** String.prototype.split by hand over source[from, to) */
function splitRange(source: string, from: number, to: number, sep: string): string[] {
  const out: string[] = [];
  for (;;) {
    const at = source.indexOf(sep, from);
    if (at < 0 || at >= to) { out.push(source.slice(from, to)); return out; }
    out.push(source.slice(from, at));
    from = at + sep.length;
  }
}

export class X12Segment implements Segment {
  tag: string;
  position: number;
  /** the text the segment was read from; its elements are source[#start, #end) (#start > #end: no elements) */
  readonly #source: string;
  readonly #start: number;
  readonly #end: number;
  readonly #syntax: X12ElementSyntax;
  #elements: Element[] | undefined;
  #repeats: Record<number, Element[]> | undefined;

  /** start: first character after the tag's element separator; start > end when the segment has no elements */
  constructor(tag: string, source: string, start: number, end: number, syntax: X12ElementSyntax) {
    this.tag = tag;
    this.position = 0;
    this.#source = source;
    this.#start = start;
    this.#end = end;
    this.#syntax = syntax;
    this.#elements = undefined;
    this.#repeats = undefined;
  }

  /**
   * The text its elements are in, while they have not been split (or replaced) and hold no
   * components or repetitions; they are at [textStart, textEnd) (empty when there are none).
   */
  get simpleSource(): string | undefined {
    return this.#elements === undefined && this.#syntax.simple ? this.#source : undefined;
  }

  get textStart(): number {
    return this.#start;
  }

  get textEnd(): number {
    return this.#start > this.#end ? this.#start : this.#end;
  }

  get elementSeparator(): string {
    return this.#syntax.element;
  }

  get elements(): Element[] {
    return this.#elements ?? this.#split();
  }

  set elements(value: Element[]) {
    this.#elements = value;
  }

  get repeats(): Record<number, Element[]> | undefined {
    if (this.#elements === undefined) this.#split();
    return this.#repeats;
  }

  set repeats(value: Record<number, Element[]> | undefined) {
    if (this.#elements === undefined) this.#split();
    this.#repeats = value;
  }

  #split(): Element[] {
    const syntax = this.#syntax;
    const elements: Element[] = this.#start > this.#end ? [] : splitRange(this.#source, this.#start, this.#end, syntax.element);
    if (!syntax.simple) {
      for (let i = 0; i < elements.length; i++) elements[i] = this.#splitElement(elements[i] as string, i);
    }
    this.#elements = elements;
    return elements;
  }

  #splitElement(value: string, index: number): Element {
    const { component, repetition } = this.#syntax;
    if (repetition !== undefined && value.indexOf(repetition) >= 0) {
      const all: Element[] = value.split(repetition).map((v) => (v.indexOf(component) >= 0 ? v.split(component) : v));
      (this.#repeats ??= {})[index] = all;
      return all[0] ?? '';
    }
    return value.indexOf(component) >= 0 ? value.split(component) : value;
  }

  toJSON(): Segment {
    const repeats = this.repeats;
    return { tag: this.tag, elements: this.elements, position: this.position, ...(repeats ? { repeats } : {}) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Segment {
    return this.toJSON();
  }
}
