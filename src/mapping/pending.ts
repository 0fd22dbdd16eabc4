/** A value still being computed by a JSONata expression; groups fill it in when it resolves. */
export class Pending {
  constructor(readonly promise: Promise<unknown>) {}
}

/** Removes undefined keys and empty objects/arrays left by expressions that produced nothing. */
export function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(prune).filter((x) => x !== undefined);
    return out.length ? out : undefined;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = prune(o[k]);
      if (x === undefined) delete o[k];
      else o[k] = x;
    }
    return Object.keys(o).length ? o : undefined;
  }
  return v;
}
