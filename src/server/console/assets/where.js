// Where an exception points: partner, control numbers, segment and element, expected and found,
// mapping problems (file:line:col, rule, hint) and the reader's findings.
import { dl, h, jsonBlock, table } from './dom.js';

const pad2 = (n) => String(n).padStart(2, '0');

/** PO103 from segment PO1, element 3 (component 2: PO103-02) */
export function elementName(d) {
  if (!d?.segment || d.elementPosition === undefined) return '';
  return `${d.segment}${pad2(d.elementPosition)}${d.componentPosition !== undefined ? `-${pad2(d.componentPosition)}` : ''}`;
}

const described = new Set(['partnerId', 'interchangeControlNumber', 'groupControlNumber', 'transactionControlNumber', 'segment',
  'segmentPosition', 'loopId', 'elementPosition', 'componentPosition', 'elementReference', 'expected', 'found', 'problems', 'findings']);

const labels = { standardCode: 'Standard error code (as the functional ack reports it)', level: 'Level', mappingFile: 'Mapping file' };
/** standardCode -> Standard code; a label for a detail key nobody described */
const labelOf = (k) => labels[k] ?? k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());

const scalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * A mapping problem names its place only in its message ("... at BEG segment position 2, element 01");
 * the first one found gives the segment and element when the detail has none of its own.
 */
export function placeFromProblems(problems) {
  for (const p of Array.isArray(problems) ? problems : []) {
    const m = /at ([A-Z0-9]{2,3}) segment position (\d+), element (\d+)(?:, component (\d+))?/.exec(String(p?.message ?? ''));
    if (m) return { segment: m[1], segmentPosition: Number(m[2]), elementPosition: Number(m[3]), ...(m[4] ? { componentPosition: Number(m[4]) } : {}) };
  }
  return {};
}

export function whereView(detail) {
  const given = detail && typeof detail === 'object' ? detail : {};
  const d = given.segment ? given : { ...placeFromProblems(given.problems), ...given };
  const segment = d.segment
    ? `${d.segment}${d.segmentPosition !== undefined ? ` at segment position ${d.segmentPosition}` : ''}${d.loopId ? ` (loop ${d.loopId})` : ''}`
    : undefined;
  const element = elementName(d)
    ? `${elementName(d)}: element ${pad2(d.elementPosition)}${d.componentPosition !== undefined ? `, component ${pad2(d.componentPosition)}` : ''}${d.elementReference ? `, data element ${d.elementReference}` : ''}`
    : undefined;
  const others = Object.entries(d).filter(([k, v]) => !described.has(k) && scalar(v));
  return h('div', { class: 'where' },
    dl([
      ['Partner', d.partnerId],
      ['Interchange control number', d.interchangeControlNumber],
      ['Group control number', d.groupControlNumber],
      ['Transaction set / message control number', d.transactionControlNumber],
      ['Segment', segment],
      ['Element', element],
      ['Expected', d.expected === undefined ? undefined : h('code', { class: 'expected' }, String(d.expected))],
      ['Found', d.found === undefined ? undefined : h('code', { class: 'found' }, String(d.found))],
      ...others.map(([k, v]) => [labelOf(k), String(v)]),
    ]),
    Array.isArray(d.problems) && d.problems.length ? [h('h3', {}, 'Mapping problems'), table([
      { label: 'Rule', cell: (p) => p.rule ?? '' },
      { label: 'Field', cell: (p) => p.field ?? '' },
      { label: 'Message', cell: (p) => p.message ?? '', class: 'wrap' },
      { label: 'Hint', cell: (p) => p.hint ?? '', class: 'wrap' },
      { label: 'Mapping rule at', cell: (p) => (p.file ? `${p.file}:${p.line ?? '?'}:${p.col ?? '?'}` : ''), class: 'nowrap' },
    ], d.problems)] : null,
    Array.isArray(d.findings) && d.findings.length ? [h('h3', {}, 'Findings'), table([
      { label: 'Level', cell: (f) => f.level ?? '' },
      { label: 'Error', cell: (f) => f.error ?? f.code ?? '' },
      { label: 'Where', cell: (f) => elementName(f) || f.segment || '' },
      { label: 'Message', cell: (f) => f.message ?? '', class: 'wrap' },
    ], d.findings)] : null,
    h('details', {}, h('summary', {}, 'Full detail (JSON)'), jsonBlock(detail)));
}
