/**
 * Remote file names: which are safe to take or write, and the file-name glob of a partner's
 * `pattern`. A name is used as one path segment under the inbox, archive or outbox; anything
 * that could climb out of that folder or fool a log line or terminal is refused.
 */

/** Why a remote name is unsafe, or undefined when it is a plain single file name. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return `"${name}" is a directory reference`;
  if (name.includes('\u0000')) return 'contains NUL';
  if (name.includes('/')) return 'contains "/" (path separator)';
  if (name.includes('\\')) return 'contains "\\" (path separator on Windows servers)';
  // C0 controls, DEL and C1 controls: newlines and escape sequences in names forge log lines
  const control = /[\u0001-\u001f\u007f-\u009f]/.exec(name);
  if (control) return `contains control character U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (Buffer.byteLength(name, 'utf8') > 255) return 'longer than 255 bytes';
  return undefined;
}

/** A printable rendering of an untrusted name for alerts and logs (controls escaped). */
export function printableName(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a file-name glob: `*` any run of characters, `?` one character, `[abc]` / `[a-z]` /
 * `[!abc]` a class, `{edi,x12}` alternatives. Matches whole names, case-sensitively. As in a
 * shell, a leading `*`, `?` or class does not match a leading dot (hidden and `.part` files).
 */
export function compileGlob(pattern: string): (name: string) => boolean {
  let source = '';
  let inBraces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) { source += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') { source += '(?:'; inBraces++; }
    else if (c === '}' && inBraces > 0) { source += ')'; inBraces--; }
    else if (c === ',' && inBraces > 0) source += '|';
    else source += escapeRegExp(c);
  }
  source += ')'.repeat(inBraces);
  const re = new RegExp(`^(?:${source})$`, 's');
  const dotAllowed = pattern.startsWith('.');
  return (name) => (dotAllowed || !name.startsWith('.')) && re.test(name);
}
