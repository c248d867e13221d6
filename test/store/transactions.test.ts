// The SQLite adapter serves every request through one connection. A write made outside a transaction while
// another request's transaction is open must not become part of it: when that transaction rolls back, the
// other request's saved answer would vanish although it was acknowledged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

describe.each(STORE_BACKENDS)('transactions on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
  });
  afterEach(async () => db.destroy());

  it('keep a concurrent plain write when they roll back', async () => {
    const t0 = new Date('2026-11-23T02:00:00Z');
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const hold = new Promise<void>((r) => (finish = r));
    const failing = db.prisma
      .$transaction(async (tx) => {
        await tx.processedDelivery.create({ data: { key: 'in-the-transaction', createdAt: t0 } });
        inside();
        await hold;
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await started;
    let plainDone = false;
    const plain = db.prisma.processedDelivery
      .create({ data: { key: 'another-request', createdAt: t0 } })
      .then(() => (plainDone = true));
    // Let the plain write reach the database (or queue) before the transaction ends.
    await new Promise((r) => setTimeout(r, 50));
    // On SQLite's single connection it waits for the transaction rather than joining it; PostgreSQL runs it
    // on another pooled connection, outside the transaction.
    if (kind === 'sqlite') expect(plainDone).toBe(false);
    finish();
    expect(await failing).toBe('rolled back');
    await plain;
    const keys = (await db.prisma.processedDelivery.findMany()).map((r) => r.key);
    expect(keys).toEqual(['another-request']);
  });
});
