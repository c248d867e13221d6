// Nothing accepted is lost to an outage: transient failures and credential or setup errors are retried for as
// long as it takes (backoff capped at 30 minutes), only a genuine refusal fails a row, and failed rows can be
// put back in the queue.
import { describe, expect, it } from 'vitest';
import { DeliveryError, type MessageSender, type OutboxTarget } from '../../src/core/ports.js';
import type { MessageView } from '../../src/core/views/types.js';
import { backoffMs } from '../../src/delivery/outbox-dispatcher.js';
import { toDeliveryError } from '../../src/platforms/slack/sender.js';
import { STORE_BACKENDS } from '../support/db.js';
import { slackRefusal } from '../support/fake-slack.js';
import { enqueueMessages, useOutboxStore } from '../support/outbox.js';

/** Fails with `failure()` while `down` is true, then accepts; records what it accepted. */
class OutageSender implements MessageSender {
  readonly platform = 'slack' as const;
  down = true;
  calls = 0;
  accepted: string[] = [];
  constructor(private readonly failure: () => Error) {}
  async send(_t: OutboxTarget, message: MessageView) {
    this.calls++;
    if (this.down) throw this.failure();
    this.accepted.push(message.text);
  }
}

describe.each(STORE_BACKENDS)('outbox through an outage on %s', (kind) => {
  const store = useOutboxStore(kind);
  const { clock } = store;
  const enqueue = (n: number) => enqueueMessages(store, n);
  const row = () => store.db.prisma.outboxMessage.findFirstOrThrow();

  /** Runs the dispatcher at each retry time for `hours` of clock time; returns the attempts made. */
  const ride = async (d: ReturnType<typeof store.dispatcher>, hours: number) => {
    const end = clock.now().getTime() + hours * 3_600_000;
    while (clock.now().getTime() < end) {
      await d.nudge();
      const r = await row();
      if (r.status !== 'pending') return;
      clock.set(new Date(Math.max(r.nextAttemptAt.getTime(), clock.now().getTime() + 1)));
    }
  };

  it.each([
    ['a 5xx', () => new DeliveryError('chat.postMessage: HTTP 503', true)],
    ['a timeout', () => new DeliveryError('chat.postMessage: timeout of 10000ms exceeded', true)],
    ['a network error', () => new Error('connect ECONNREFUSED')],
    ['invalid_auth', () => toDeliveryError(slackRefusal('invalid_auth'), 'chat.postMessage')],
    ['token_revoked', () => toDeliveryError(slackRefusal('token_revoked'), 'chat.postMessage')],
  ])(
    'keeps a message through a day of %s, backing off at most 30 minutes, and delivers it once the platform is back',
    async (_name, failure) => {
      await enqueue(1);
      const sender = new OutageSender(failure);
      const d = store.dispatcher([sender]);
      await ride(d, 24);
      const during = await row();
      expect(during.status).toBe('pending');
      expect(during.attempts).toBeGreaterThan(40); // far past the 20 attempts that used to drop it
      expect(during.nextAttemptAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(30 * 60_000);
      sender.down = false;
      clock.set(during.nextAttemptAt);
      expect(await d.nudge()).toBe(1);
      expect(sender.accepted).toEqual(['m0']);
      expect(await row()).toMatchObject({ status: 'sent', lastError: null });
    },
  );

  it('caps the backoff at 30 minutes however many attempts', () => {
    expect(backoffMs(1)).toBe(2_000);
    expect(backoffMs(11)).toBe(30 * 60_000);
    expect(backoffMs(10_000)).toBe(30 * 60_000);
  });

  it('tells credential and setup errors from refusals of the message', () => {
    const setup = (code: string, method: string) => toDeliveryError(slackRefusal(code), method).setup;
    for (const [method, code] of [
      ['chat.postMessage', 'invalid_auth'],
      ['chat.update', 'token_revoked'],
      ['conversations.open', 'account_inactive'],
      ['files.uploadV2', 'missing_scope'],
    ])
      expect(setup(code!, method!)).toBe(true);
    for (const code of ['channel_not_found', 'invalid_blocks', 'not_in_channel'])
      expect(setup(code, 'chat.postMessage')).toBe(false);
  });

  it('still fails a genuine refusal at once, and still sends a message with a fallback there', async () => {
    await enqueue(1);
    await store.repos.outbox.enqueue(
      [
        {
          platform: 'slack',
          target: { kind: 'channel', id: 'CPRIVATE' },
          message: { text: 'summary', blocks: [] },
          dedupeKey: 'fb',
          fallback: { target: { kind: 'user', id: 'USUP' }, lead: 'Could not post in the channel' },
        },
      ],
      clock.now(),
    );
    const targets: string[] = [];
    const sender: MessageSender = {
      platform: 'slack',
      send: async (t) => {
        targets.push(t.id);
        if (t.id !== 'USUP') throw new DeliveryError('chat.postMessage: channel_not_found', false);
      },
    };
    const d = store.dispatcher([sender]);
    await d.nudge();
    const rows = await store.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.dedupeKey, r.status, r.targetId])).toEqual([
      ['k0', 'failed', 'C1'],
      ['fb', 'sent', 'USUP'],
    ]);
    expect(targets).toEqual(['C1', 'CPRIVATE', 'USUP']);
  });

  it('lists failed rows, counts them, and puts them back in the queue by id or all at once', async () => {
    await enqueue(3);
    const refuse = new OutageSender(() => new DeliveryError('chat.postMessage: channel_not_found', false));
    await store.dispatcher([refuse]).nudge();
    expect(await store.repos.outbox.failedCount()).toBe(3);
    expect(await store.repos.outbox.pendingCount()).toBe(0);
    const failed = await store.repos.outbox.listFailed(10);
    expect(failed.map((f) => [f.dedupeKey, f.platform, f.target, f.attempts, f.lastError])).toEqual([
      ['k0', 'slack', { kind: 'channel', id: 'C1' }, 1, 'chat.postMessage: channel_not_found'],
      ['k1', 'slack', { kind: 'channel', id: 'C1' }, 1, 'chat.postMessage: channel_not_found'],
      ['k2', 'slack', { kind: 'channel', id: 'C1' }, 1, 'chat.postMessage: channel_not_found'],
    ]);
    // The bot was invited to the channel: put one back, then the rest.
    expect(await store.repos.outbox.retryFailed([failed[0]!.id, 99_999], clock.now())).toBe(1);
    const ok = new OutageSender(() => new Error('unused'));
    ok.down = false;
    expect(await store.dispatcher([ok]).nudge()).toBe(1);
    expect(await store.repos.outbox.retryFailed(null, clock.now())).toBe(2);
    expect(await store.repos.outbox.retryFailed(null, clock.now())).toBe(0);
    expect(await store.dispatcher([ok]).nudge()).toBe(2);
    expect(ok.accepted).toEqual(['m0', 'm1', 'm2']);
    expect(await store.repos.outbox.failedCount()).toBe(0);
    // A sent row is never put back.
    expect(await store.repos.outbox.retryFailed([failed[0]!.id], clock.now())).toBe(0);
  });
});
