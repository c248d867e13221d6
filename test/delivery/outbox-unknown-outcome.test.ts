// A Slack post whose outcome is unknown (the process died during it, or it timed out) is not posted twice:
// the post carries the row's key as message metadata, and the next attempt looks for it in the conversation
// (conversations.history since the first attempt) before posting. Where the workspace did not grant the
// history scope the message is sent again, and the log says once per conversation that it is at-least-once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedOutboxItem, OutboxItem } from '../../src/core/ports.js';
import { createSlackWebClient, SlackSender } from '../../src/platforms/slack/sender.js';
import { FakeSlack } from '../support/fake-slack.js';
import { useOutboxStore } from '../support/outbox.js';

const toChannel = (n: number, channel = 'C1'): OutboxItem => ({
  platform: 'slack',
  target: { kind: 'channel', id: channel },
  message: { text: `m${n}`, blocks: [] },
  dedupeKey: `k${n}`,
});
const toPerson = (n: number): OutboxItem => ({
  platform: 'slack',
  target: { kind: 'user', id: 'U7' },
  message: { text: `m${n}`, blocks: [] },
  dedupeKey: `k${n}`,
});

describe('Slack posts with no known outcome', () => {
  const store = useOutboxStore();
  const { clock } = store;
  let fake: FakeSlack;
  let sender: SlackSender;
  const warnings: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
  const logger = {
    info: () => undefined,
    error: () => undefined,
    warn: (obj: object, msg?: string) => void warnings.push({ obj: obj as Record<string, unknown>, msg }),
  };
  /** A live process; claims of instances with no heartbeat row are free at once. */
  const live = {
    claimant: (now: Date) => ({ id: 'live', staleBefore: new Date(now.getTime() - 6_000) }),
    mayHold: () => true,
  };
  const dispatcher = () => store.dispatcher([sender], { logger, instance: live });

  beforeEach(async () => {
    fake = await FakeSlack.start();
    sender = new SlackSender(createSlackWebClient('xoxb-test', fake.apiUrl));
    warnings.length = 0;
  });
  afterEach(async () => fake.close());

  /** Process "dead" claims the rows, records each attempt and dies: after posting it (`posted`) or before. */
  async function dieDuring(items: OutboxItem[], posted: boolean): Promise<ClaimedOutboxItem[]> {
    await store.repos.outbox.enqueue(items, clock.now());
    const claimed = await store.repos.outbox.claimDue(clock.now(), 50, 60_000, ['slack'], {
      id: 'dead',
      staleBefore: new Date(clock.now().getTime() - 6_000),
    });
    for (const row of claimed) {
      expect(await store.repos.outbox.markAttempt(row.id, clock.now(), row.lease)).toBe(true);
      if (posted) await sender.send(row.target, row.message, row.dedupeKey);
    }
    clock.advance(1_000);
    return claimed;
  }
  const copies = (key: string) => fake.messages().filter((m) => m.metadata?.event_payload?.key === key).length;

  it('posts each message with its key as metadata', async () => {
    await store.repos.outbox.enqueue([toChannel(1)], clock.now());
    expect(await dispatcher().nudge()).toBe(1);
    expect(fake.messages()).toEqual([
      expect.objectContaining({
        channel: 'C1',
        text: 'm1',
        metadata: { event_type: 'dudao_outbox', event_payload: { key: 'k1' } },
      }),
    ]);
    // An attempt with a known outcome needs no lookup.
    expect(fake.callsTo('conversations.history')).toHaveLength(0);
  });

  it('finds a message posted just before the process died and does not post it again', async () => {
    await dieDuring([toChannel(1), toChannel(2)], true);
    expect(await dispatcher().nudge()).toBe(2);
    expect([copies('k1'), copies('k2')]).toEqual([1, 1]);
    const lookup = fake.callsTo('conversations.history')[0]!.body;
    expect(lookup).toMatchObject({ channel: 'C1', include_all_metadata: 'true' });
    // Since the first attempt (less a margin for clocks), not the whole history.
    expect(Number(lookup.oldest)).toBeGreaterThan(clock.now().getTime() / 1000 - 120);
    expect(await store.db.prisma.outboxMessage.findMany({ select: { status: true } })).toEqual([
      { status: 'sent' },
      { status: 'sent' },
    ]);
  });

  it('posts a message whose attempt died before it reached Slack, once', async () => {
    await dieDuring([toChannel(1)], false);
    expect(await dispatcher().nudge()).toBe(1);
    expect(copies('k1')).toBe(1);
  });

  it('looks in the person’s direct message for a message to a person', async () => {
    await dieDuring([toPerson(1)], true);
    expect(await dispatcher().nudge()).toBe(1);
    expect(copies('k1')).toBe(1);
    expect(fake.callsTo('conversations.history')[0]!.body.channel).toBe('DU7');
  });

  it('sends again where the history scope was not granted, and says once per channel that delivery there is at-least-once', async () => {
    fake.refuse('conversations.history', 'missing_scope');
    await dieDuring([toChannel(1), toChannel(2), toChannel(3, 'C2')], true);
    expect(await dispatcher().nudge()).toBe(3);
    expect([copies('k1'), copies('k2'), copies('k3')]).toEqual([2, 2, 2]);
    const atLeastOnce = warnings.filter((w) => w.msg?.includes('at-least-once'));
    expect(atLeastOnce.map((w) => w.obj.channel)).toEqual(['C1', 'C2']);
    expect(atLeastOnce[0]!.obj.reason).toContain('missing_scope');
  });

  it('looks before retrying a post that failed with no answer (a 5xx), not one Slack refused (a 429)', async () => {
    await store.repos.outbox.enqueue([toChannel(1), toChannel(2, 'C2')], clock.now());
    fake.failNext('chat.postMessage', { kind: 'http', status: 503 });
    fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfterSec: 1 });
    const d = dispatcher();
    expect(await d.nudge()).toBe(0);
    clock.advance(5_000);
    expect(await d.nudge()).toBe(2);
    expect([copies('k1'), copies('k2')]).toEqual([1, 1]);
    expect(fake.callsTo('conversations.history').map((c) => c.body.channel)).toEqual(['C1']);
  });

  it('records a card found after a crash, so that its next version updates it in place', async () => {
    const refs = store.repos.messageRefs;
    await dieDuring([{ ...toChannel(1), refKey: 'card' }], true);
    const d = store.dispatcher([sender], { logger, instance: live, refs });
    expect(await d.nudge()).toBe(1);
    await store.repos.outbox.enqueue([{ ...toChannel(2), refKey: 'card' }], clock.now());
    expect(await d.nudge()).toBe(1);
    expect(fake.messages()).toHaveLength(1);
    expect(fake.callsTo('chat.update')[0]!.body).toMatchObject({
      channel: 'C1',
      ts: fake.messages()[0]!.ts,
      text: 'm2',
    });
  });
});
