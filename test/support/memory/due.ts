// What both reminder sweeps read and write on their rows (findings, evaluation participants), as the Prisma
// store does (src/store/rows.ts): pages of due rows by (nextReminderAt, id), and the next look set only while
// the row is still at the version the sweep read.

interface DueRow {
  id: number;
  version: number;
  nextReminderAt: Date | null;
}

/** Whether a row's nextReminderAt has come by `now`, after the cursor `after` when given. */
export const dueBy =
  (now: Date, after?: { nextReminderAt: Date; id: number } | null) =>
  ({ id, nextReminderAt: at }: DueRow) =>
    at !== null &&
    at <= now &&
    (!after || at > after.nextReminderAt || (at.getTime() === after.nextReminderAt.getTime() && id > after.id));

/** The first `limit` rows, by (nextReminderAt, id). */
export const firstDue = <R extends DueRow>(rows: R[], limit: number) =>
  rows.sort((a, b) => a.nextReminderAt!.getTime() - b.nextReminderAt!.getTime() || a.id - b.id).slice(0, limit);

/** The row of a rescheduling, still at the version it was read at. */
export const atVersion = (it: { id: number; version: number }) => (r: DueRow) =>
  r.id === it.id && r.version === it.version;
