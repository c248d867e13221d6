// Multi-row INSERTs for the hot paths that write many rows at once (a sweep's reminder claims and their
// digests). Prisma's createMany spends about a quarter of a millisecond per row interpreting its
// arguments; one raw statement per ~100 rows costs a fraction of that (see bench/sweep.ts). Portable:
// Prisma.sql binds `?` on SQLite and `$n` on PostgreSQL, and the driver adapters store Date and boolean
// values exactly as they do for createMany.
import { Prisma } from '../generated/sqlite/client.js';
import type { RawSql } from './hot-rows.js';

/** Bind values per statement: Prisma's own limit for SQLite, well below PostgreSQL's. */
const MAX_BINDS = 999;

export type RowValue = string | number | boolean | Date | null;

/** Keys per `IN (…)` list, well under either database's bind limit. */
export const IN_CHUNK = 500;

/** Multi-row INSERT statements for rows that all have the same keys (column names), within the bind limit. */
function statements(
  table: string,
  rows: ReadonlyArray<Record<string, RowValue>>,
  tail: Prisma.Sql = Prisma.empty,
): Prisma.Sql[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `);
  const perStatement = Math.max(1, Math.floor(MAX_BINDS / columns.length));
  const out: Prisma.Sql[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = rows
      .slice(i, i + perStatement)
      .map((r) => Prisma.sql`(${Prisma.join(columns.map((c) => r[c] ?? null))})`);
    out.push(Prisma.sql`${head}${Prisma.join(values)}${tail}`);
  }
  return out;
}

/** Inserts rows that all have the same keys (column names); unique violations surface as isUniqueViolation. */
export async function insertRows(
  tx: Pick<RawSql, '$executeRaw'>,
  table: string,
  rows: ReadonlyArray<Record<string, RowValue>>,
): Promise<void> {
  for (const statement of statements(table, rows)) await tx.$executeRaw(statement);
}

/**
 * insertRows that reads back `returning` columns of every row inserted (RETURNING, on both databases). The
 * rows come back in no promised order: include a column that tells them apart.
 */
export async function insertRowsReturning<T>(
  tx: Pick<RawSql, '$queryRaw'>,
  table: string,
  rows: ReadonlyArray<Record<string, RowValue>>,
  returning: string[],
): Promise<T[]> {
  const tail = Prisma.raw(` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}`);
  const out: T[] = [];
  for (const statement of statements(table, rows, tail)) out.push(...(await tx.$queryRaw<T[]>(statement)));
  return out;
}
