/**
 * Splits one documented shell command into words, as sh would for the plain commands the
 * walk-through uses: "\"+newline continues a line, '...' and "..." quote (no expansion), leading
 * NAME=value words are environment assignments. Anything needing a real shell is refused.
 */
export interface ShellCommand { env: Record<string, string>; argv: string[] }

export function splitCommand(text: string): ShellCommand {
  const src = text.replace(/\\\n/g, ' ');
  if (/[|;&<>`$]/.test(src.replace(/'[^']*'/g, "''").replace(/"[^"]*"/g, '""'))) {
    throw new Error(`command needs a shell feature the walk-through test does not run: ${text}`);
  }
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "'" || ch === '"') {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unclosed ${ch} in: ${text}`);
      word = (word ?? '') + src.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
    const w = words.shift()!;
    env[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
  }
  return { env, argv: words };
}
