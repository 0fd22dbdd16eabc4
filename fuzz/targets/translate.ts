/**
 * Whole translation: src/pipeline/inbound/translate-file.ts, what `edigw translate` runs (detect, split,
 * identify, translate, validate) with the repository's partners and mappings. It never throws by
 * design; an untyped crash inside shows up as an error with code internal_error.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import type { FuzzTarget, Seed } from '../types.ts';
import { isEdifact, isJson, isX12, isXml, isTypedError } from './common.ts';
import { repoDeps, seedOptions } from './repo-config.ts';
import { Untyped } from '../types.ts';

let root = '';

export function translationSeeds(repoRoot: string, files: Array<{ path: string; bytes: Uint8Array }>): Seed[] {
  const out: Seed[] = [];
  for (const f of files) {
    const base = path.basename(f.path);
    if (base.startsWith('expected')) continue;
    if (!(isX12(f.bytes) || isEdifact(f.bytes) || isXml(f.bytes) || isJson(f.bytes) || f.path.endsWith('.csv'))) continue;
    if (/\.(pem|cer|key|dtd)$/.test(base) || base === 'options.json') continue;
    const opt = path.join(path.dirname(f.path), 'options.json');
    out.push({ name: f.path, bytes: f.bytes, meta: seedOptions(repoRoot, f.path, existsSync(opt) ? readFileSync(opt, 'utf8') : undefined) });
  }
  return out;
}

export const target: FuzzTarget = {
  name: 'translate',
  description: 'src/pipeline/inbound/translate-file.ts translateFile with the repository configuration',
  dialect: { delimiters: ['*', '~', '+', ':', "'", ';', ',', '<', '>', '"', '\n'], segmentEnds: ['~', "'", '\n', '>'], nesting: [['[', ']'], ['<a>', '</a>'], ['HL*1**S~', '']] },
  ratio: 20000,
  floorMs: 200,
  isTyped: isTypedError,
  async setup(src) {
    root = src.repoRoot;
    repoDeps(root);
    return translationSeeds(src.repoRoot, src.files);
  },
  async run(bytes, meta) {
    const r = await translateFile(repoDeps(root), bytes, {
      ...(meta.partnerId ? { partnerId: meta.partnerId } : {}), ...(meta.message ? { message: meta.message } : {}), ...(meta.contentType ? { contentType: meta.contentType } : {}),
    });
    for (const e of r.errors) if (e.code === 'internal_error' || /\b(TypeError|RangeError|ReferenceError|Maximum call stack)\b/.test(e.message)) throw new Untyped(`${e.code}: ${e.message}`);
  },
};
