/** Reads a mapping file and its `extends:` chain into one merged, located tree. */
import { mergeLocated, parseLocated, scalarText, type LMap, type LVal } from './located.ts';
import type { CompileOptions, MappingProblem, MappingSource } from './types.ts';

export function loadMerged(src: MappingSource, opts: CompileOptions, problems: MappingProblem[], chain: string[] = []): LVal | undefined {
  const tree = parseLocated(src.file, src.text, problems);
  if (!tree) return undefined;
  if (tree.kind !== 'map') {
    problems.push({ ...tree.loc, rule: 'not_a_mapping', message: 'a mapping file is a YAML map (format:, message:, direction:, document:, fields: ...)' });
    return undefined;
  }
  const extV = tree.entries.get('extends');
  if (!extV) return tree;
  const baseFile = scalarText(extV) ?? '';
  const here = [...chain, src.file];
  if (here.includes(baseFile)) {
    problems.push({ ...extV.loc, rule: 'extends_cycle', message: `extends cycle: ${[...here, baseFile].join(' -> ')}`, hint: 'a base mapping must not extend a file that extends it' });
    return undefined;
  }
  let baseSrc: MappingSource;
  try {
    baseSrc = opts.load(baseFile);
  } catch (e) {
    problems.push({
      ...extV.loc,
      rule: 'extends_missing',
      message: `extends: ${baseFile} cannot be loaded (${e instanceof Error ? e.message : String(e)})`,
      hint: 'the path is relative to the mappings root, e.g. _base/x12-004010-850.inbound.yaml',
    });
    return undefined;
  }
  const base = loadMerged(baseSrc, opts, problems, here);
  if (!base) return undefined;
  const over: LMap = { ...tree, entries: new Map(tree.entries), keyLocs: new Map(tree.keyLocs) };
  over.entries.delete('extends');
  // ignore: adds to the base's list (a list elsewhere replaces); ignore: null still removes it
  const baseIgnore = (base as LMap).entries?.get('ignore');
  const ownIgnore = over.entries.get('ignore');
  if (baseIgnore?.kind === 'seq' && ownIgnore?.kind === 'seq') over.entries.set('ignore', { ...ownIgnore, items: [...baseIgnore.items, ...ownIgnore.items] });
  return mergeLocated(base, over);
}
