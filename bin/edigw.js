#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// Thin launcher: runs the TypeScript CLI through tsx so `npx edigw` works without a build step.
// Memory (issue 11, as `npm start`): 4 MB semi-spaces instead of V8's up to 16 MB (the young generation a
// thread keeps once grown) and two glibc malloc arenas instead of up to 8 per core, each holding freed memory.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
