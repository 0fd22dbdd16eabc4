#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// `edigw`: runs the compiled CLI in dist/ (built by `npm install` / `npm run build`), or the TypeScript
// sources through tsx when dist/ is absent or older than src/ (bin/launch.js).
// Memory (issue 11, as `npm start`): 4 MB semi-spaces instead of V8's up to 16 MB (the young generation a
// thread keeps once grown) and two glibc malloc arenas instead of up to 8 per core, each holding freed memory.
import { launch } from './launch.js';
await launch('cli/main');
