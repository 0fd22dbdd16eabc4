/** JSON: the pipeline json reader, partner-shaped and canonical (restco sends canonical documents). */
import { createJsonReader } from '../../src/formats/json/format-reader.ts';
import type { FuzzTarget } from '../types.ts';
import { assertTyped, isJson, pick } from './common.ts';

const reader = createJsonReader();

export const target: FuzzTarget = {
  name: 'json',
  description: 'src/formats/json/format-reader.ts, canonical and partner-shaped',
  dialect: { delimiters: [',', ':', '"', '{', '}', '[', ']', '\\'], segmentEnds: [',', '\n'], nesting: [['[', ']'], ['{"a":', '}'], ['{"type":"ship_notice","document":[', ']}']] },
  ratio: 5000,
  floorMs: 100,
  async setup(src) {
    const seeds = pick(src, isJson);
    return seeds.flatMap((s) => [{ ...s, meta: { canonical: 'false' } }, { ...s, meta: { canonical: 'true' } }]);
  },
  async run(bytes, meta) {
    const r = await reader.split(bytes, { formatOptions: { canonical: meta.canonical === 'true' }, metadata: {} });
    assertTyped(r.errors, 'split');
    for (const u of r.units) assertTyped(u.errors, 'unit');
  },
};
