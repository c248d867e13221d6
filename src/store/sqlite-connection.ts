// The SQLite connection Prisma's better-sqlite3 adapter opens, tuned for the bot's request path:
// - Prepared statements are kept by SQL text (a small LRU). The adapter prepares every statement afresh,
//   which cost about a tenth of the CPU of a `/dudao status` request (see bench/ingress.ts); Prisma sends
//   the same few dozen SQL texts over and over, so almost every statement is a cache hit.
// - Per-connection pragmas (synchronous); see `SqliteTuning`.
// - Transactions are isolated from other requests: the adapter runs everything on its one connection and
//   only makes transactions wait for each other, so a plain statement sent while another request's
//   transaction is open would run inside it and be undone by its rollback (test/store/transactions.test.ts).
// The adapter keeps its better-sqlite3 Database as `client` and calls only `prepare(sql)`, `.bind(args)`,
// `.reader`, `.run()`, `.columns()` and `.raw().all()` on it; the wrapper below offers exactly those on a
// cached statement, binding the arguments per call instead of for good (better-sqlite3 allows one bind per
// statement). Should a later adapter keep its connection elsewhere, nothing is cached and everything still
// works; test/store/sqlite-connection.test.ts notices.

import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { type GroupCommitStats, groupCommit, isRead, type TransactionWork } from './sqlite-group-commit.js';

export interface SqliteTuning {
  /** Prepared statements kept per connection (least recently used dropped first); 0 turns caching off. */
  statementCacheSize: number;
  /**
   * `PRAGMA synchronous`. FULL (SQLite's default) syncs the WAL on every commit, so an acknowledged change
   * survives a power loss too. NORMAL in WAL mode survives a crash of the process or a restart, but a power
   * loss or kernel crash may roll back the last commits before the next checkpoint.
   */
  synchronous: 'FULL' | 'NORMAL';
}

export const DEFAULT_SQLITE_TUNING: SqliteTuning = { statementCacheSize: 200, synchronous: 'FULL' };

type Statement = BetterSqlite3.Statement<unknown[]>;

/** What the adapter gets back from `prepare(sql).bind(args)`: the statement with these arguments, once. */
class BoundStatement {
  constructor(
    private readonly owner: CachedStatement,
    private readonly stmt: Statement,
    private readonly args: unknown[],
  ) {}
  get reader(): boolean {
    return this.stmt.reader;
  }
  run() {
    return this.stmt.run(this.args);
  }
  columns() {
    return this.owner.columns();
  }
  raw() {
    const { stmt, args } = this;
    return { all: () => stmt.raw(true).all(args) };
  }
}

/** A cached statement as `prepare(sql)` returns it: bound per call, or run as is (BEGIN, COMMIT…). */
class CachedStatement {
  /** A statement's result columns are fixed once prepared (Prisma names every column it selects). */
  private cols?: ReturnType<Statement['columns']>;
  constructor(readonly stmt: Statement) {}
  get reader(): boolean {
    return this.stmt.reader;
  }
  bind(...params: unknown[]) {
    // The adapter passes one array; better-sqlite3 spreads an array argument the same way.
    return new BoundStatement(this, this.stmt, params.length === 1 && Array.isArray(params[0]) ? params[0] : params);
  }
  run() {
    return this.stmt.run();
  }
  columns() {
    return (this.cols ??= this.stmt.columns());
  }
  raw() {
    const { stmt } = this;
    return { all: () => stmt.raw(true).all() };
  }
}

export interface StatementCacheStats {
  hits: number;
  misses: number;
  size: number;
}

function isBetterSqlite(x: unknown): x is BetterSqlite3.Database {
  return (
    !!x &&
    typeof (x as BetterSqlite3.Database).prepare === 'function' &&
    typeof (x as BetterSqlite3.Database).pragma === 'function'
  );
}

/** Makes `db.prepare` return cached statements (LRU by SQL text). */
function cacheStatements(db: BetterSqlite3.Database, max: number): StatementCacheStats {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const cache = new Map<string, CachedStatement>();
  const s: StatementCacheStats = { hits: 0, misses: 0, size: 0 };
  (db as { prepare: unknown }).prepare = (sql: string) => {
    let entry = cache.get(sql);
    if (entry) {
      s.hits++;
      // Map order is insertion order: move the entry to the back, so the front is the least recently used.
      cache.delete(sql);
      cache.set(sql, entry);
      return entry;
    }
    s.misses++;
    entry = new CachedStatement(prepare(sql));
    cache.set(sql, entry);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    s.size = cache.size;
    return entry;
  };
  return s;
}

export interface TunedSqliteFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** One entry per connection opened with a statement cache (none when the adapter's internals changed). */
  readonly statementCaches: readonly StatementCacheStats[];
  /** Plain writes run and the batches (transactions or single statements) they were run in. */
  readonly groupCommits: GroupCommitStats;
  /** The client's connection once it has connected (tuned as above), for reads that skip the client (hot-rows.ts). */
  connection(): SqlDriverAdapter | null;
}

/** Wraps the adapter factory so that every connection it opens is tuned (the shadow database's too). */
export function tunedSqliteFactory(
  inner: SqlMigrationAwareDriverAdapterFactory,
  tuning: SqliteTuning = DEFAULT_SQLITE_TUNING,
): TunedSqliteFactory {
  const statementCaches: StatementCacheStats[] = [];
  const groupCommits: GroupCommitStats = { batches: 0, statements: 0 };
  const tune = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    isolateTransactions(adapter, groupCommits);
    const client = (adapter as { client?: unknown }).client;
    if (!isBetterSqlite(client)) return adapter;
    client.pragma(`synchronous = ${tuning.synchronous}`);
    if (tuning.statementCacheSize > 0) statementCaches.push(cacheStatements(client, tuning.statementCacheSize));
    return adapter;
  };
  let current: SqlDriverAdapter | null = null;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    statementCaches,
    groupCommits,
    connection: () => current,
    connect: async () => {
      const adapter = tune(await inner.connect());
      // Forgotten when the client disposes of it, so that nothing reads through a closed connection.
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = () => {
        if (current === adapter) current = null;
        return dispose();
      };
      return (current = adapter);
    },
    connectToShadowDb: async () => tune(await inner.connectToShadowDb()),
  };
}

type Tx = Awaited<ReturnType<SqlDriverAdapter['startTransaction']>>;

/** The connection, able to run a transaction of plain statements in the next group commit (hot-rows.ts). */
export type BatchingAdapter = SqlDriverAdapter & { batchedTransaction?: (work: TransactionWork) => Promise<unknown> };

/**
 * Queues transactions one after another and makes statements outside them wait until none is open.
 * Statements inside a transaction go through its own object and are not held.
 */
export function isolateTransactions(adapter: SqlDriverAdapter, groupCommitStats?: GroupCommitStats): void {
  let idle: Promise<void> = Promise.resolve();
  const a = adapter as SqlDriverAdapter & { executeScript?: (script: string) => Promise<void> };
  const startTransaction = a.startTransaction.bind(a);
  a.startTransaction = async (isolationLevel) => {
    const before = idle;
    let done!: () => void;
    idle = new Promise<void>((r) => (done = r));
    await before;
    let tx: Tx;
    try {
      tx = await startTransaction(isolationLevel);
    } catch (e) {
      done();
      throw e;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(done);
    tx.rollback = () => rollback().finally(done);
    return tx;
  };
  const plain: Record<string, (arg: unknown) => Promise<unknown>> = {};
  for (const name of ['queryRaw', 'executeRaw', 'executeScript'] as const) {
    const original = (a as unknown as Record<string, (arg: unknown) => Promise<unknown>>)[name];
    if (typeof original !== 'function') continue;
    const bound = original.bind(a);
    plain[name] = async (arg: unknown) => {
      // Wait until every transaction queued so far has ended (a new one may queue behind this statement).
      for (let seen = idle; ; ) {
        await seen;
        if (seen === idle) break;
        seen = idle;
      }
      return bound(arg);
    };
    (a as unknown as Record<string, unknown>)[name] = plain[name];
  }
  const client = (adapter as { client?: unknown }).client;
  if (!isBetterSqlite(client) || !plain.queryRaw || !plain.executeRaw) return;
  const batch = groupCommit(
    (method, query) => plain[method]!(query),
    () => a.startTransaction(),
    () => client.inTransaction,
    groupCommitStats,
  );
  for (const name of ['queryRaw', 'executeRaw'] as const)
    (a as unknown as Record<string, unknown>)[name] = (query: SqlQuery) =>
      isRead(query.sql) ? plain[name]!(query) : batch.write(name, query);
  (a as BatchingAdapter).batchedTransaction = batch.transaction;
}
