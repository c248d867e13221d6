// Helpers for the few statements a model query cannot express, and for long id lists.
import { z } from 'zod';

/** Keys per `IN (…)` list, well under either database's bind limit. */
export const IN_CHUNK = 500;

/** `items` in lists of at most `size`. */
export function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An integer column as either driver gives it back from `$queryRaw`: a number, or a bigint. */
export const intColumn = z.union([z.number(), z.bigint()]).transform(Number);

/** The rows of a `$queryRaw`, checked against the schema of one row (a column that is not there fails). */
export function parseRows<S extends z.ZodType>(schema: S, rows: unknown): Array<z.output<S>> {
  return z.array(schema).parse(rows);
}

/**
 * The rows due by `now`, in pages ordered by (nextReminderAt, id): after the last row of the previous page when
 * given. Used by every sweep that reads due rows (findings, evaluation participants).
 */
export function duePage(now: Date, after?: { nextReminderAt: Date; id: number } | null) {
  const where = after
    ? {
        nextReminderAt: { gte: after.nextReminderAt, lte: now },
        OR: [{ nextReminderAt: { gt: after.nextReminderAt } }, { id: { gt: after.id } }],
      }
    : { nextReminderAt: { lte: now } };
  return { where, orderBy: [{ nextReminderAt: 'asc' as const }, { id: 'asc' as const }] };
}

export interface Reschedule {
  id: number;
  version: number;
  nextReminderAt: Date | null;
}

/**
 * The statements that set each row's next reminder, at the version it was read at: rows grouped by time and
 * version (then chunked), so that a sweep's batch of thousands is a handful of `updateMany` calls.
 */
export function rescheduleBatches(
  items: readonly Reschedule[],
): Array<{ ids: number[]; version: number; time: Date | null }> {
  const groups = new Map<string, { time: Date | null; version: number; ids: number[] }>();
  for (const it of items) {
    const k = `${it.nextReminderAt?.getTime() ?? 'null'}:${it.version}`;
    const g = groups.get(k) ?? groups.set(k, { time: it.nextReminderAt, version: it.version, ids: [] }).get(k)!;
    g.ids.push(it.id);
  }
  return [...groups.values()].flatMap(({ time, version, ids }) => chunks(ids).map((c) => ({ ids: c, version, time })));
}
