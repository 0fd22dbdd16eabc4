/**
 * Runs docs/onboarding.md: writes every file it shows into a temporary copy of the project's
 * partners/, mappings/ and fixtures/, runs every command it shows (edigw, npm start, curl) and
 * checks each output against the output the doc shows. The doc's conventions are in doc-steps.ts
 * and expect-output.ts, and at the top of the doc.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSteps, type Step } from './doc-steps.ts';
import { compareJson, compareText, createIdBindings } from './expect-output.ts';
import { createWalkthrough, type Walkthrough } from './walkthrough-runner.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const docFile = path.join(repo, 'docs/onboarding.md');
const steps = readSteps(readFileSync(docFile, 'utf8'));
const documentedUrl = 'http://localhost:8080';

function title(s: Step): string {
  if (s.kind === 'file') return `docs line ${s.line}: write ${s.path}`;
  if (s.kind === 'run') return `docs line ${s.line}: ${s.command.replace(/\\\n\s*/g, '').slice(0, 90)}`;
  return `docs line ${s.line}: the gateway logs what the doc shows`;
}

describe('docs/onboarding.md walk-through', () => {
  it('walks a new partner from nothing to live: profile, extends-mapping, fixture, translate, check, gateway, curl, ERP feed, replay', () => {
    const files = steps.flatMap((s) => (s.kind === 'file' ? [s.path] : []));
    const commands = steps.flatMap((s) => (s.kind === 'run' ? [s.command] : []));
    expect(files).toEqual(expect.arrayContaining([
      'partners/northwind.yaml', 'mappings/northwind/x12-850.inbound.yaml',
      expect.stringMatching(/^fixtures\/northwind\/[^/]+\/input\.edi$/), expect.stringMatching(/^fixtures\/northwind\/[^/]+\/expected\.json$/),
    ]));
    const mapping = steps.find((s) => s.kind === 'file' && s.path === 'mappings/northwind/x12-850.inbound.yaml');
    expect(mapping?.kind === 'file' && mapping.content).toMatch(/^extends: _base\/x12-004010-850\.inbound\.yaml$/m);
    for (const c of [/^npx edigw translate \S+ --partner northwind$/, /^npx edigw check$/, /npm start$/, /^curl .*\/api\/v1\/inbound/s, /^curl .*\/api\/v1\/erp\/documents/s, /^npx edigw replay exc_/]) {
      expect(commands.some((x) => c.test(x)), String(c)).toBe(true);
    }
    expect(steps.filter((s) => s.kind === 'run').every((s) => s.kind === 'run' && s.expect.length > 0 || /^export /.test(s.command))).toBe(true);
  });

  let started: Walkthrough | undefined;
  const walkthrough = () => (started ??= createWalkthrough({ repo, documentedUrl }));
  const ids = createIdBindings();
  afterAll(() => started?.close());
  let broken: string | undefined;

  for (const step of steps) {
    it(title(step), async () => {
      if (broken) throw new Error(`not run: an earlier step failed (${broken})`);
      const walk = walkthrough();
      try {
        if (step.kind === 'file') {
          walk.writeFile(step.path, step.content);
        } else if (step.kind === 'run') {
          const got = await walk.run(ids.substitute(step.command));
          const shown = `$ ${step.command}\n--- exit ${got.code}\n--- stdout\n${got.stdout}\n--- stderr\n${got.stderr}`;
          expect(got.code, shown).toBe(step.exit);
          for (const e of step.expect) {
            const actual = got[e.stream];
            const problems = e.lang === 'json'
              ? compareJson(JSON.parse(e.text), parseJson(actual, shown), e.partial, ids)
              : compareText(e.text, actual, ids);
            expect(problems, `docs line ${e.line} (${e.stream}):\n${shown}`).toEqual([]);
          }
        } else {
          let problems: string[] = [];
          for (let i = 0; i < 150; i++) {
            problems = compareText(`…\n${step.text}\n…`, walk.gatewayLogSinceLastWrite(), ids);
            if (problems.length === 0) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          expect(problems).toEqual([]);
        }
      } catch (e) {
        broken = title(step);
        throw e;
      }
    }, 60_000);
  }
});

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the output is not JSON:\n${shown}`);
  }
}
