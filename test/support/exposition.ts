/** The Prometheus text exposition format (0.0.4) as a scraper reads it, for the /metrics tests. */
export interface Sample { name: string; labels: Record<string, string>; value: number }

/** # HELP / # TYPE lines, then `name{a="x",b="y"} value`; a line that is neither throws */
export function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const out: Sample[] = [];
  const typeOf = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) { typeOf.set(type[1]!, type[2]!); continue; }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples: out, types: typeOf };
}
