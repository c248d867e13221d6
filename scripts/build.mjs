// `npm run build` (also run by `npm install`/`npm ci` after the Prisma clients are generated, and by
// `npm start` when the sources changed since): compiles src/ to dist/ as plain JavaScript, so the running
// bot needs neither tsx nor a TypeScript compiler in memory. Each file is transpiled on its own
// (tsconfig.json sets isolatedModules, so that is exact); type checking is `npm run typecheck`, and a type
// error never stops the bot from being built. `--if-stale` returns at once when dist/ is current.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, distIsFresh, FINGERPRINT_FILE, ROOT, sourceFingerprint } from './build-state.mjs';

function loadTypeScript() {
  return import('typescript').then(
    (m) => m.default,
    () => {
      console.error('build: typescript is not installed; run npm ci (without --omit=dev)');
      process.exit(1);
    },
  );
}

// Written beside, then renamed: a process starting while the build runs never reads half a file.
function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function listFiles(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

export async function build() {
  const ts = await loadTypeScript();
  const configPath = join(ROOT, 'tsconfig.build.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  const srcDir = join(ROOT, 'src');
  // Every source is an ES module ("type": "module"); transpileModule cannot look that up, so say it.
  const options = { ...parsed.options, module: ts.ModuleKind.ES2022, inlineSourceMap: false, declaration: false };
  const fingerprint = sourceFingerprint();
  // Only sources changed since the last build are transpiled again (the generated clients alone take seconds).
  const previous = readManifest(fingerprintOfOptions(options));
  const manifest = { options: fingerprintOfOptions(options), files: {} };
  const wanted = new Set([FINGERPRINT_FILE, MANIFEST_FILE]);
  let transpiled = 0;
  for (const file of parsed.fileNames) {
    if (file.endsWith('.d.ts')) continue;
    const out = join(DIST, relative(srcDir, file).replace(/\.ts$/, '.js'));
    const s = statSync(file);
    const stamp = `${s.size}:${s.mtimeMs}`;
    manifest.files[out] = stamp;
    wanted.add(out).add(`${out}.map`);
    if (previous[out] === stamp && existsSync(out)) continue;
    const { outputText, sourceMapText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: options,
      fileName: file,
    });
    writeAtomic(out, outputText);
    if (sourceMapText) writeAtomic(`${out}.map`, sourceMapText);
    transpiled += 1;
  }
  // Outputs of sources since removed would otherwise still be importable.
  for (const f of listFiles(DIST)) if (!wanted.has(f)) rmSync(f, { force: true });
  writeAtomic(MANIFEST_FILE, JSON.stringify(manifest));
  writeAtomic(FINGERPRINT_FILE, `${fingerprint}\n`);
  return transpiled;
}

const MANIFEST_FILE = join(DIST, '.build-manifest.json');

function fingerprintOfOptions(options) {
  return JSON.stringify(options);
}

/** Each output's source stamp from the last build, if it was built with the same options. */
function readManifest(options) {
  try {
    const m = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
    return m.options === options ? m.files : {};
  } catch {
    return {};
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && distIsFresh()) process.exit(0);
  const started = Date.now();
  const n = await build();
  console.error(`build: dist/ is up to date (${n} file(s) compiled, ${Date.now() - started} ms)`);
}
