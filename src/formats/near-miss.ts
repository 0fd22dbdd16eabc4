/** 'IAS' for 'ISA', 'UBN' for 'UNB': the same length, one character changed or two neighbours swapped. */
export function nearMiss(tag: string, want: string): boolean {
  if (tag.length !== want.length || tag === want) return false;
  const diff: number[] = [];
  for (let i = 0; i < tag.length; i++) if (tag[i] !== want[i]) diff.push(i);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0]! + 1 && tag[diff[0]!] === want[diff[1]!] && tag[diff[1]!] === want[diff[0]!];
}
