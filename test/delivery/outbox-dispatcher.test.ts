// The dispatcher sends what the outbox holds and forgets a message only when the platform accepted it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, type MessageSender, type OutboxTarget } from '../../src/core/ports.js';
import type { MessageView } from '../../src/core/views/types.js';
import { backoffMs, OutboxDispatcher } from '../../src/delivery/outbox-dispatcher.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { FixedClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A sender that fails as scripted, then accepts; records what it accepted. */
class ScriptedSender implements MessageSender {
  readonly platform = 'slack' as const;
  accepted: Array<{ target: OutboxTarget; text: string }> = [];
  constructor(public script: Array<DeliveryError | Error>) {}
  async send(target: OutboxTarget, message: MessageView) {
    const next = this.script.shift();
    if (next) throw next;
    this.accepted.push({ target, text: message.text });
  }
}

describe('outbox dispatcher', () => {
  let db: TestDatabase;
  let repos: Repos;
  const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'));

  beforeEach(async () => {
    db = await createTestDatabase('sqlite');
    repos = createRepos(db);
    clock.set('2026-11-23T02:00:00Z');
  });
  afterEach(async () => db.destroy());

  const enqueue = (n: number) =>
    repos.outbox.enqueue(
      Array.from({ length: n }, (_, i) => ({ platform: 'slack' as const, target: { kind: 'channel' as const, id: 'C1' }, message: { text: `m${i}`, blocks: [] }, dedupeKey: `k${i}` })),
      clock.now(),
    );

  it('waits out a 429 for Retry-After, then an outage with backoff, and delivers once', async () => {
    await enqueue(1);
    const sender = new ScriptedSender([new DeliveryError('ratelimited', true, 30_000), new DeliveryError('HTTP 503', true)]);
    const d = new OutboxDispatcher({ repo: repos.outbox, senders: [sender], clock, logger: silent });
    expect(await d.nudge()).toBe(0);
    clock.advance(29_000);
    expect(await d.nudge()).toBe(0);
    expect(sender.script).toHaveLength(1); // still waiting for Retry-After
    clock.advance(1_000);
    expect(await d.nudge()).toBe(0); // the 503
    clock.advance(backoffMs(2) - 1);
    await d.nudge();
    expect(sender.accepted).toEqual([]);
    clock.advance(1);
    expect(await d.nudge()).toBe(1);
    expect(sender.accepted).toEqual([{ target: { kind: 'channel', id: 'C1' }, text: 'm0' }]);
    clock.advance(3_600_000);
    expect(await d.nudge()).toBe(0);
    const row = await db.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('keeps a permanently refused message as failed with the reason, and goes on with the rest', async () => {
    await enqueue(2);
    const sender = new ScriptedSender([new DeliveryError('channel_not_found', false)]);
    const d = new OutboxDispatcher({ repo: repos.outbox, senders: [sender], clock, logger: silent });
    expect(await d.nudge()).toBe(1);
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([
      ['failed', 'channel_not_found'],
      ['sent', null],
    ]);
  });

  it('treats an unknown exception as transient: the message stays queued', async () => {
    await enqueue(1);
    const sender = new ScriptedSender([new Error('socket hang up')]);
    const d = new OutboxDispatcher({ repo: repos.outbox, senders: [sender], clock, logger: silent });
    await d.nudge();
    expect(await repos.outbox.pendingCount()).toBe(1);
    clock.advance(backoffMs(1));
    expect(await d.nudge()).toBe(1);
  });

  it('leaves messages for a platform that is not configured in this process untouched', async () => {
    await repos.outbox.enqueue([{ platform: 'feishu', target: { kind: 'user', id: 'ou_1' }, message: { text: 'x', blocks: [] }, dedupeKey: 'f1' }], clock.now());
    const d = new OutboxDispatcher({ repo: repos.outbox, senders: [new ScriptedSender([])], clock, logger: silent });
    expect(await d.nudge()).toBe(0);
    expect((await db.prisma.outboxMessage.findFirstOrThrow()).attempts).toBe(0);
  });

  it('delivers each message once when two dispatchers sweep the same database', async () => {
    await enqueue(30);
    const a = new ScriptedSender([]);
    const b = new ScriptedSender([]);
    const da = new OutboxDispatcher({ repo: repos.outbox, senders: [a], clock, logger: silent, batchSize: 5 });
    // A second connection pool stands in for a second bot process.
    const second = openDatabase(db.url);
    const db2 = createRepos(second);
    const dbb = new OutboxDispatcher({ repo: db2.outbox, senders: [b], clock, logger: silent, batchSize: 5 });
    const [na, nb] = await Promise.all([da.nudge(), dbb.nudge()]);
    expect(na + nb).toBe(30);
    const texts = [...a.accepted, ...b.accepted].map((x) => x.text).sort();
    expect(new Set(texts).size).toBe(30);
    await second.close();
  });
});
