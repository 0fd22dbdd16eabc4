/** Hand-built wire trees and an in-memory mappings root for the mapping tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loop, Segment, WireNode, WireTree } from '../../src/formats/wire.ts';
import type { CompileOptions, MappingSource } from '../../src/mapping/index.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const mappingsRoot = path.join(repoRoot, 'mappings');

/** One segment from X12-style text: '*' between elements, ':' between components. */
export function seg(text: string): Segment {
  const [tag, ...els] = text.split('*');
  return { tag: tag ?? '', elements: els.map((e) => (e.includes(':') ? e.split(':') : e)), position: 0 };
}

export function loop(id: string, ...children: Array<WireNode | string>): Loop {
  return { loop: id, children: children.map((c) => (typeof c === 'string' ? seg(c) : c)) };
}

/** A transaction set / message; positions are numbered 1.. in document order like a reader does. */
export function tree(standard: 'x12' | 'edifact', message: string, version: string, ...children: Array<WireNode | string>): WireTree {
  const root = loop(message, ...children);
  let pos = 1;
  const number = (ns: WireNode[]): void => {
    for (const n of ns) {
      if ((n as Segment).tag !== undefined) (n as Segment).position = pos++;
      else number((n as Loop).children);
    }
  };
  number(root.children);
  return { standard, message, version, root };
}

/** CompileOptions over an in-memory set of files, falling back to the repo's mappings/ folder. */
export function memoryOptions(files: Record<string, string> = {}, grammar?: CompileOptions['grammar']): CompileOptions {
  return {
    load(file: string): MappingSource {
      const text = files[file];
      if (text !== undefined) return { file, text };
      const onDisk = path.join(mappingsRoot, file);
      return { file, text: readFileSync(onDisk, 'utf8') };
    },
    ...(grammar ? { grammar } : {}),
  };
}

export function baseSource(file: string): MappingSource {
  return { file, text: readFileSync(path.join(mappingsRoot, file), 'utf8') };
}
