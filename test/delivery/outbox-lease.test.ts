// A row is sent by one process only, even when a slow batch outlives its lease: each row's lease is renewed
// just before it is sent, and every write after the claim is conditional on still holding the lease.
import { describe, expect, it } from 'vitest';
import { OutboxDispatcher } from '../../src/delivery/outbox-dispatcher.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';
import { STORE_BACKENDS } from '../support/db.js';
import { channelMessage, RecordingSender, silentLogger, useOutboxStore } from '../support/outbox.js';

describe.each(STORE_BACKENDS)('outbox leases on %s', (kind) => {
  const store = useOutboxStore(kind);
  const { clock } = store;

  it('two dispatchers on one database with a slow sender: a row whose lease ran out mid-batch is sent by the process that took it over, only', async () => {
    await store.repos.outbox.enqueue([1, 2, 3, 4].map(channelMessage), clock.now());
    // A second connection pool stands in for a second bot process.
    const second = openDatabase(store.db.url);
    try {
      const other = new RecordingSender();
      const b = new OutboxDispatcher({
        repo: createRepos(second).outbox,
        senders: [other],
        clock,
        logger: silentLogger,
        leaseMs: 10_000,
      });
      // Each of A's sends takes 4 s against a 10 s lease on the batch of four. During the third, B sweeps:
      // the fourth row's lease has run out and B takes it.
      const slow = new RecordingSender(async (n) => {
        clock.advance(4_000);
        if (n === 3) expect(await b.nudge()).toBe(1);
      });
      const a = store.dispatcher([slow], { leaseMs: 10_000 });
      expect(await a.nudge()).toBe(3);
      expect(slow.sent).toEqual(['m1', 'm2', 'm3']);
      expect(other.sent).toEqual(['m4']);
      const rows = await store.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((r) => [r.status, r.leaseUntil])).toEqual([1, 2, 3, 4].map(() => ['sent', null]));
      // Nothing is left for either.
      clock.advance(60_000);
      expect((await a.nudge()) + (await b.nudge())).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('renews the lease before each send, so a long batch of quick sends keeps its rows', async () => {
    await store.repos.outbox.enqueue([1, 2, 3, 4, 5].map(channelMessage), clock.now());
    const slow = new RecordingSender(async () => clock.advance(4_000));
    expect(await store.dispatcher([slow], { leaseMs: 10_000 }).nudge()).toBe(5);
    expect(slow.sent).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('marks, releases, retries, fails or renews a row only while the lease it was claimed with is still the row’s', async () => {
    const repo = store.repos.outbox;
    await repo.enqueue([channelMessage(1)], clock.now());
    const t0 = clock.now();
    const [mine] = await repo.claimDue(t0, 10, 60_000, ['slack']);
    expect(mine!.lease).toEqual(new Date(t0.getTime() + 60_000));
    // The lease ran out and another process took the row.
    const second = openDatabase(store.db.url);
    try {
      const otherRepo = createRepos(second).outbox;
      const [theirs] = await otherRepo.claimDue(new Date(t0.getTime() + 61_000), 10, 60_000, ['slack']);
      expect(theirs!.id).toBe(mine!.id);
      expect(await repo.renewLease(mine!.id, mine!.lease!, new Date(t0.getTime() + 62_000), 60_000)).toBeNull();
      expect(await repo.markSent(mine!.id, t0, mine!.lease)).toBe(false);
      expect(await repo.release(mine!.id, t0, 'x', mine!.lease)).toBe(false);
      expect(await repo.markRetry(mine!.id, t0, 'x', mine!.lease)).toBe(false);
      expect(await repo.markFailed(mine!.id, 'x', mine!.lease)).toBe(false);
      expect(await repo.markSuperseded(mine!.id, mine!.lease)).toBe(false);
      expect(await store.db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({
        status: 'pending',
        attempts: 2,
        leaseUntil: theirs!.lease,
      });
      const renewed = await otherRepo.renewLease(theirs!.id, theirs!.lease!, new Date(t0.getTime() + 62_000), 60_000);
      expect(renewed).toEqual(new Date(t0.getTime() + 122_000));
      expect(await otherRepo.markSent(theirs!.id, t0, theirs!.lease)).toBe(false); // the old lease, before renewal
      expect(await otherRepo.markSent(theirs!.id, t0, renewed!)).toBe(true);
      expect(await repo.markSent(theirs!.id, t0, renewed!)).toBe(false); // sent already
    } finally {
      await second.close();
    }
  });
});
