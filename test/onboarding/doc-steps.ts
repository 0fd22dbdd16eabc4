/**
 * Reads the walk-through out of docs/onboarding.md. Fenced blocks carry their role in the info
 * string after the language (GitHub shows only the language):
 *   ```yaml file=partners/northwind.yaml   the exact content of a file, written before the next command
 *   ```sh run [exit=2]                     one shell command (lines joined by a trailing "\")
 *   ```json stdout [partial]               what the command above prints on stdout (stderr: on stderr)
 *   ```text gateway-log                    lines the running gateway logs after the last file written
 * Any other fenced block is prose and is not run.
 */
export type Step =
  | { kind: 'file'; path: string; content: string; line: number }
  | { kind: 'run'; command: string; exit: number; line: number; expect: Expectation[] }
  | { kind: 'gateway-log'; text: string; line: number };

export interface Expectation {
  stream: 'stdout' | 'stderr';
  lang: string;
  text: string;
  partial: boolean;
  line: number;
}

interface Fence { lang: string; words: Map<string, string | true>; body: string; line: number }

export function readFences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`docs line ${start + 1}: fenced block is not closed`);
    const words = new Map<string, string | true>();
    for (const w of (open[2] ?? '').trim().split(/\s+/).filter(Boolean)) {
      const eq = w.indexOf('=');
      words.set(eq < 0 ? w : w.slice(0, eq), eq < 0 ? true : w.slice(eq + 1));
    }
    fences.push({ lang: open[1] ?? '', words, body: body.join('\n'), line: start + 1 });
  }
  return fences;
}

export function readSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const f of readFences(markdown)) {
    const file = f.words.get('file');
    if (typeof file === 'string') {
      steps.push({ kind: 'file', path: file, content: f.body + '\n', line: f.line });
    } else if (f.words.has('run')) {
      const exit = f.words.get('exit');
      steps.push({ kind: 'run', command: f.body, exit: typeof exit === 'string' ? Number(exit) : 0, line: f.line, expect: [] });
    } else if (f.words.has('stdout') || f.words.has('stderr')) {
      const last = steps.at(-1);
      if (last?.kind !== 'run') throw new Error(`docs line ${f.line}: an output block must follow a run block`);
      last.expect.push({ stream: f.words.has('stdout') ? 'stdout' : 'stderr', lang: f.lang, text: f.body, partial: f.words.has('partial'), line: f.line });
    } else if (f.words.has('gateway-log')) {
      steps.push({ kind: 'gateway-log', text: f.body, line: f.line });
    } else if (['sh', 'bash', 'shell', 'console'].includes(f.lang)) {
      throw new Error(`docs line ${f.line}: a shell block without "run" would be a command the test does not run`);
    }
  }
  return steps;
}
