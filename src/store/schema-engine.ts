// Prisma's schema engine compiled to WebAssembly: applies and diffs migrations through a driver adapter,
// so neither the bot nor its CLI needs the native engine that the Prisma CLI downloads (which fails
// offline and behind strict firewalls). Records migrations in `_prisma_migrations` like the real CLI.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export type DatabaseKind = 'sqlite' | 'postgres';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATIONS_DIR = (kind: DatabaseKind) => join(ROOT, 'prisma', 'migrations', kind);
export const SCHEMA_PATH = (kind: DatabaseKind) => join(ROOT, 'prisma', kind, 'schema.prisma');

// Minimal view of the wasm engine's API (see @prisma/schema-engine-wasm's schema_engine.d.ts).
interface WasmEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}
interface WasmModule {
  SchemaEngine: { new: (opts: unknown, log: (msg: string) => void, adapter: unknown) => Promise<WasmEngine> };
}

type Bindings = Record<string, unknown> & { __wbg_set_wasm(exports: unknown): void };

/**
 * The engine's JavaScript glue, evaluated afresh for each use instead of imported: an imported module stays in
 * Node's module cache for the life of the process, and with it the instance's WebAssembly memory (tens of MB
 * while migrating), which a running bot needs only for the migrations at start. The glue imports nothing; its
 * exports become the returned object's keys. An unexpected shape falls back to the (cached) import.
 */
async function loadBindings(bgPath: string): Promise<Bindings> {
  const source = readFileSync(bgPath, 'utf8');
  const names = [...source.matchAll(/^export (?:function|class|const|let) ([\w$]+)/gm)].map((m) => m[1]);
  if (!names.includes('__wbg_set_wasm') || /^\s*(?:import|export)\b(?! (?:function|class|const|let) )/m.test(source))
    return (await import(pathToFileURL(bgPath).href)) as Bindings;
  const body = source.replace(/^export (?=function |class |const |let )/gm, '');
  return new Function(`'use strict';\n${body}\nreturn { ${names.join(', ')} };`)() as Bindings;
}

// @types/node 20 does not declare the WebAssembly global.
const wa = (
  globalThis as unknown as {
    WebAssembly: {
      compile(b: Buffer): Promise<object>;
      instantiate(m: object, i: object): Promise<{ exports: unknown }>;
    };
  }
).WebAssembly;

// Compiled once (100-200 ms; tests migrate many databases), instantiated per use.
let compiled: Promise<object> | undefined;

// The package entry imports the .wasm file as an ES module, which Node 20 refuses; instantiate by hand. Each
// call makes a new instance, released with the engine (see loadBindings).
async function loadWasm(): Promise<WasmModule> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = await loadBindings(bgPath);
  compiled ??= wa.compile(readFileSync(join(dirname(bgPath), 'schema_engine_bg.wasm')));
  const instance = await wa.instantiate(await compiled, { './schema_engine_bg.js': withTrackedTimers(bg) });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg as unknown as WasmModule;
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

function schemaFiles(kind: DatabaseKind) {
  const path = SCHEMA_PATH(kind);
  return [{ path, content: readFileSync(path, 'utf8') }];
}

export function migrationsList(kind: DatabaseKind) {
  const baseDir = MIGRATIONS_DIR(kind);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `missing ${file}` },
        },
      };
    }),
  };
}

// The engine arms timeouts (10 s around PostgreSQL's migration lock) through setTimeout but never clears
// them, since its bindings import no clearTimeout: a CLI command on PostgreSQL then lived 10 s past its work.
// Its timers are recorded here and cleared once no engine is live, when nothing can be waiting on them.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let liveEngines = 0;

function withTrackedTimers(bg: Record<string, unknown>): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...bg };
  for (const name of Object.keys(bg).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        fn();
      }, ms >>> 0);
      engineTimers.add(timer);
      return timer;
    };
  }
  return imports;
}

function engineDone(): void {
  liveEngines -= 1;
  if (liveEngines > 0) return;
  for (const t of engineTimers) clearTimeout(t);
  engineTimers.clear();
}

async function withEngine<T>(
  kind: DatabaseKind,
  adapter: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: WasmEngine) => Promise<T>,
): Promise<T> {
  const wasm = await loadWasm();
  const files = schemaFiles(kind);
  // engine.free() does not close the connections it opened; an open SQLite connection would keep its
  // lock and stall the bot's own client, so track and dispose them here.
  const opened: Array<{ dispose(): Promise<void> }> = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => {
      const c = await adapter.connect();
      opened.push(c);
      return c;
    },
    connectToShadowDb: async () => {
      const c = await adapter.connectToShadowDb();
      opened.push(c);
      return c;
    },
  };
  liveEngines += 1;
  let engine: WasmEngine | undefined;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: files.map((f) => [f.path, f.content]) },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(tracking),
    );
    return await fn(engine);
  } finally {
    engine?.free();
    await Promise.all(opened.map((c) => c.dispose().catch(() => undefined)));
    engineDone();
  }
}

async function apply(kind: DatabaseKind, engine: WasmEngine): Promise<string[]> {
  const out = await engine.applyMigrations({ migrationsList: migrationsList(kind), filters: NO_FILTERS });
  return out.appliedMigrationNames;
}

async function diff(kind: DatabaseKind, engine: WasmEngine): Promise<string> {
  const files = schemaFiles(kind);
  const out = await engine.diff({
    from: { tag: 'schemaDatasource', files, configDir: dirname(files[0]!.path) },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  });
  const sql = (out.stdout ?? '').trim();
  return sql.startsWith('-- This is an empty migration') ? '' : sql;
}

/**
 * SQL that takes a database built from the `from` schema text to the current models, without touching a
 * database. (Introspecting PostgreSQL through the wasm engine fails on catalog `char` columns.)
 */
export async function diffSchemas(
  kind: DatabaseKind,
  adapter: SqlMigrationAwareDriverAdapterFactory,
  fromSchema: string | null,
): Promise<string> {
  return withEngine(kind, adapter, async (engine) => {
    const files = schemaFiles(kind);
    const out = await engine.diff({
      from:
        fromSchema === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: files[0]!.path, content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = (out.stdout ?? '').trim();
    return sql.startsWith('-- This is an empty migration') ? '' : sql;
  });
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(
  kind: DatabaseKind,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  return withEngine(kind, adapter, (engine) => apply(kind, engine));
}

/**
 * Applies the migrations, then returns the SQL that would take that database to the current models:
 * '' means the migrations and the models agree (no drift). Uses one engine, hence one connection,
 * because a second SQLite connection would wait on the first one's lock.
 */
export async function migrateThenDiff(
  kind: DatabaseKind,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<{ applied: string[]; drift: string }> {
  return withEngine(kind, adapter, async (engine) => {
    const applied = await apply(kind, engine);
    return { applied, drift: await diff(kind, engine) };
  });
}
