// Group commit for the SQLite connection. better-sqlite3 is synchronous, so every commit's fsync
// (synchronous=FULL) blocks the whole process: under load, a dedupe row or a saved form page per request
// cost more than the rest of the request and held every other request's ack behind it (bench/ingress.ts).
// Writes sent outside a transaction in one event-loop turn are run together in one transaction and answered
// only after its COMMIT, so each is as durable as before and a burst of N writes pays for one fsync.
// Transactions of plain statements (hot-rows.ts) join the batch too, each in a savepoint of its own: undone
// alone when it fails, committed with the rest, and answered only after the COMMIT.
// A statement that fails (a unique key, say) fails alone: SQLite undoes that statement and the transaction
// goes on. If SQLite gives the whole transaction up (disk full, I/O error), the writes already run in it are
// answered with that error and the rest are run in the next batch.
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';

type Method = 'queryRaw' | 'executeRaw';
type Tx = Awaited<ReturnType<SqlDriverAdapter['startTransaction']>>;
/** A transaction's work, given the batch's transaction to send its statements through. */
export type TransactionWork = (tx: Pick<Tx, 'queryRaw' | 'executeRaw'>) => Promise<unknown>;
type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void } & (
  | { method: Method; query: SqlQuery }
  | { method: 'transaction'; work: TransactionWork }
);

const CONTROL = (sql: string) => ({ sql, args: [], argTypes: [] }) as SqlQuery;
/** Reads run at once; anything else that comes as a plain statement (INSERT, UPDATE, DELETE…) is batched. */
export const isRead = (sql: string) => /^\s*(select|pragma|explain)\b/i.test(sql);

export interface GroupCommitStats {
  batches: number;
  statements: number;
}

/**
 * Returns a function that runs a plain write: alone (autocommit) when nothing else arrived in its turn, or
 * in a shared transaction opened through `startTransaction` (so that the isolation of transactions applies
 * to it as to any other). `inTransaction` says whether SQLite still holds the transaction open.
 */
export function groupCommit(
  run: (method: Method, query: SqlQuery) => Promise<unknown>,
  startTransaction: () => Promise<Tx>,
  inTransaction: () => boolean,
  stats: GroupCommitStats = { batches: 0, statements: 0 },
) {
  let queue: Pending[] | null = null;

  async function flush(items: Pending[]): Promise<void> {
    stats.batches++;
    stats.statements += items.length;
    const [only] = items as [Pending];
    if (items.length === 1 && only.method !== 'transaction')
      return run(only.method, only.query).then(only.resolve, only.reject);
    let tx: Tx;
    try {
      tx = await startTransaction();
    } catch (e) {
      for (const p of items) p.reject(e);
      return;
    }
    const settled: Array<{ p: Pending; ok: boolean; v: unknown }> = [];
    for (let i = 0; i < items.length; i++) {
      const p = items[i]!;
      try {
        settled.push({
          p,
          ok: true,
          v: p.method === 'transaction' ? await inSavepoint(tx, p.work) : await tx[p.method](p.query),
        });
      } catch (e) {
        if (!inTransaction()) {
          // SQLite rolled the whole transaction back: what ran in it is undone, so it fails with this error.
          await tx.rollback();
          for (const s of settled) s.p.reject(e);
          p.reject(e);
          const rest = items.slice(i + 1);
          if (rest.length) enqueueAll(rest);
          return;
        }
        settled.push({ p, ok: false, v: e });
      }
    }
    try {
      await tx.executeRaw(CONTROL('COMMIT'));
    } catch (e) {
      await tx.executeRaw(CONTROL('ROLLBACK')).catch(() => undefined);
      await tx.rollback();
      for (const s of settled) s.p.reject(e);
      return;
    }
    await tx.commit();
    for (const s of settled) (s.ok ? s.p.resolve : s.p.reject)(s.v);
  }

  /** A transaction's work in a savepoint: released when it succeeds, rolled back to (and so undone) when it fails. */
  async function inSavepoint(tx: Tx, work: TransactionWork): Promise<unknown> {
    await tx.executeRaw(CONTROL('SAVEPOINT batched'));
    try {
      const v = await work(tx);
      await tx.executeRaw(CONTROL('RELEASE SAVEPOINT batched'));
      return v;
    } catch (e) {
      if (inTransaction()) {
        await tx.executeRaw(CONTROL('ROLLBACK TO SAVEPOINT batched'));
        await tx.executeRaw(CONTROL('RELEASE SAVEPOINT batched'));
      }
      throw e;
    }
  }

  function enqueueAll(items: Pending[]) {
    if (!queue) {
      queue = [];
      setImmediate(() => {
        const batch = queue!;
        queue = null;
        void flush(batch);
      });
    }
    queue.push(...items);
  }

  return {
    write: (method: Method, query: SqlQuery): Promise<unknown> =>
      new Promise((resolve, reject) => enqueueAll([{ method, query, resolve, reject }])),
    transaction: (work: TransactionWork): Promise<unknown> =>
      new Promise((resolve, reject) => enqueueAll([{ method: 'transaction', work, resolve, reject }])),
  };
}
