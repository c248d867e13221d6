// The dispatcher sends what the outbox holds and forgets a message only when the platform accepted it.
import { describe, expect, it } from 'vitest';
import { DeliveryError, type MessageSender, type OutboxItem, type OutboxTarget } from '../../src/core/ports.js';
import type { MessageView } from '../../src/core/views/types.js';
import { backoffMs, OutboxDispatcher } from '../../src/delivery/outbox-dispatcher.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';
import { enqueueInTx } from '../../src/store/outbox-repo.js';
import { enqueueMessages, silentLogger, useOutboxStore } from '../support/outbox.js';

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
  const store = useOutboxStore();
  const { clock } = store;

  const enqueue = (n: number) => enqueueMessages(store, n);

  it('waits out a 429 for Retry-After, then an outage with backoff, and delivers once', async () => {
    await enqueue(1);
    const sender = new ScriptedSender([
      new DeliveryError('ratelimited', true, 30_000),
      new DeliveryError('HTTP 503', true),
    ]);
    const d = store.dispatcher([sender]);
    expect(await d.nudge()).toBe(0);
    clock.advance(29_000);
    expect(await d.nudge()).toBe(0);
    expect(sender.script).toHaveLength(1); // still waiting for Retry-After
    clock.advance(1_000);
    expect(await d.nudge()).toBe(0); // the 503: the first attempt that counts, since a rate limit never does
    clock.advance(backoffMs(1) - 1);
    await d.nudge();
    expect(sender.accepted).toEqual([]);
    clock.advance(1);
    expect(await d.nudge()).toBe(1);
    expect(sender.accepted).toEqual([{ target: { kind: 'channel', id: 'C1' }, text: 'm0' }]);
    clock.advance(3_600_000);
    expect(await d.nudge()).toBe(0);
    const row = await store.db.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('keeps a permanently refused message as failed with the reason, and goes on with the rest', async () => {
    await enqueue(2);
    const sender = new ScriptedSender([new DeliveryError('channel_not_found', false)]);
    const d = store.dispatcher([sender]);
    expect(await d.nudge()).toBe(1);
    const rows = await store.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([
      ['failed', 'channel_not_found'],
      ['sent', null],
    ]);
  });

  it('treats an unknown exception as transient: the message stays queued', async () => {
    await enqueue(1);
    const sender = new ScriptedSender([new Error('socket hang up')]);
    const d = store.dispatcher([sender]);
    await d.nudge();
    expect(await store.repos.outbox.pendingCount()).toBe(1);
    clock.advance(backoffMs(1));
    expect(await d.nudge()).toBe(1);
  });

  it('leaves messages for a platform that is not configured in this process untouched', async () => {
    await store.repos.outbox.enqueue(
      [
        {
          platform: 'feishu',
          target: { kind: 'user', id: 'ou_1' },
          message: { text: 'x', blocks: [] },
          dedupeKey: 'f1',
        },
      ],
      clock.now(),
    );
    const d = store.dispatcher([new ScriptedSender([])]);
    expect(await d.nudge()).toBe(0);
    expect((await store.db.prisma.outboxMessage.findFirstOrThrow()).attempts).toBe(0);
  });

  it('delivers each message once when two dispatchers sweep the same database', async () => {
    await enqueue(30);
    const a = new ScriptedSender([]);
    const b = new ScriptedSender([]);
    const da = store.dispatcher([a], { batchSize: 5 });
    // A second connection pool stands in for a second bot process.
    const second = openDatabase(store.db.url);
    const db2 = createRepos(second);
    const dbb = new OutboxDispatcher({ repo: db2.outbox, senders: [b], clock, logger: silentLogger, batchSize: 5 });
    const [na, nb] = await Promise.all([da.nudge(), dbb.nudge()]);
    expect(na + nb).toBe(30);
    const texts = [...a.accepted, ...b.accepted].map((x) => x.text).sort();
    expect(new Set(texts).size).toBe(30);
    await second.close();
  });

  describe('rate limits', () => {
    /** Answers 429 to the first `limited` calls, then accepts; records the order of calls. */
    class LimitedSender implements MessageSender {
      readonly platform = 'slack' as const;
      calls: string[] = [];
      constructor(
        public limited: number,
        readonly rateLimitScope: 'platform' | 'target',
      ) {}
      async send(t: OutboxTarget, m: MessageView) {
        this.calls.push(`${t.id}:${m.text}`);
        if (this.limited-- > 0) throw new DeliveryError('ratelimited', true, 10_000);
      }
    }
    const to = (id: string, n: number) => ({
      platform: 'slack' as const,
      target: { kind: 'user' as const, id },
      message: { text: `m${n}`, blocks: [] },
      dedupeKey: `k${n}`,
    });

    it('holds every send after a platform-wide 429 until the platform allows more', async () => {
      await store.repos.outbox.enqueue([to('U1', 1), to('U2', 2), to('U3', 3)], clock.now());
      const sender = new LimitedSender(1, 'platform');
      const d = store.dispatcher([sender]);
      expect(await d.nudge()).toBe(0);
      expect(sender.calls).toEqual(['U1:m1']);
      clock.advance(10_000);
      expect(await d.nudge()).toBe(3);
      expect(sender.calls).toEqual(['U1:m1', 'U1:m1', 'U2:m2', 'U3:m3']);
    });

    it('holds only the same channel after a per-channel 429', async () => {
      await store.repos.outbox.enqueue([to('U1', 1), to('U2', 2), to('U1', 3)], clock.now());
      const sender = new LimitedSender(1, 'target');
      const d = store.dispatcher([sender]);
      expect(await d.nudge()).toBe(1);
      expect(sender.calls).toEqual(['U1:m1', 'U2:m2']);
      clock.advance(10_000);
      expect(await d.nudge()).toBe(2);
    });

    it('holds the whole platform once two channels are limited at the same time (a workspace-wide limit)', async () => {
      await store.repos.outbox.enqueue([to('U1', 1), to('U2', 2), to('U3', 3), to('U4', 4)], clock.now());
      const sender = new LimitedSender(2, 'target');
      const d = store.dispatcher([sender]);
      expect(await d.nudge()).toBe(0);
      // U1 and U2 were refused; U3 and U4 were not tried into the same limit.
      expect(sender.calls).toEqual(['U1:m1', 'U2:m2']);
      clock.advance(10_000);
      expect(await d.nudge()).toBe(4);
      expect(sender.calls.slice(2).sort()).toEqual(['U1:m1', 'U2:m2', 'U3:m3', 'U4:m4']);
    });

    it('never gives a message up because of rate limits, however many', async () => {
      await store.repos.outbox.enqueue([to('U1', 1)], clock.now());
      const sender = new LimitedSender(30, 'platform');
      const d = store.dispatcher([sender], { maxAttempts: 5 });
      for (let i = 0; i < 31; i++) {
        await d.nudge();
        clock.advance(10_000);
      }
      expect(await store.db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'sent', attempts: 1 });
    });
  });

  describe('cards updated in place', () => {
    /** Posts get ids p1, p2…; updates and failures are recorded and scriptable. */
    class CardSender implements MessageSender {
      readonly platform = 'slack' as const;
      posts: string[] = [];
      updates: Array<{ messageId: string; text: string }> = [];
      updateFailures: DeliveryError[] = [];
      async send(_t: OutboxTarget, m: MessageView) {
        this.posts.push(m.text);
        return { channelId: 'D1', messageId: `p${this.posts.length}` };
      }
      async update(ref: { messageId: string }, m: MessageView) {
        const fail = this.updateFailures.shift();
        if (fail) throw fail;
        this.updates.push({ messageId: ref.messageId, text: m.text });
      }
    }
    const card = (v: number, over: Partial<OutboxItem> = {}): OutboxItem => ({
      platform: 'slack',
      target: { kind: 'user', id: 'U1' },
      message: { text: `v${v}`, blocks: [] },
      dedupeKey: `card:v${v}`,
      refKey: 'finding:1:card:7',
      ...over,
    });
    const enqueueInOrder = async (...items: OutboxItem[]) => {
      for (const it of items) await store.db.prisma.$transaction((tx) => enqueueInTx(tx, [it], clock.now()));
    };

    it('posts the first version, edits that message for later ones, and sends only the newest of several waiting', async () => {
      const sender = new CardSender();
      const d = store.dispatcher([sender], { refs: store.repos.messageRefs });
      await enqueueInOrder(card(1));
      await d.nudge();
      await enqueueInOrder(card(2), card(3));
      await d.nudge();
      expect(sender.posts).toEqual(['v1']);
      expect(sender.updates).toEqual([{ messageId: 'p1', text: 'v3' }]);
      const rows = await store.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.status)).toEqual(['sent', 'superseded', 'sent']);
    });

    it('still posts the card when its first version is superseded by an update-only one', async () => {
      const sender = new CardSender();
      const d = store.dispatcher([sender], { refs: store.repos.messageRefs });
      await enqueueInOrder(card(1), card(2, { updateOnly: true }));
      await d.nudge();
      expect(sender.posts).toEqual(['v2']);
    });

    it('does not supersede a version that is being sent; the newer one edits after it', async () => {
      const sender = new CardSender();
      await enqueueInOrder(card(1));
      const [leased] = await store.repos.outbox.claimDue(clock.now(), 10, 60_000, ['slack']); // in flight elsewhere
      await enqueueInOrder(card(2));
      expect((await store.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: leased!.id } })).status).toBe(
        'pending',
      );
      clock.advance(61_000); // that sender died; its lease runs out
      const d = store.dispatcher([sender], { refs: store.repos.messageRefs });
      await d.nudge();
      expect(sender.posts).toEqual(['v1']);
      expect(sender.updates).toEqual([{ messageId: 'p1', text: 'v2' }]);
    });

    it('posts the card anew when the old message can no longer be edited, and retries a rate-limited edit', async () => {
      const sender = new CardSender();
      const d = store.dispatcher([sender], { refs: store.repos.messageRefs });
      await enqueueInOrder(card(1));
      await d.nudge();
      sender.updateFailures.push(
        new DeliveryError('ratelimited', true, 5_000),
        new DeliveryError('message_not_found', false),
      );
      await enqueueInOrder(card(2));
      await d.nudge();
      expect(sender.posts).toEqual(['v1']);
      clock.advance(5_000);
      await d.nudge();
      expect(sender.posts).toEqual(['v1', 'v2']);
      expect(await store.repos.messageRefs.get('finding:1:card:7')).toMatchObject({ messageId: 'p2' });
      await enqueueInOrder(card(3));
      await d.nudge();
      expect(sender.updates).toEqual([{ messageId: 'p2', text: 'v3' }]);
    });
  });
});
