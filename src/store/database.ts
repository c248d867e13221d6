// Opens the Prisma client for DATABASE_URL: SQLite (better-sqlite3, the embedded default) or PostgreSQL
// (pg). Both generated clients come from the same models, so the SQLite client's type serves for both.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaClient as PgClient } from '../generated/postgres/client.js';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { applyMigrations, type DatabaseKind, MIGRATIONS_DIR } from './schema-engine.js';
import { type SqliteSynchronous, sqliteAdapterFactory } from './sqlite-connection.js';

export type Db = SqliteClient;
/** The client inside `$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface Database {
  kind: DatabaseKind;
  prisma: Db;
  adapterFactory(): SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL)`);
}

/** Resolves `file:./data/dudao.db` against the working directory and makes its folder. */
export function sqlitePath(url: string): string {
  const raw = url.slice('file:'.length).split('?')[0] ?? '';
  if (raw === ':memory:') throw new Error('An in-memory SQLite database cannot be shared; use a file');
  const path = isAbsolute(raw) ? raw : resolve(process.cwd(), raw);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Any other error format makes the client capture a stack trace (`new Error()`) on every query, to point at
 * the calling line should it fail: about a fifth of the client's CPU per query on the request path
 * (bench/ingress.ts). Failures keep their message and code; our own logs carry the correlation id.
 */
const CLIENT_OPTIONS = { errorFormat: 'minimal' } as const;

/**
 * `file:…?synchronous=normal` trades the last commits on a power loss for much cheaper writes (no fsync per
 * commit; see SqliteSynchronous). The default, FULL, keeps every acknowledged change through a power loss too.
 */
export function sqliteSynchronous(url: string): SqliteSynchronous {
  const query = url.split('?')[1];
  const value = query ? new URLSearchParams(query).get('synchronous') : null;
  if (value === null) return 'FULL';
  const upper = value.toUpperCase();
  if (upper === 'FULL' || upper === 'NORMAL') return upper;
  throw new Error(`DATABASE_URL: synchronous=${value} is not supported; use full (the default) or normal`);
}

export function openDatabase(url: string): Database {
  const kind = databaseKind(url);
  if (kind === 'sqlite') {
    const path = sqlitePath(url);
    // WAL lets readers run beside one writer; it persists in the file, so set it once here.
    const raw = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    raw.pragma('journal_mode = WAL');
    raw.close();
    const synchronous = sqliteSynchronous(url);
    const adapterFactory = () =>
      sqliteAdapterFactory(new PrismaBetterSqlite3({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS }), synchronous);
    const prisma = new SqliteClient({ adapter: adapterFactory(), ...CLIENT_OPTIONS });
    return { kind, prisma, adapterFactory, close: () => prisma.$disconnect() };
  }
  const adapterFactory = () => new PrismaPg({ connectionString: url, max: 10 });
  const prisma = new PgClient({ adapter: adapterFactory(), ...CLIENT_OPTIONS }) as unknown as Db;
  return { kind, prisma, adapterFactory, close: () => prisma.$disconnect() };
}

/** Opens the database and brings its schema up to date; the bot and `dudao migrate` both call this. */
export async function openMigratedDatabase(url: string): Promise<Database & { applied: string[] }> {
  const db = openDatabase(url);
  // The schema engine (WebAssembly: half a second or more to compile, tens of MB) is needed only when a
  // migration is still to apply; on SQLite, every start but the first after an upgrade skips it.
  const applied =
    db.kind === 'sqlite' && sqliteUpToDate(sqlitePath(url)) ? [] : await applyMigrations(db.kind, db.adapterFactory());
  return Object.assign(db, { applied });
}

/**
 * True when `_prisma_migrations` records every migration folder as finished and not rolled back. Read on a
 * connection of its own, closed at once, so the engine, when it runs, meets no open statement. Any doubt (a new
 * file, a failed migration) answers false, and the engine decides and reports as before.
 */
function sqliteUpToDate(path: string): boolean {
  const dir = MIGRATIONS_DIR('sqlite');
  let raw: BetterSqlite3.Database | undefined;
  try {
    raw = new BetterSqlite3(path, { readonly: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const table = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'");
    if (!table.get()) return false;
    const done = new Set(
      raw
        .prepare(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
        .pluck()
        .all() as string[],
    );
    return readdirSync(dir, { withFileTypes: true }).every((d) => !d.isDirectory() || done.has(d.name));
  } catch {
    return false;
  } finally {
    raw?.close();
  }
}
