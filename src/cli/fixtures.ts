/**
 * Golden fixtures: fixtures/<partner or standard>/<case>/ holds `input.<ext>` and `expected.json`
 * (an array of { "type", "document" } in the order the input yields them) or, for a case that must
 * be refused, `expected-errors.json` (an array of { "code" }); with both, the documents translate
 * and the other units are refused with those codes only. Adding a case is adding files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FileTranslation } from '../pipeline/inbound/translate-file.ts';

export interface FixtureCase {
  group: string;
  name: string;
  dir: string;
  input: string;
  expected?: Array<{ type: string; document: unknown }>;
  expectedErrors?: Array<{ code: string }>;
  /** partner options: fixtures/<case>/options.json { "message": "...", "contentType": "..." } */
  options: { message?: string; contentType?: string };
}

export function listFixtureCases(root: string): FixtureCase[] {
  if (!existsSync(root)) return [];
  const cases: FixtureCase[] = [];
  for (const group of readdirSync(root).sort()) {
    const gdir = path.join(root, group);
    if (!statSync(gdir).isDirectory()) continue;
    for (const name of readdirSync(gdir).sort()) {
      const dir = path.join(gdir, name);
      if (!statSync(dir).isDirectory()) continue;
      const input = readdirSync(dir).find((f) => f.startsWith('input.'));
      if (!input) continue;
      const read = (f: string) => existsSync(path.join(dir, f)) ? JSON.parse(readFileSync(path.join(dir, f), 'utf8')) : undefined;
      cases.push({ group, name, dir, input: path.join(dir, input), expected: read('expected.json'), expectedErrors: read('expected-errors.json'), options: read('options.json') ?? {} });
    }
  }
  return cases;
}

/** Compares a translation with the case's expectation; returns what differs, empty when it passes. */
export function compareFixture(c: FixtureCase, got: FileTranslation): string[] {
  const problems: string[] = [];
  if (c.expectedErrors) {
    const codes = got.errors.map((e) => e.code);
    for (const e of c.expectedErrors) if (!codes.includes(e.code)) problems.push(`expected error ${e.code}, got ${codes.join(', ') || 'no error'}`);
    // both files: some documents translate, the others are refused with these codes (a repeat in the file)
    if (!c.expected) return problems;
  }
  if (!c.expected) return ['neither expected.json nor expected-errors.json'];
  const allowed = new Set((c.expectedErrors ?? []).map((e) => e.code));
  for (const e of got.errors) if (!allowed.has(e.code)) problems.push(`${e.code}: ${e.message}`);
  if (got.documents.length !== c.expected.length) problems.push(`expected ${c.expected.length} document(s), got ${got.documents.length}`);
  c.expected.forEach((exp, i) => {
    const doc = got.documents[i];
    if (!doc) return;
    if (doc.type !== exp.type) problems.push(`document ${i + 1}: expected type ${exp.type}, got ${doc.type}`);
    if (!isDeepStrictEqual(doc.document, exp.document)) problems.push(`document ${i + 1}: ${firstDifference(exp.document, doc.document, '')}`);
  });
  return problems;
}

function firstDifference(a: unknown, b: unknown, at: string): string {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${at}/${k}`);
    }
  }
  return `${at || '/'} expected ${JSON.stringify(a)}, got ${JSON.stringify(b)}`;
}
