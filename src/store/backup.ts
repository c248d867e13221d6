// Backups of a SQLite database through SQLite's online backup API: a consistent copy taken while the bot
// runs (commits still in the WAL file included), checked before it is kept; and a restore that checks the
// copy is a dudao database and replaces the target whole, never half-written. PostgreSQL has pg_dump.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS_DIR } from './schema-engine.js';

/** A backup or restore refused, in a sentence saying why and what to do. */
export class BackupError extends Error {}

/** Every page in one step: a copy restarted by a concurrent write would otherwise never finish under load. */
const ALL_REMAINING_PAGES = 0x7fffffff;

const tempBeside = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** What a backup holds, read without changing it. */
export interface BackupInfo {
  migrations: string[];
  members: number;
  bytes: number;
}

/**
 * Checks that `path` is a SQLite database made by dudao: it opens, passes SQLite's quick check, and has every
 * migration it records finished and known to this version of dudao.
 */
export function checkDudaoSqlite(path: string): BackupInfo {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch {
    throw new BackupError(`${path} cannot be opened as a SQLite database`);
  }
  try {
    try {
      const ok = db.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new BackupError(`${path} is damaged (SQLite's check says: ${String(ok)})`);
    } catch (e) {
      if (e instanceof BackupError) throw e;
      throw new BackupError(`${path} is not a SQLite database`);
    }
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) throw new BackupError(`${path} is not a dudao database (it has no migrations table)`);
    const rows = db
      .prepare(
        'SELECT migration_name AS name, finished_at AS finished, rolled_back_at AS rolledBack FROM _prisma_migrations',
      )
      .all() as Array<{ name: string; finished: unknown; rolledBack: unknown }>;
    const applied = rows.filter((r) => r.rolledBack === null);
    const known = new Set(existsSync(MIGRATIONS_DIR('sqlite')) ? readdirSync(MIGRATIONS_DIR('sqlite')) : []);
    const unfinished = applied.find((r) => r.finished === null);
    if (unfinished) throw new BackupError(`${path} has a migration that did not finish (${unfinished.name})`);
    const unknown = applied.find((r) => !known.has(r.name));
    if (unknown)
      throw new BackupError(`${path} was made by a newer dudao (migration ${unknown.name}): update dudao first`);
    if (applied.length === 0) throw new BackupError(`${path} is not a dudao database (no migration was applied)`);
    const members = (db.prepare('SELECT COUNT(*) AS n FROM Member').get() as { n: number }).n;
    return { migrations: applied.map((r) => r.name).sort(), members, bytes: statSync(path).size };
  } finally {
    db.close();
  }
}

// The copy keeps the source's WAL mode, in which merely reading it leaves -wal and -shm files beside it; a
// backup is one file, so it is switched to a rollback journal (the bot turns WAL back on when it opens it).
function selfContained(path: string): void {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** Copies the database at `source` (in use or not) to `dest`, checked, through a temporary file beside it. */
export async function backupSqlite(source: string, dest: string): Promise<BackupInfo> {
  const tmp = tempBeside(dest);
  const db = new BetterSqlite3(source, { fileMustExist: true, timeout: 10_000 });
  try {
    removeDatabaseFiles(tmp);
    await db.backup(tmp, { progress: () => ALL_REMAINING_PAGES });
    selfContained(tmp);
    const info = checkDudaoSqlite(tmp);
    renameSync(tmp, dest);
    return info;
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Whether another connection has the database open (a running bot, a CLI command): taking SQLite's exclusive
 * lock fails while any other connection holds it open in WAL mode.
 */
export function sqliteInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY' || (e as { code?: string }).code === 'SQLITE_LOCKED')
      return true;
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `target` with the backup at `source`: the backup is checked, copied beside the
 * target and renamed over it, and the target's old WAL files are removed first so that none is replayed into
 * the restored copy. The caller makes sure nothing has the target open.
 */
export async function restoreSqlite(source: string, target: string): Promise<BackupInfo> {
  const info = checkDudaoSqlite(source);
  const tmp = tempBeside(target);
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    removeDatabaseFiles(tmp);
    await db.backup(tmp, { progress: () => ALL_REMAINING_PAGES });
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(tmp, target);
  return info;
}
