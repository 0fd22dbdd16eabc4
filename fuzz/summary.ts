/** The per-target summary table the runner prints at the end (markdown, so a note can quote it). */
import type { TargetReport } from './engine.ts';

export function summaryTable(reports: readonly TargetReport[]): string {
  const rows = reports.map((r) => {
    const kinds = ['untyped', 'slow', 'memory'].map((k) => r.findings.filter((f) => f.kind === k).length);
    const s = r.slowest;
    return [
      r.target, String(r.seeds), String(r.inputs), `${(r.wallMs / 1000).toFixed(0)} s`,
      String(r.findings.length), `${kinds[0]}/${kinds[1]}/${kinds[2]}`,
      `${(s.ms / Math.max(s.allowedMs, 1e-9)).toFixed(2)} (${s.ms.toFixed(0)} ms, ${s.bytes} B)`,
      `${r.heapGrowthMb >= 0 ? '+' : ''}${r.heapGrowthMb.toFixed(1)} MB`,
    ];
  });
  const head = ['target', 'seeds', 'inputs run', 'time', 'distinct failures', 'untyped/slow/memory', 'slowest input / budget', 'heap growth'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
