/**
 * What a fuzz target is: seeds, the structure hints mutations use, and one call that feeds an
 * input to the code under test. A target throws only for an untyped outcome; the engine treats
 * anything the target lets through as a finding.
 */

/** one starting input; `meta` travels with every input mutated from it (partner, message...) */
export interface Seed {
  name: string;
  bytes: Uint8Array;
  meta?: Record<string, string>;
}

/** format hints: which bytes separate things, how the format nests, so mutations stay near-valid */
export interface Dialect {
  /** element / component / segment separators the format uses (swapped by "delimiter swap") */
  delimiters: string[];
  /** bytes that end a segment, line or element (used by "segment duplication") */
  segmentEnds: string[];
  /** pairs that nest when repeated: [open, close] */
  nesting: Array<[string, string]>;
}

export interface FuzzTarget {
  name: string;
  description: string;
  dialect: Dialect;
  /** allowed time per input as a multiple of a plain scan of the same bytes */
  ratio: number;
  /** below this many milliseconds an input is never slow (timer noise, GC, JIT on tiny inputs) */
  floorMs: number;
  /** prepare expensive state once (config, keys); returns the seeds */
  setup(ctx: SeedSource): Promise<Seed[]>;
  /** feed one input; resolve for a typed outcome, throw `Untyped` or let the error escape otherwise */
  run(input: Uint8Array, meta: Record<string, string>): Promise<void> | void;
  /** the error a target may throw and still be typed (default: a GatewayError) */
  isTyped?(e: unknown): boolean;
  /** remove temp folders */
  teardown?(): void;
}

/** seed files found on disk, read lazily */
export interface SeedSource {
  repoRoot: string;
  /** every file under fixtures/ and ../shared/conformance/ (when present) */
  files: Array<{ path: string; rel: string; bytes: Uint8Array }>;
  conformancePresent: boolean;
}

/** a typed-looking result that hides an untyped failure (e.g. a GatewayError with code internal_error) */
export class Untyped extends Error {
  constructor(message: string, readonly original?: unknown) {
    super(message);
    this.name = 'Untyped';
  }
}
