#!/usr/bin/env node
// `npx dudao <command>`: runs the compiled CLI in dist/ (built by `npm ci`) when it was built from the sources
// as they are now, and otherwise the TypeScript sources through tsx, so an edited checkout never runs a stale
// build and a checkout without a build still works.
import { distIsFresh } from '../scripts/build-state.mjs';

if (distIsFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
