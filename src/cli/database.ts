// Opening DATABASE_URL for a command, with what can go wrong said in one sentence: an unsupported URL, a
// SQLite path that is a folder or not a database, a database that does not exist, a server out of reach.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Database } from '../store/database.js';
import type { DatabaseKind } from '../store/schema-engine.js';
import { CliError, EXIT } from './io.js';

export const DEFAULT_DATABASE_URL = 'file:./data/dudao.db';

export type MigratedDatabase = Database & { applied: string[] };

/** The SQLite file a `file:` URL names, resolved like the store does (without making its folder). */
export function sqliteFile(url: string): string {
  const raw = url.slice('file:'.length).split('?')[0] ?? '';
  return isAbsolute(raw) ? raw : resolve(process.cwd(), raw);
}

/** Which database the URL names; an unsupported or malformed one is refused before anything is opened. */
export function checkedKind(url: string): DatabaseKind {
  if (!/^(file:|postgres:\/\/|postgresql:\/\/)/.test(url)) {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? JSON.stringify(url.slice(0, 20));
    throw new CliError(
      `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), not ${scheme}`,
      EXIT.usage,
    );
  }
  const kind: DatabaseKind = url.startsWith('file:') ? 'sqlite' : 'postgres';
  if (kind === 'postgres' && !safeUrl(url))
    throw new CliError('DATABASE_URL is not a valid postgres:// address', EXIT.usage);
  if (kind === 'sqlite' && url.slice('file:'.length).split('?')[0] === ':memory:')
    throw new CliError('DATABASE_URL must name a SQLite file, e.g. file:./data/dudao.db', EXIT.usage);
  return kind;
}

/**
 * Opens and migrates the database. `create`: a missing SQLite file may be created (migrate and the imports
 * set a database up); any other command refuses, so that a mistyped path does not answer from a new, empty
 * database.
 */
export async function openCliDatabase(url: string, create: boolean): Promise<MigratedDatabase> {
  const kind = checkedKind(url);
  // Loaded here, not at the top: the database clients are the largest thing the CLI loads, and a usage
  // error or `--help` needs neither.
  const store = await import('../store/database.js');
  try {
    if (kind === 'sqlite') store.sqliteSynchronous(url);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
  if (kind === 'sqlite') {
    const file = sqliteFile(url);
    if (existsSync(file) && statSync(file).isDirectory())
      throw new CliError(`DATABASE_URL names ${file}, which is a folder: name the database file in it`);
    if (!create && !existsSync(file))
      throw new CliError(`there is no database at ${file}: fix DATABASE_URL, or create it with \`npx dudao migrate\``);
  }
  try {
    return await store.openMigratedDatabase(url);
  } catch (e) {
    throw databaseError(e, url) ?? e;
  }
}

/** A database failure an operator can fix, in one sentence; null for anything else. */
export function databaseError(e: unknown, url: string): CliError | null {
  const message = (e as Error | undefined)?.message ?? '';
  const code = (e as { code?: string } | undefined)?.code;
  if (url.startsWith('file:')) {
    if (code === 'SQLITE_NOTADB' || /file is not a database/.test(message))
      return new CliError(`${sqliteFile(url)} is not a SQLite database: fix DATABASE_URL`);
    if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || /unable to open database/.test(message))
      return new CliError(`cannot open ${sqliteFile(url)}: check that its folder exists and may be written`);
    return null;
  }
  const u = safeUrl(url);
  const where = u ? `${u.hostname}${u.port ? `:${u.port}` : ''}` : 'the server';
  const db = u?.pathname.replace(/^\//, '') || '(none)';
  if (/Can't reach database server|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(message))
    return new CliError(`cannot reach the database server at ${where}: start PostgreSQL or fix DATABASE_URL`);
  if (/Database `[^`]*` does not exist|database "[^"]*" does not exist/.test(message))
    return new CliError(`database ${db} does not exist on ${where}: create it (createdb ${db}) or fix DATABASE_URL`);
  if (/denied access|Authentication failed|password authentication|role "[^"]*" does not exist/.test(message))
    return new CliError(
      `the database server at ${where} refused user ${u?.username || '(none)'}: check the user and password in DATABASE_URL`,
    );
  return null;
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
