// The outbox on each backend: enqueue is idempotent per key, and a due row is leased by exactly one
// sweeper even when several race for it (two bot processes sharing one database).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/core/ports.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

const item = (n: number): OutboxItem => ({
  platform: 'slack',
  target: { kind: 'channel', id: `C${n}` },
  message: { text: `message ${n}`, blocks: [{ kind: 'text', text: `message ${n}` }] },
  dedupeKey: `test:${n}`,
});

describe.each(STORE_BACKENDS)('outbox and delivery log on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repos;
  const t0 = new Date('2026-11-23T02:00:00Z');

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    repos = createRepos(db);
  });
  afterEach(async () => db.destroy());

  /** A second connection pool to the same database, standing in for a second bot process. */
  async function otherProcess<T>(fn: (other: Repos) => Promise<T>): Promise<T> {
    const other = openDatabase(db.url);
    try {
      return await fn(createRepos(other));
    } finally {
      await other.close();
    }
  }

  it('ignores a second enqueue of the same message', async () => {
    await repos.outbox.enqueue([item(1), item(2)], t0);
    await repos.outbox.enqueue([item(1)], t0);
    expect(await repos.outbox.pendingCount()).toBe(2);
  });

  /** `n` due messages, message 0 to message n-1. */
  const enqueueMany = (n: number) =>
    repos.outbox.enqueue(
      Array.from({ length: n }, (_, i) => item(i)),
      t0,
    );

  it('leases each due row to exactly one of several racing sweepers', async () => {
    await enqueueMany(40);
    const sweeps = await otherProcess((otherRepos) =>
      Promise.all([
        repos.outbox.claimDue(t0, 40, 60_000, ['slack']),
        otherRepos.outbox.claimDue(t0, 40, 60_000, ['slack']),
        repos.outbox.claimDue(t0, 40, 60_000, ['slack']),
        otherRepos.outbox.claimDue(t0, 40, 60_000, ['slack']),
      ]),
    );
    const ids = sweeps.flat().map((c) => c.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('claims a batch in order, each row once, leaving the rows another process holds', async () => {
    await enqueueMany(5);
    const theirs = await otherProcess((other) => other.outbox.claimDue(t0, 2, 60_000, ['slack']));
    const mine = await repos.outbox.claimDue(t0, 10, 60_000, ['slack']);
    expect(theirs.map((c) => c.message.text)).toEqual(['message 0', 'message 1']);
    expect(mine.map((c) => [c.message.text, c.attempts, c.target.id])).toEqual([
      ['message 2', 1, 'C2'],
      ['message 3', 1, 'C3'],
      ['message 4', 1, 'C4'],
    ]);
    // Every claimed row carries the lease its later updates must present.
    for (const c of mine) expect(await repos.outbox.markSent(c.id, t0, c.lease)).toBe(true);
    expect(await repos.outbox.pendingCount()).toBe(2);
  });

  it('hands a leased row out again only after its lease expires, and never after it was sent', async () => {
    await repos.outbox.enqueue([item(1), item(2)], t0);
    const [a, b] = await repos.outbox.claimDue(t0, 10, 60_000, ['slack']);
    expect(await repos.outbox.claimDue(new Date(t0.getTime() + 30_000), 10, 60_000, ['slack'])).toEqual([]);
    await repos.outbox.markSent(a!.id, t0);
    // b's sender crashed without marking it: after the lease it is due again, with its attempt counted.
    const again = await repos.outbox.claimDue(new Date(t0.getTime() + 61_000), 10, 60_000, ['slack']);
    expect(again.map((c) => [c.id, c.attempts])).toEqual([[b!.id, 2]]);
    expect(again[0]!.message.text).toBe('message 2');
  });

  it('waits for the retry time and keeps failed rows out of the queue', async () => {
    await repos.outbox.enqueue([item(1), item(2)], t0);
    const [a, b] = await repos.outbox.claimDue(t0, 10, 60_000, ['slack']);
    await repos.outbox.markRetry(a!.id, new Date(t0.getTime() + 120_000), 'rate limited');
    await repos.outbox.markFailed(b!.id, 'channel_not_found');
    expect(await repos.outbox.claimDue(new Date(t0.getTime() + 119_000), 10, 60_000, ['slack'])).toEqual([]);
    expect(
      (await repos.outbox.claimDue(new Date(t0.getTime() + 120_000), 10, 60_000, ['slack'])).map((c) => c.id),
    ).toEqual([a!.id]);
    expect(await repos.outbox.claimDue(t0, 10, 60_000, ['feishu'])).toEqual([]);
  });

  it('records a delivery key once, survives reconnects, and purges old keys', async () => {
    expect(await repos.deliveries.firstSeen('slack:event:Ev1', t0)).toBe(true);
    expect(await repos.deliveries.firstSeen('slack:event:Ev1', t0)).toBe(false);
    expect(await otherProcess((other) => other.deliveries.firstSeen('slack:event:Ev1', t0))).toBe(false);
    expect(await repos.deliveries.purgeBefore(new Date(t0.getTime() + 1))).toBe(1);
    expect(await repos.deliveries.firstSeen('slack:event:Ev1', t0)).toBe(true);
  });
});
