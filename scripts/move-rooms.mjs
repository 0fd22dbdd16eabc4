#!/usr/bin/env node
/**
 * Issue 13: src/pipeline/ in three rooms (inbound/, outbound/, lifecycle/), and the format adapters of
 * src/pipeline/formats/ beside their codecs (src/formats/<fmt>/). Plain node, no dependencies.
 *
 *   node scripts/move-rooms.mjs [--dry-run] [--paths-out FILE] [--allow-dirty]
 *
 * 1. Every tracked file under src/pipeline/ gets its new path from RULES (by prefix, first match wins),
 *    so files added since the table was written move too. Conflicts (two files to one path, a target
 *    that exists) and untracked files under src/pipeline/ stop the script before it changes anything.
 * 2. Every text file in src/ test/ bench/ scripts/ fuzz/ bin/ (and the root configs, README, docs/ but
 *    docs/decisions.md, which is history) is rewritten, computed before anything moves:
 *    - each relative string literal ('./x.ts', "../a/b.ts", `../c/`): import/export specifiers,
 *      import(), vi.mock(), new URL('./x.ts', import.meta.url), path.resolve(import.meta.dirname, '../..')
 *      — resolved against the importing file's OLD folder; when it names an existing file or folder,
 *      it is rewritten to point from the importing file's NEW folder to the target's NEW path;
 *    - repository paths in text ('src/pipeline/worker.ts', `pipeline/formats/x12-reader.ts` in comments
 *      and docs) are replaced by the new path of the longest moved file or folder they start with.
 *    Bare '.' and '..' literals and template literals with ${} in touched files are only reported.
 * 3. `git mv` each file, write the rewritten texts, remove the emptied folders, `git add` what changed,
 *    and write the list of paths (old and new) to --paths-out for `git commit --pathspec-from-file`.
 * Run twice, the second run finds nothing to move (the rules leave inbound/ outbound/ lifecycle/ alone).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const dryRun = argv.includes('--dry-run');
const allowDirty = argv.includes('--allow-dirty');
const pathsOut = argv.includes('--paths-out') ? argv[argv.indexOf('--paths-out') + 1] : undefined;
if (argv.includes('--help')) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
  process.exit(0);
}

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
const root = git('rev-parse', '--show-toplevel').trim();
process.chdir(root);

/** pipeline/formats/<fmt>-<name>: beside the codec, src/formats/<fmt>/<name>; <fmt>-reader is the format reader. */
function formatAdapter(rest) {
  const m = /^([a-z0-9]+)-([a-z0-9][\w.-]*)$/.exec(rest);
  if (!m) return { error: `src/pipeline/formats/${rest}: not <format>-<name>.ts, add a rule for it` };
  const [, fmt, name] = m;
  return `src/formats/${fmt}/${name.replace(/^reader\b/, 'format-reader')}`;
}

/** [old prefix, new prefix | function(rest) | null = stays]; first match wins. */
const RULES = [
  ['src/pipeline/inbound/', null],
  ['src/pipeline/lifecycle/', null],
  ['src/pipeline/formats/', formatAdapter],
  ['src/pipeline/correlate/', 'src/pipeline/lifecycle/correlate/'],
  ['src/pipeline/outbound/timeline', 'src/pipeline/lifecycle/timeline'],
  ['src/pipeline/outbound/overdue', 'src/pipeline/lifecycle/overdue'],
  ['src/pipeline/outbound/', null],
  ['src/pipeline/', 'src/pipeline/inbound/'],
];

function newPathOf(file) {
  for (const [from, to] of RULES) {
    if (!file.startsWith(from)) continue;
    if (to === null) return file;
    const rest = file.slice(from.length);
    return typeof to === 'function' ? to(rest) : to + rest;
  }
  return file;
}

const tracked = git('ls-files', '-z').split('\0').filter(Boolean);
const trackedSet = new Set(tracked);
const problems = [];

const untracked = git('ls-files', '-z', '--others', '--exclude-standard', '--', 'src/pipeline').split('\0').filter(Boolean);
for (const f of untracked) problems.push(`${f}: untracked under src/pipeline/ (would stay behind): commit or delete it first`);

/** old path -> new path, for the files that move */
const moves = new Map();
const targets = new Map();
for (const f of tracked) {
  if (!f.startsWith('src/pipeline/')) continue;
  const to = newPathOf(f);
  if (typeof to === 'object') { problems.push(to.error); continue; }
  if (to === f) continue;
  if (targets.has(to)) problems.push(`${f} and ${targets.get(to)} would both move to ${to}`);
  if (trackedSet.has(to) || existsSync(to)) problems.push(`${f} -> ${to}: ${to} exists`);
  targets.set(to, f);
  moves.set(f, to);
}

/** Folders of the old tree, with the tracked files under each. */
const dirFiles = new Map();
for (const f of tracked) {
  for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) {
    if (!dirFiles.has(d)) dirFiles.set(d, []);
    dirFiles.get(d).push(f);
  }
}

/** The new path of an old repository path (file or folder); undefined when a folder's files go apart. */
function mapPath(p) {
  if (moves.has(p)) return moves.get(p);
  if (trackedSet.has(p)) return p;
  const files = dirFiles.get(p);
  if (!files) return p;
  let newDir;
  for (const f of files) {
    const to = moves.get(f) ?? f;
    const rel = f.slice(p.length + 1);
    if (!to.endsWith('/' + rel)) return undefined;
    const d = to.slice(0, to.length - rel.length - 1);
    if (newDir === undefined) newDir = d;
    else if (newDir !== d) return undefined;
  }
  return newDir;
}

const exists = (p) => trackedSet.has(p) || dirFiles.has(p) || existsSync(p);

const CODE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;
const TEXT = /\.(ts|mts|cts|tsx|js|mjs|cjs|md|json|ya?ml|sh|txt)$|(^|\/)(Dockerfile|run)$/;
const SCAN_DIRS = ['src/', 'test/', 'bench/', 'scripts/', 'fuzz/', 'bin/', 'docs/', '.ci/'];
const SKIP = new Set(['docs/decisions.md', 'package-lock.json', 'scripts/move-rooms.mjs']);
const scanned = tracked.filter((f) => !SKIP.has(f) && TEXT.test(f)
  && (SCAN_DIRS.some((d) => f.startsWith(d)) || !f.includes('/')));

const RELATIVE = /(['"`])(\.{1,2}(?:\/[^'"`\s\\$]*)?)\1/g;
const REPO_PATH = /(?<![\w./-])((?:src\/)?pipeline\/[\w.\/-]*[\w\/])/g;

const rewrites = new Map(); // old path of the file -> new text
const log = [];
const notes = [];

function rewriteRelative(file, text) {
  const from = moves.get(file) ?? file;
  const oldDir = path.posix.dirname(file);
  const newDir = path.posix.dirname(from);
  return text.replace(RELATIVE, (all, q, spec) => {
    const slash = spec.endsWith('/');
    const target = path.posix.normalize(path.posix.join(oldDir, spec)).replace(/\/$/, '');
    if (target.startsWith('..') || !exists(target)) return all;
    if (!spec.includes('/')) {
      // '.' and '..' are as often a decimal mark or a path segment of something else as this folder
      if (newDir !== oldDir) notes.push(`${file}: bare '${spec}' left as is (check by hand: the file moves to ${from})`);
      return all;
    }
    const to = mapPath(target);
    if (to === undefined) { notes.push(`${file}: ${spec} names ${target}/, whose files go apart: left as is`); return all; }
    if (to === target && newDir === oldDir) return all;
    let rel = path.posix.relative(newDir, to) || '.';
    if (!rel.startsWith('.')) rel = './' + rel;
    if (slash && !rel.endsWith('/')) rel += '/';
    if (rel === spec) return all;
    log.push(`${file}: ${spec} -> ${rel}`);
    return q + rel + q;
  });
}

function rewriteRepoPaths(file, text) {
  return text.replace(REPO_PATH, (all) => {
    const withSrc = all.startsWith('src/') ? all : 'src/' + all;
    // the longest moved file or folder the mention starts with
    for (let p = withSrc.replace(/\/$/, ''); p.startsWith('src/pipeline/'); p = path.posix.dirname(p)) {
      if (!exists(p)) continue;
      const to = mapPath(p);
      if (to === undefined || to === p) return all;
      const out = (to + withSrc.slice(p.length)).slice(all.startsWith('src/') ? 0 : 4);
      log.push(`${file}: ${all} -> ${out}`);
      return out;
    }
    return all;
  });
}

for (const file of scanned) {
  const text = readFileSync(file, 'utf8');
  let out = text;
  if (CODE.test(file)) out = rewriteRelative(file, out);
  out = rewriteRepoPaths(file, out);
  if (moves.has(file) || out !== text) {
    for (const m of out.matchAll(/`\.{1,2}\/[^`]*\$\{[^`]*`/g)) notes.push(`${file}: template ${m[0].slice(0, 80)} left as is`);
  }
  if (out !== text) rewrites.set(file, out);
}

const touched = new Set([...moves.keys(), ...moves.values(), ...[...rewrites.keys()].map((f) => moves.get(f) ?? f)]);
if (!allowDirty) {
  const dirty = git('status', '--porcelain', '-z', '--untracked-files=no').split('\0').filter(Boolean)
    .map((l) => l.slice(3)).filter((f) => touched.has(f) || moves.has(f) || rewrites.has(f));
  for (const f of dirty) problems.push(`${f}: has uncommitted changes (someone's work in progress); --allow-dirty to go on anyway`);
}

console.log(`${moves.size} files move, ${rewrites.size} files rewritten (${log.length} specifiers or paths)`);
for (const [a, b] of moves) console.log(`  mv ${a} -> ${b}`);
if (process.env.MOVE_ROOMS_VERBOSE) for (const l of log) console.log(`  ${l}`);
for (const n of notes) console.log(`  note: ${n}`);
if (problems.length) {
  for (const p of problems) console.error(`  problem: ${p}`);
  console.error('nothing changed');
  process.exit(1);
}
if (dryRun) { console.log('dry run: nothing changed'); process.exit(0); }

for (const [from, to] of moves) {
  mkdirSync(path.posix.dirname(to), { recursive: true });
  git('mv', from, to);
}
for (const [file, text] of rewrites) writeFileSync(moves.get(file) ?? file, text);

function removeEmpty(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeEmpty(path.join(dir, e.name));
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}
removeEmpty('src/pipeline');

const changed = [...new Set([...moves.values(), ...[...rewrites.keys()].map((f) => moves.get(f) ?? f)])];
if (changed.length) git('add', '--', ...changed);
if (pathsOut) writeFileSync(pathsOut, [...new Set([...moves.keys(), ...changed])].join('\n') + '\n');
console.log(`moved and rewritten${pathsOut ? `; paths in ${pathsOut}` : ''}`);
