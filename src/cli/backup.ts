// `dudao backup <file>` and `dudao restore <file>`: SQLite's online backup, safe while the bot runs, and its
// restore. On PostgreSQL these are pg_dump's and pg_restore's job (docs/operations.md, "Backups").
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BackupError, backupSqlite, restoreSqlite, sqliteInUse } from '../store/backup.js';
import type { Context } from './context.js';
import { checkedKind, openCliDatabase, sqliteFile } from './database.js';
import { CliError, EXIT } from './io.js';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function sqliteOnly(ctx: Context, what: string): string {
  if (checkedKind(ctx.url) === 'postgres')
    throw new CliError(
      `${what} is for SQLite; on PostgreSQL use ${what === 'backup' ? 'pg_dump' : 'pg_restore'} (docs/operations.md, "Backups")`,
      EXIT.usage,
    );
  return sqliteFile(ctx.url);
}

function checkDestination(file: string): void {
  if (!existsSync(dirname(resolve(file))))
    throw new CliError(`cannot write ${file}: folder ${dirname(file)} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new CliError(`${file} is a folder: name a file`);
}

const refused = (e: unknown) => (e instanceof BackupError ? new CliError(e.message) : e);

export async function backup(ctx: Context): Promise<number> {
  const source = sqliteOnly(ctx, 'backup');
  const file = ctx.args[0]!;
  if (!existsSync(source)) throw new CliError(`there is no database at ${source}: fix DATABASE_URL`);
  checkDestination(file);
  if (existsSync(file) && !ctx.options.force)
    throw new CliError(`${file} already exists: name a new file, or add --force to replace it`);
  if (resolve(file) === source) throw new CliError('the backup file cannot be the database itself');
  try {
    const info = await backupSqlite(source, file);
    ctx.io.out(
      `backed up ${source} to ${file} (${mb(info.bytes)}, ${info.members} member(s), ${info.migrations.length} migration(s))\n`,
    );
    return 0;
  } catch (e) {
    throw refused(e);
  }
}

export async function restore(ctx: Context): Promise<number> {
  const target = sqliteOnly(ctx, 'restore');
  const file = ctx.args[0]!;
  if (!existsSync(file)) throw new CliError(`file not found: ${file}`);
  if (statSync(file).isDirectory()) throw new CliError(`${file} is a folder: name the backup file`);
  if (resolve(file) === target) throw new CliError('the backup file is the database itself: name another file');
  if (existsSync(target)) {
    if (statSync(target).isDirectory())
      throw new CliError(`DATABASE_URL names ${target}, which is a folder: name the database file in it`);
    if (!ctx.options.force)
      throw new CliError(`${target} exists: add --force to replace it with ${file} (back it up first if unsure)`);
    if (sqliteInUse(target))
      throw new CliError(`${target} is in use (is the bot running?): stop every process using it, then restore`);
  } else if (!existsSync(dirname(target))) throw new CliError(`folder ${dirname(target)} does not exist: create it`);
  let info: Awaited<ReturnType<typeof restoreSqlite>>;
  try {
    info = await restoreSqlite(file, target);
  } catch (e) {
    throw refused(e);
  }
  // A copy from an older dudao gets the migrations it misses now rather than at the bot's next start.
  const db = await openCliDatabase(ctx.url, false);
  await db.close();
  ctx.io.out(
    `restored ${target} from ${file} (${info.members} member(s))${db.applied.length ? `; applied ${db.applied.join(', ')}` : ''}\n`,
  );
  return 0;
}
