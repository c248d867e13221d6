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

let loaded: Promise<WasmModule> | undefined;

// The package entry imports the .wasm file as an ES module, which Node 20 refuses; instantiate by hand.
async function loadWasm(): Promise<WasmModule> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const pkgDir = dirname(bgPath);
    const bg = (await import(pathToFileURL(bgPath).href)) as Record<string, unknown> & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const bytes = readFileSync(join(pkgDir, 'schema_engine_bg.wasm'));
    // @types/node 20 does not declare the WebAssembly global.
    const wa = (
      globalThis as unknown as {
        WebAssembly: { instantiate(b: Buffer, i: object): Promise<{ instance: { exports: unknown } }> };
      }
    ).WebAssembly;
    const { instance } = await wa.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg as unknown as WasmModule;
  })();
  return loaded;
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
  const engine = await wasm.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((c) => c.dispose().catch(() => undefined)));
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
