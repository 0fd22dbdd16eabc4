/**
 * compileMapping: YAML (with its `extends:` chain) -> checked, compiled closures. Every problem in
 * the file is collected and thrown together as one MappingCompileError (code mapping_invalid).
 */
import { GatewayError } from '../core/errors.ts';
import { isDocumentType, documentTypes, type DocumentType } from '../canonical/schemas.ts';
import { canonicalShape, nearest } from './canonical-fields.ts';
import { compileArray, compileGroup } from './compile-fields.ts';
import { compileSegments, finishTree, type Emit } from './compile-segments.ts';
import type { Env, Getter } from './env.ts';
import { scalarText, type LMap, type Loc, type LVal } from './located.ts';
import { compileIgnore } from './ignore.ts';
import { loadMerged } from './load.ts';
import { objectPaths, wirePaths } from './path-kinds.ts';
import { createRunner } from './runner.ts';
import { transformsFor } from './transforms.ts';
import { indexGrammar } from './wire-grammar.ts';
import { MappingCompileError, type CompiledMapping, type CompileOptions, type MappingProblem, type MappingSource } from './types.ts';

/** the keys a mapping file may have at its top (schemas/mapping.schema.json lists the same: scripts/editor-schemas.ts) */
export const TOP_KEYS = ['format', 'message', 'version', 'direction', 'document', 'extends', 'templates', 'codeTables', 'fields', 'segments', 'groupBy', 'each', 'ignore'];
export const FORMATS = ['x12', 'edifact', 'csv', 'xml', 'json'];
/** top keys whose value is a map or a list */
const BLOCK_KEYS = ['templates', 'codeTables', 'fields', 'segments', 'ignore'];

function header(tree: LMap, problems: MappingProblem[]) {
  const at = (k: string): Loc => tree.entries.get(k)?.loc ?? tree.loc;
  const req = (k: string, hint: string): string => {
    const v = scalarText(tree.entries.get(k));
    if (v === undefined || v === '') problems.push({ ...at(k), rule: 'missing_key', message: `${k}: is required`, hint });
    return v ?? '';
  };
  // a dedent under a top key (`fields:` with its fields at column 1): one finding at the empty key
  const keys = [...tree.entries.keys()];
  const adopted = new Set<string>();
  for (const [i, k] of keys.entries()) {
    const v = tree.entries.get(k)!;
    if (!BLOCK_KEYS.includes(k) || v.kind !== 'scalar' || v.value !== null || v.text !== '') continue;
    const below = keys.slice(i + 1).filter((b) => !TOP_KEYS.includes(b) && !adopted.has(b));
    for (const b of below) adopted.add(b);
    const at = tree.keyLocs.get(k) ?? v.loc;
    const list = below.map((b) => `"${b}"`).join(', ');
    problems.push({
      ...at, rule: 'yaml_indentation',
      message: below.length > 0
        ? `"${k}:" on line ${at.line} is empty (YAML reads null), and ${list} below it ${below.length === 1 ? 'is' : 'are'} at its indentation: it looks like an indentation mistake`
        : `"${k}:" on line ${at.line} is empty (YAML reads null): it looks like an indentation mistake, or a key left without its value`,
      hint: below.length > 0 ? `indent ${list} under "${k}:" (two more spaces)` : `indent its entries under "${k}:", or remove the line`,
    });
  }
  for (const [k, v] of tree.entries) {
    if (adopted.has(k)) continue;
    if (!TOP_KEYS.includes(k)) {
      const near = nearest(k, TOP_KEYS);
      problems.push({ ...(tree.keyLocs.get(k) ?? v.loc), rule: 'unknown_key', message: `"${k}" is not a mapping file key`, hint: near ? `did you mean "${near}"?` : `keys: ${TOP_KEYS.join(', ')}` });
    }
  }
  const format = req('format', FORMATS.join(' | '));
  if (format && !FORMATS.includes(format)) problems.push({ ...at('format'), rule: 'bad_format', message: `format "${format}" is not one of ${FORMATS.join(', ')}` });
  const message = req('message', 'X12 set id ("850"), EDIFACT message (ORDERS) or a name');
  const version = scalarText(tree.entries.get('version'));
  if ((format === 'x12' || format === 'edifact') && !version) problems.push({ ...tree.loc, rule: 'missing_key', message: 'version: is required for x12 and edifact', hint: 'e.g. "004010" or D96A' });
  const direction = req('direction', 'inbound | outbound');
  if (direction && direction !== 'inbound' && direction !== 'outbound') problems.push({ ...at('direction'), rule: 'bad_direction', message: `direction "${direction}" is not inbound or outbound` });
  const document = req('document', documentTypes.join(' | '));
  if (document && !isDocumentType(document)) {
    const near = nearest(document, [...documentTypes]);
    problems.push({ ...at('document'), rule: 'unknown_document', message: `document "${document}" is not a canonical document type`, hint: near ? `did you mean "${near}"?` : documentTypes.join(', ') });
  }
  return { format, message, version, direction: direction as 'inbound' | 'outbound', document: document as DocumentType };
}

function usesExpr(v: LVal): boolean {
  if (v.kind === 'map') return v.entries.has('expr') || [...v.entries.values()].some(usesExpr);
  if (v.kind === 'seq') return v.items.some(usesExpr);
  return false;
}

function namedMap(v: LVal | undefined): Map<string, LVal> {
  return v?.kind === 'map' ? new Map(v.entries) : new Map();
}

export function compileMapping(src: MappingSource, opts: CompileOptions): CompiledMapping {
  const problems: MappingProblem[] = [];
  const tree = loadMerged(src, opts, problems) as LMap | undefined;
  if (!tree) throw new MappingCompileError(src.file, problems);
  const h = header(tree, problems);
  if (problems.length) throw new MappingCompileError(src.file, problems);
  const segmentFormat = h.format === 'x12' || h.format === 'edifact';
  const grammar = segmentFormat && h.version ? opts.grammar?.(h.format, h.message, h.version) : undefined;
  const gi = grammar ? indexGrammar(grammar) : undefined;
  const env: Env = {
    direction: h.direction,
    documentLabel: h.document,
    problems,
    warnings: [],
    rules: [],
    pointers: [],
    paths: undefined as unknown as Env['paths'],
    transforms: transformsFor({ format: h.format, direction: h.direction }),
    codeTables: namedMap(tree.entries.get('codeTables')),
    templates: namedMap(tree.entries.get('templates')),
    expanding: [],
    hasExpr: usesExpr(tree),
    exprWire: segmentFormat && h.direction === 'inbound',
  };
  const getEnv = (): Env => env;
  env.paths = h.direction === 'outbound' ? objectPaths(getEnv, '.') : segmentFormat ? wirePaths(getEnv, gi) : objectPaths(getEnv, '/');
  let inbound: Getter | undefined;
  let outbound: Emit | Getter | undefined;
  const fieldsV = tree.entries.get('fields');
  const eachV = tree.entries.get('each');
  const site = { id: '', ptr: [], keyLoc: tree.loc, ctxTag: undefined };
  if (h.direction === 'inbound') {
    if (!fieldsV) problems.push({ ...tree.loc, rule: 'missing_key', message: 'fields: is required for an inbound mapping' });
    else inbound = compileGroup(env, fieldsV, { ...site, shape: canonicalShape(h.document) });
  } else if (segmentFormat) {
    const segs = tree.entries.get('segments');
    if (!segs) problems.push({ ...tree.loc, rule: 'missing_key', message: 'segments: is required for an outbound x12/edifact mapping' });
    else outbound = compileSegments(env, segs, '', gi);
  } else if (!fieldsV) {
    problems.push({ ...tree.loc, rule: 'missing_key', message: 'fields: is required for an outbound mapping' });
  } else if (eachV) {
    const spec: LMap = { kind: 'map', entries: new Map([['each', eachV], ['fields', fieldsV]]), keyLocs: new Map(), loc: tree.loc };
    outbound = compileArray(env, spec, { ...site, id: 'rows', ptr: [] });
  } else outbound = compileGroup(env, fieldsV, site);
  const groupByV = tree.entries.get('groupBy');
  const groupBy = groupByV ? env.paths.value(scalarText(groupByV) ?? '', groupByV.loc, undefined) : undefined;
  if (groupByV && (h.direction !== 'inbound' || segmentFormat)) problems.push({ ...groupByV.loc, rule: 'bad_group_by', message: 'groupBy: applies to inbound csv/xml/json mappings (rows -> documents)' });
  const ignore = compileIgnore(tree.entries.get('ignore'), h, gi, problems);
  if (problems.length) throw new MappingCompileError(src.file, problems);
  return { ...createRunner({ file: src.file, header: h, env, inbound, outbound: outbound as Emit | Getter | undefined, segmentFormat, groupBy, fail: (msg, code = 'mapping_direction', cause) => new GatewayError(code, msg, { file: src.file }, cause === undefined ? undefined : { cause }), finishTree }), ignore, warnings: env.warnings };
}
