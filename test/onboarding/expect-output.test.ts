import { describe, expect, it } from 'vitest';
import { readSteps } from './doc-steps.ts';
import { compareJson, compareText, createIdBindings } from './expect-output.ts';
import { splitCommand } from './shell-words.ts';

const MSG_DOC = 'msg_01a2086e8f3f0000791a6084b40d';
const MSG_RUN = 'msg_01a20870643f00004d82ea792101';

describe('walk-through output matching', () => {
  it('binds a doc id to the real id once, substitutes it later, and then expects that real id', () => {
    const ids = createIdBindings();
    expect(compareJson({ messageId: MSG_DOC }, { messageId: MSG_RUN }, false, ids)).toEqual([]);
    expect(ids.substitute(`curl http://localhost:8080/api/v1/messages/${MSG_DOC}`)).toBe(`curl http://localhost:8080/api/v1/messages/${MSG_RUN}`);
    expect(compareJson({ links: { self: `/api/v1/messages/${MSG_DOC}` } }, { links: { self: `/api/v1/messages/${MSG_RUN}` } }, false, ids)).toEqual([]);
    const other = 'msg_01a2087063ef0000e4fc4ceaeb53';
    expect(compareJson({ messageId: MSG_DOC }, { messageId: other }, false, ids)).toEqual([
      `/messageId: expected "${MSG_RUN}" (the doc's "${MSG_DOC}"), got "${other}"`,
    ]);
  });

  it('refuses two doc ids standing for one real id', () => {
    const ids = createIdBindings();
    const other = 'msg_01a2087063ef0000e4fc4ceaeb53';
    expect(compareJson({ a: MSG_DOC, b: other }, { a: MSG_RUN, b: MSG_RUN }, false, ids)).toEqual([`/b: ${MSG_RUN} already stands for ${MSG_DOC} in the doc, not ${other}`]);
  });

  it('accepts any timestamp for a timestamp, but not other text', () => {
    const ids = createIdBindings();
    expect(compareJson({ at: '2026-11-23T12:43:13.087Z' }, { at: '2027-01-02T00:00:00.000Z' }, false, ids)).toEqual([]);
    expect(compareJson({ at: '2026-11-23T12:43:13.087Z' }, { at: 'yesterday' }, false, ids)).toHaveLength(1);
  });

  it('reports keys the doc leaves out unless the block is partial, and keys it shows that are missing', () => {
    const ids = createIdBindings();
    expect(compareJson({ a: 1 }, { a: 1, b: 2 }, false, ids)).toEqual(['/b: not in the doc, but the output has 2']);
    expect(compareJson({ a: 1 }, { a: 1, b: 2 }, true, ids)).toEqual([]);
    expect(compareJson({ a: 1, c: 3 }, { a: 1 }, true, ids)).toEqual(['/c: in the doc, missing from the output']);
    expect(compareJson([{ a: 1 }], [{ a: 1 }, { a: 2 }], true, ids)).toHaveLength(1);
  });

  it('matches text with … for project-dependent text and lines, and any run of spaces for table columns', () => {
    const ids = createIdBindings();
    const doc = 'configuration: … partner(s) valid\n…\nnorthwind …850-purchase-order … ok\n…\nfixtures: … passed, 0 failed';
    const out = 'configuration: 7 partner(s) valid\npartner  case\nacme     810  ok\nnorthwind     850-purchase-order             ok\nfixtures: 40 of 40 passed, 0 failed\n';
    expect(compareText(doc, out, ids)).toEqual([]);
    expect(compareText(doc, out.replace('0 failed', '1 failed'), ids)).toHaveLength(1);
    expect(compareText(doc, out.replace('northwind', 'southwind'), ids)).toHaveLength(1);
  });

  it('binds ids found in text lines', () => {
    const ids = createIdBindings();
    expect(compareText(`${MSG_DOC}: before failed; now processed`, `${MSG_RUN}: before failed; now processed\n`, ids)).toEqual([]);
    expect(ids.substitute(MSG_DOC)).toBe(MSG_RUN);
  });
});

describe('walk-through commands and blocks', () => {
  it('splits a documented command like sh: continuations, quotes, leading assignments', () => {
    expect(splitCommand("curl -s -X POST 'http://localhost:8080/a?b=1&c=2' \\\n  -H 'X-API-Key: k' --data-binary @f.edi")).toEqual({
      env: {}, argv: ['curl', '-s', '-X', 'POST', 'http://localhost:8080/a?b=1&c=2', '-H', 'X-API-Key: k', '--data-binary', '@f.edi'],
    });
    expect(splitCommand('A=1 B="two words" npm start')).toEqual({ env: { A: '1', B: 'two words' }, argv: ['npm', 'start'] });
  });

  it('refuses a command that needs a real shell', () => {
    expect(() => splitCommand('npx edigw check | tail')).toThrow(/shell feature/);
    expect(() => splitCommand('echo $HOME')).toThrow(/shell feature/);
  });

  it('attaches output blocks to the command above and refuses an unannotated shell block', () => {
    const md = '```yaml file=a.yaml\nx: 1\n```\n\n```sh run exit=2\nnpx edigw check\n```\n\n```text stderr\noops\n```\n';
    expect(readSteps(md)).toEqual([
      { kind: 'file', path: 'a.yaml', content: 'x: 1\n', line: 1 },
      { kind: 'run', command: 'npx edigw check', exit: 2, line: 5, expect: [{ stream: 'stderr', lang: 'text', text: 'oops', partial: false, line: 9 }] },
    ]);
    expect(() => readSteps('```sh\nrm -rf data\n```\n')).toThrow(/docs line 1: a shell block without "run"/);
  });
});
