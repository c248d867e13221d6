// The SQLite connection behind the Prisma client, wrapped through the driver adapter's public interface only
// (SqlDriverAdapter from @prisma/driver-adapter-utils; nothing of the adapter's own members):
// - `PRAGMA synchronous` on every connection it opens. FULL by default, so an acknowledged change survives a
//   power loss too; better-sqlite3 is built to default to NORMAL in WAL mode, so it must be said.
// - A plain statement never runs inside another request's open transaction. Prisma's adapter serves every
//   request through one connection and makes only transactions wait for each other, so a statement sent
//   while another request's transaction is open would run inside it and be undone by its rollback
//   (test/store/transactions.test.ts). Here statements and transactions take turns, first come first served.
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * `PRAGMA synchronous`. FULL syncs the WAL on every commit: an acknowledged change survives a power loss.
 * NORMAL in WAL mode survives a crash of the process or a restart, but a power loss or kernel crash may roll
 * back the last commits before the next checkpoint.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** Turns on one connection, in the order they were asked for. */
class Turns {
  private last: Promise<void> = Promise.resolve();

  /** Resolves when every turn asked for before has ended, with the function that ends this one. */
  take(): Promise<() => void> {
    const before = this.last;
    let end!: () => void;
    this.last = new Promise<void>((resolve) => (end = resolve));
    return before.then(() => end);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const end = await this.take();
    try {
      return await work();
    } finally {
      end();
    }
  }
}

/** The transaction, ending its turn when it commits or rolls back. */
function holdingTurn(tx: Transaction, end: () => void): Transaction {
  const finish = <T>(p: Promise<T>) => p.finally(end);
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (q: SqlQuery) => tx.queryRaw(q),
    executeRaw: (q: SqlQuery) => tx.executeRaw(q),
    commit: () => finish(tx.commit()),
    rollback: () => finish(tx.rollback()),
    ...(tx.createSavepoint ? { createSavepoint: (name: string) => tx.createSavepoint!(name) } : {}),
    ...(tx.rollbackToSavepoint ? { rollbackToSavepoint: (name: string) => tx.rollbackToSavepoint!(name) } : {}),
    ...(tx.releaseSavepoint ? { releaseSavepoint: (name: string) => tx.releaseSavepoint!(name) } : {}),
  };
}

/** A connection on which plain statements and transactions take turns. */
class TurnTakingConnection implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  readonly getConnectionInfo?: () => ConnectionInfo;
  private readonly turns = new Turns();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    if (inner.getConnectionInfo) this.getConnectionInfo = () => inner.getConnectionInfo!();
  }

  queryRaw(q: SqlQuery): Promise<SqlResultSet> {
    return this.turns.run(() => this.inner.queryRaw(q));
  }

  executeRaw(q: SqlQuery): Promise<number> {
    return this.turns.run(() => this.inner.executeRaw(q));
  }

  executeScript(script: string): Promise<void> {
    return this.turns.run(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const end = await this.turns.take();
    try {
      return holdingTurn(await this.inner.startTransaction(isolationLevel), end);
    } catch (e) {
      end();
      throw e;
    }
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** Wraps the adapter factory so that every connection it opens (the shadow database's too) is set up as above. */
export function sqliteAdapterFactory(
  inner: SqlMigrationAwareDriverAdapterFactory,
  synchronous: SqliteSynchronous,
): SqlMigrationAwareDriverAdapterFactory {
  const open = async (connect: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const connection = await connect;
    await connection.executeScript(`PRAGMA synchronous = ${synchronous}`);
    return new TurnTakingConnection(connection);
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => open(inner.connect()),
    connectToShadowDb: () => open(inner.connectToShadowDb()),
  };
}
