#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI through tsx so `npx edigw` works without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
