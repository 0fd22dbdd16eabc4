/**
 * A segment read from X12 text whose elements are split from its text on first use.
 *
 * Splitting every element of every segment into strings was most of the reader's cost on big
 * files, and most of that work is not needed to read them: the loop tree needs only the tag,
 * element checks can run on the text (validate-text.ts), and the mapping reads the segments it
 * maps. So the tokenizer keeps the segment's text, and `elements` (and `repeats`) are computed
 * once, when something reads them. To everything else it is an ordinary wire Segment; JSON,
 * util.inspect and the tests' equality see `{ tag, elements, position, repeats? }`.
 */
import type { Element, Segment } from '../wire.ts';

export interface X12ElementDelimiters {
  element: string;
  component: string;
  repetition?: string;
}

/** String.prototype.split by hand: faster on the short sliced strings the tokenizer makes */
function splitOn(text: string, sep: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(sep, from);
    if (at < 0) { out.push(from === 0 ? text : text.slice(from)); return out; }
    out.push(text.slice(from, at));
    from = at + sep.length;
  }
}

export class X12Segment implements Segment {
  tag: string;
  position: number;
  /** the text after the tag's element separator; undefined when the segment has no elements */
  readonly #text: string | undefined;
  readonly #delimiters: X12ElementDelimiters;
  /** no component or repetition separator in the text: every element is a simple string */
  readonly #simple: boolean;
  #elements: Element[] | undefined;
  #repeats: Record<number, Element[]> | undefined;

  constructor(tag: string, text: string | undefined, delimiters: X12ElementDelimiters, simple: boolean) {
    this.tag = tag;
    this.position = 0;
    this.#text = text;
    this.#delimiters = delimiters;
    this.#simple = simple;
    this.#elements = undefined;
    this.#repeats = undefined;
  }

  /** The text after the tag ('' without elements), while the elements have not been split (or replaced) and hold no components or repetitions. */
  get simpleText(): string | undefined {
    return this.#elements === undefined && this.#simple ? (this.#text ?? '') : undefined;
  }

  get elementSeparator(): string {
    return this.#delimiters.element;
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
    const text = this.#text;
    const d = this.#delimiters;
    const elements: Element[] = text === undefined ? [] : splitOn(text, d.element);
    if (!this.#simple) {
      for (let i = 0; i < elements.length; i++) elements[i] = this.#splitElement(elements[i] as string, i);
    }
    this.#elements = elements;
    return elements;
  }

  #splitElement(value: string, index: number): Element {
    const { component, repetition } = this.#delimiters;
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
