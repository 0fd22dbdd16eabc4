#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm install` / `npm ci` build): compiles the whole of src/ to
 * dist/ with tsc (tsconfig.build.json: same folders, .ts imports rewritten to .js, no type check:
 * that is `npm run typecheck`'s job), then copies every other file under src/ (console and portal
 * assets, migrations SQL, JSON schemas and grammars) to the same place in dist/, so anything a
 * module finds beside itself (new URL('./x', import.meta.url)) is beside its compiled copy too.
 * dist/build.json records the newest source file's time when the build started: bin/launch.js runs
 * the sources through tsx instead when something in src/ is newer (an edit since the build).
 * `--out <dir>` (a folder directly in the repository, e.g. dist-test: the same depth as dist/, so
 * relative paths out of src/ such as ../../../package.json still land) builds there instead (tests).
 * Without TypeScript installed (npm ci --omit=dev) it builds nothing and says so: the launchers
 * then run the sources through tsx, a runtime dependency.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSourceMs } from '../bin/launch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const outAt = process.argv.indexOf('--out');
const dist = outAt > 0 ? path.resolve(process.argv[outAt + 1] ?? 'dist') : path.join(root, 'dist');
if (path.dirname(dist) !== root) { console.error(`build: --out must be a folder directly in ${root}`); process.exit(2); }

let tsc;
try { tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc'); } catch {
  console.error('build: typescript is not installed (production install): dist/ not built, edigw and npm start run src/ through tsx');
  process.exit(0);
}
const started = Date.now();
const newest = newestSourceMs(src);
rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
if (r.status !== 0) { console.error(`build: tsc failed (exit ${r.status})`); process.exit(r.status ?? 1); }
let copied = 0;
for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || e.name.endsWith('.ts')) continue;
  const from = path.join(e.parentPath, e.name);
  const to = path.join(dist, path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied++;
}
writeFileSync(path.join(dist, 'build.json'), JSON.stringify({ newestSourceMs: newest, builtAt: new Date().toISOString() }) + '\n');
console.error(`build: src/ -> ${path.relative(root, dist)}/ (${copied} assets copied) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

