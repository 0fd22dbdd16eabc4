#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// `npm start`: the gateway (src/main.ts), compiled in dist/ or through tsx as bin/edigw.js chooses (bin/launch.js).
import { launch } from './launch.js';
await launch('main');
