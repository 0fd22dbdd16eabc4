/** Per-document state threaded through the compiled closures (no module state). */
import type { Segment } from '../formats/wire.ts';
import type { MappingProblem } from './types.ts';

export interface RunState {
  root: unknown;
  problems: MappingProblem[];
  /** used[i] = 1 when rule i produced a value */
  used: number[];
  /** the last segment / element position read, for run problems */
  seg: Segment | undefined;
  elemPos: number;
  /** array indexes of the enclosing `each` levels, for JSON pointers */
  idx: number[];
  depth: number;
  /** async work (JSONata) still to finish before the document is complete */
  pending: Array<Promise<void>>;
  /** lazily built JSON view of the root, for JSONata's $root */
  rootView?: unknown;
}

export function newRunState(root: unknown, ruleCount: number): RunState {
  return { root, problems: [], used: new Array<number>(ruleCount).fill(0), seg: undefined, elemPos: 0, idx: [], depth: 0, pending: [] };
}
