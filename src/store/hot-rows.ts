// Rows for the reads every request makes (who is asking, a form's draft, department and people, the status
// aggregates), as `$queryRaw` returns them, and the one write most requests make (a delivery's dedupe key,
// a checklist page), as `$executeRaw` runs it. On SQLite they go straight to the driver adapter the client
// itself uses, so its statement cache and its wait for open transactions (sqlite-connection.ts) apply; what
// is skipped is the client's own pipeline, which costs several times the statement on these reads
// (bench/ingress.ts). On PostgreSQL, and before the client has connected, they go through `$queryRaw`.
// test/store/hot-rows.test.ts checks that both ways give the same values for every column type we store.
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';

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

function convert(value: unknown, type: number): unknown {
  if (value === null) return null;
  if (type === DATE_TIME) return new Date(value as string);
  if (type === BOOLEAN) return value === 1 || value === true || value === '1';
  return value;
}

export function hotRows(db: Db, adapter: () => SqlDriverAdapter | null): Rows {
  return async <T>(strings: readonly string[], ...values: unknown[]): Promise<T[]> => {
    const q = Prisma.sql(strings, ...values);
    const direct = adapter();
    if (!direct) return db.$queryRaw<T[]>(q);
    const { columnNames, columnTypes, rows } = await direct.queryRaw(toQuery(q));
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columnNames.length; i++) out[columnNames[i]!] = convert(row[i], columnTypes[i] as number);
      return out as T;
    });
  };
}

export function hotExecute(db: Db, adapter: () => SqlDriverAdapter | null): Execute {
  return async (strings: readonly string[], ...values: unknown[]): Promise<number> => {
    const q = Prisma.sql(strings, ...values);
    const direct = adapter();
    return direct ? direct.executeRaw(toQuery(q)) : db.$executeRaw(q);
  };
}
