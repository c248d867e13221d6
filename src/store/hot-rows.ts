// Rows for the reads every request makes (who is asking, a form's draft, department and people, the status
// aggregates), as `$queryRaw` returns them, and the one write most requests make (a delivery's dedupe key,
// a checklist page), as `$executeRaw` runs it. On SQLite they go straight to the driver adapter the client
// itself uses, so its statement cache and its wait for open transactions (sqlite-connection.ts) apply; what
// is skipped is the client's own pipeline, which costs several times the statement on these reads
// (bench/ingress.ts). On PostgreSQL, and before the client has connected, they go through `$queryRaw`.
// The same for a transaction made only of plain statements (saving a whole inspection): on SQLite it joins the
// group commit in a savepoint of its own (sqlite-group-commit.ts), so between its statements nothing but
// promise callbacks run, no other request's work stretches it while other writes wait, and a burst of them
// shares one sync to disk.
// test/store/hot-rows.test.ts checks that both ways give the same values for every column type we store.
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';
import type { BatchingAdapter } from './sqlite-connection.js';

/** A tag, used as `$queryRaw` is: rows<Row>`SELECT … WHERE "id" = ${id}`. */
export type Rows = <T>(strings: readonly string[], ...values: unknown[]) => Promise<T[]>;
/** A tag, used as `$executeRaw` is; the number of rows changed. Writes go through the group commit (sqlite-group-commit.ts). */
export type Execute = (strings: readonly string[], ...values: unknown[]) => Promise<number>;

/** ColumnTypeEnum values (@prisma/driver-adapter-utils) that need converting to what `$queryRaw` gives. */
const BOOLEAN = 5;
const DATE_TIME = 10;

const UNKNOWN_ARG = { scalarType: 'unknown', arity: 'scalar' } as const;

/** Arguments as the adapter expects them; Date becomes the stored form through the adapter's own mapping. */
function toQuery(q: Prisma.Sql): SqlQuery {
  return { sql: q.sql, args: q.values, argTypes: q.values.map(() => UNKNOWN_ARG) };
}

/**
 * Plain statements, with the client's own tags: a Prisma client or transaction client has them, and so does
 * the SQLite transaction below (insertRows and enqueueInTx take either).
 */
export interface RawSql {
  // biome-ignore lint/suspicious/noExplicitAny: the signature of Prisma's $queryRaw, which this mirrors
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: any[]): PromiseLike<T>;
  // biome-ignore lint/suspicious/noExplicitAny: the signature of Prisma's $executeRaw, which this mirrors
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: any[]): PromiseLike<number>;
}
/**
 * Runs `work` as one transaction. Its statements go through `tx` only (a statement through anything else
 * would wait for this transaction to end), and it awaits nothing but them.
 */
export type RawTransaction = <R>(work: (tx: RawSql) => Promise<R>) => Promise<R>;

const sqlOf = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
  query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));

type Queryable = Pick<SqlDriverAdapter, 'queryRaw' | 'executeRaw'>;

function objects<T>(result: Awaited<ReturnType<SqlDriverAdapter['queryRaw']>>): T[] {
  const { columnNames, columnTypes, rows } = result;
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) out[columnNames[i]!] = convert(row[i], columnTypes[i] as number);
    return out as T;
  });
}

function direct(q: Queryable): RawSql {
  return {
    $queryRaw: async <T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) =>
      objects(await q.queryRaw(toQuery(sqlOf(query, values)))) as T,
    $executeRaw: (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) =>
      q.executeRaw(toQuery(sqlOf(query, values))),
  };
}

function rawTransaction(db: Db, adapter: () => SqlDriverAdapter | null): RawTransaction {
  return async <R>(work: (tx: RawSql) => Promise<R>): Promise<R> => {
    // On SQLite, in the next group commit, in a savepoint of its own: one sync to disk for the whole batch.
    const batched = (adapter() as BatchingAdapter | null)?.batchedTransaction;
    if (!batched) return db.$transaction((tx) => work(tx));
    return (await batched((tx) => work(direct(tx)))) as R;
  };
}

function convert(value: unknown, type: number): unknown {
  if (value === null) return null;
  if (type === DATE_TIME) return new Date(value as string);
  if (type === BOOLEAN) return value === 1 || value === true || value === '1';
  return value;
}

/** The adapter's statements when it is connected, else the client's (before it connects; PostgreSQL). */
const through = (db: Db, adapter: () => SqlDriverAdapter | null): RawSql => {
  const conn = adapter();
  return conn ? direct(conn) : db;
};

function hotRows(db: Db, adapter: () => SqlDriverAdapter | null): Rows {
  return async <T>(strings: readonly string[], ...values: unknown[]) =>
    through(db, adapter).$queryRaw<T[]>(Prisma.sql(strings, ...(values as Prisma.Sql[])));
}

function hotExecute(db: Db, adapter: () => SqlDriverAdapter | null): Execute {
  return async (strings: readonly string[], ...values: unknown[]) =>
    through(db, adapter).$executeRaw(Prisma.sql(strings, ...(values as Prisma.Sql[])));
}

/** The request path's statements of a client, through `adapter` once it is connected (null: never). */
export function requestPath(
  db: Db,
  adapter: () => SqlDriverAdapter | null,
): { rows: Rows; execute: Execute; transaction: RawTransaction } {
  return { rows: hotRows(db, adapter), execute: hotExecute(db, adapter), transaction: rawTransaction(db, adapter) };
}
