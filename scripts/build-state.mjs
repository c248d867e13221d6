// Whether dist/ was built from the sources as they are now. Shared by the build (scripts/build.mjs, which skips
// work when nothing changed) and the CLI launcher (bin/dudao.js, which runs the sources through tsx rather
// than a stale build). Plain fs only: checking must cost a few milliseconds, not a TypeScript load.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const FINGERPRINT_FILE = join(DIST, '.build-fingerprint');

/** What the build reads besides src/: a change to any of them means a rebuild. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'scripts/build-state.mjs'];

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Size and modification time of every input, hashed: any edit, addition or removal changes it. */
export function sourceFingerprint() {
  const files = walk(join(ROOT, 'src'), []).concat(INPUTS.map((f) => join(ROOT, f)).filter((f) => existsSync(f)));
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    const s = statSync(f);
    hash.update(`${relative(ROOT, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** True when dist/ holds a complete build of the current sources. */
export function distIsFresh() {
  try {
    return readFileSync(FINGERPRINT_FILE, 'utf8').trim() === sourceFingerprint();
  } catch {
    return false;
  }
}
