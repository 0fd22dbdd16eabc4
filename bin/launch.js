// Chooses what a launcher runs (bin/edigw.js, bin/gateway.js): the compiled JavaScript in dist/ when it
// is there and current, else the TypeScript in src/ through tsx (a checkout before `npm run build`, a
// production install without TypeScript, or an edit in src/ since the build). Current: no file under
// src/ is newer than the newest one when the build started (dist/build.json, scripts/build.mjs); the
// check stats src/'s ~500 files, about 6 ms. EDIGW_FROM_SOURCE=1 always runs the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** the newest modification time of a file under dir (test files excluded: they are not built) */
export function newestSourceMs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.endsWith('.test.ts')) continue;
    const t = statSync(path.join(e.parentPath, e.name)).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** why dist/ is not run ('' when it is) */
export function distUnusable(env = process.env) {
  if (env.EDIGW_FROM_SOURCE === '1') return 'EDIGW_FROM_SOURCE=1';
  let built;
  try { built = JSON.parse(readFileSync(path.join(root, 'dist', 'build.json'), 'utf8')); } catch { return 'dist/ is not built'; }
  try {
    if (newestSourceMs(path.join(root, 'src')) > built.newestSourceMs) return 'src/ changed since the build (npm run build)';
  } catch { /* no src/ beside dist/: dist/ is all there is */ }
  return '';
}

/** runs `entry` (a module path under src/ or dist/ without extension: 'cli/main', 'main') */
export async function launch(entry) {
  const why = distUnusable();
  if (why === '') {
    await import(pathToFileURL(path.join(root, 'dist', `${entry}.js`)).href);
    return;
  }
  if (why !== 'dist/ is not built' && process.stderr.isTTY) process.stderr.write(`(running the TypeScript sources: ${why})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src', `${entry}.ts`)).href);
}
