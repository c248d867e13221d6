// SlackSender and SlackProfiles against the fake Web API: what Slack receives, and how failures map to
// the outbox's retry-or-give-up decision.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/core/ports.js';
import type { MessageView } from '../../../src/core/views/types.js';
import { SlackProfiles } from '../../../src/platforms/slack/profile.js';
import { createSlackWebClient, SlackSender, toDeliveryError } from '../../../src/platforms/slack/sender.js';
import { FakeSlack } from '../../support/fake-slack.js';

const message: MessageView = {
  text: 'Inspection #1 — 门店A',
  blocks: [
    { kind: 'header', text: 'Inspection #1 — 门店A' },
    { kind: 'text', text: '*Overall* 93.3' },
  ],
};

let fake: FakeSlack;
let sender: SlackSender;
let profiles: SlackProfiles;

beforeAll(async () => {
  fake = await FakeSlack.start({
    users: [
      { id: 'UZH', name: 'wang', realName: '王经理', displayName: '老王', tz: 'Asia/Shanghai', locale: 'zh-CN' },
      { id: 'UEN', name: 'sam', realName: 'Sam Lee', tz: 'Europe/London', locale: 'en-US' },
      { id: 'UFR', name: 'zoe', locale: 'fr-FR' },
    ],
  });
  // No trailing slash on purpose: the client must add it.
  const client = createSlackWebClient('xoxb-sender-test', `${fake.url}/api`);
  sender = new SlackSender(client);
  profiles = new SlackProfiles(client);
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const failure = async (p: Promise<unknown>): Promise<DeliveryError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
};

describe('SlackSender', () => {
  it('posts to a channel with rendered blocks and the bot token', async () => {
    await sender.send({ kind: 'channel', id: 'C0OPS' }, message);
    const [call] = fake.callsTo('chat.postMessage');
    expect(call!.token).toBe('xoxb-sender-test');
    expect(call!.body).toMatchObject({ channel: 'C0OPS', text: 'Inspection #1 — 门店A' });
    expect(call!.body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Inspection #1 — 门店A', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Overall* 93.3' } },
    ]);
  });

  it('posts a direct message with the user id as the channel and keeps the DM channel Slack answers with', async () => {
    const ref = await sender.send({ kind: 'user', id: 'UDM1' }, message);
    expect(ref).toEqual({ channelId: 'DUDM1', messageId: expect.stringMatching(/^\d+\.\d+$/) });
    await sender.send({ kind: 'user', id: 'UDM1' }, message);
    expect(fake.callsTo('conversations.open')).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['UDM1', 'UDM1']);
    // chat.update names the DM channel, not the user.
    await sender.update(ref, { text: 'v2', blocks: [] });
    expect(fake.callsTo('chat.update')[0]!.body).toMatchObject({ channel: 'DUDM1', ts: ref.messageId });
  });

  it('updates a posted message in place', async () => {
    const ref = await sender.send({ kind: 'channel', id: 'C0OPS' }, message);
    await sender.update(ref, { text: 'closed', blocks: [{ kind: 'text', text: '~open~ closed' }] });
    expect(fake.callsTo('chat.update')[0]!.body).toMatchObject({
      channel: 'C0OPS',
      ts: ref.messageId,
      text: 'closed',
      blocks: [{ type: 'section' }],
    });
    fake.failNext('chat.update', { kind: 'error', error: 'message_not_found' });
    expect(await failure(sender.update(ref, message))).toMatchObject({ retryable: false });
    fake.failNext('chat.update', { kind: 'ratelimited', retryAfterSec: 3 });
    expect(await failure(sender.update(ref, message))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it('turns a 429 into a retryable error that carries Retry-After', async () => {
    fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfterSec: 7 });
    const e = await failure(sender.send({ kind: 'channel', id: 'C1' }, message));
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    // The client did not retry on its own: the outbox decides when.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it.each([500, 502, 503])('retries HTTP %i later', async (status) => {
    fake.failNext('chat.postMessage', { kind: 'http', status });
    expect(await failure(sender.send({ kind: 'channel', id: 'C1' }, message))).toMatchObject({
      retryable: true,
      retryAfterMs: undefined,
    });
  });

  it.each(['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'is_archived', 'invalid_blocks'])(
    'gives up on %s',
    async (code) => {
      fake.failNext('chat.postMessage', { kind: 'error', error: code });
      const e = await failure(sender.send({ kind: 'channel', id: 'C1' }, message));
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(code);
    },
  );

  it('gives up on a direct message to an unknown user, retries when Slack is down', async () => {
    // Slack answers channel_not_found for a user id it cannot open a DM with.
    fake.failNext('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    expect(await failure(sender.send({ kind: 'user', id: 'UGONE' }, message))).toMatchObject({ retryable: false });
    fake.failNext('chat.postMessage', { kind: 'error', error: 'internal_error' });
    expect(await failure(sender.send({ kind: 'user', id: 'UGONE2' }, message))).toMatchObject({ retryable: true });
    expect(fake.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['UGONE', 'UGONE2']);
  });

  it('retries network failures and timeouts', async () => {
    const closed = await FakeSlack.start();
    const url = closed.apiUrl;
    await closed.close();
    const offline = new SlackSender(createSlackWebClient('xoxb-x', url));
    expect(await failure(offline.send({ kind: 'channel', id: 'C1' }, message))).toMatchObject({ retryable: true });
    const timeout = new webApi.WebAPIRequestError(
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    );
    expect(toDeliveryError(timeout, 'chat.postMessage')).toMatchObject({ retryable: true });
  });
});

describe('SlackProfiles', () => {
  it('reads name, language and time zone, asking for the locale', async () => {
    expect(await profiles.lookup('UZH')).toEqual({ displayName: '老王', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(fake.callsTo('users.info')[0]!.body).toMatchObject({ user: 'UZH', include_locale: 'true' });
    expect(await profiles.lookup('UEN')).toEqual({ displayName: 'Sam Lee', locale: 'en', timeZone: 'Europe/London' });
    // A language dudao does not speak leaves the default to the caller.
    expect(await profiles.lookup('UFR')).toEqual({ displayName: 'zoe' });
  });

  it('answers null for unknown users and a missing scope', async () => {
    expect(await profiles.lookup('UNOBODY')).toBeNull();
    fake.failNext('users.info', { kind: 'error', error: 'missing_scope' });
    expect(await profiles.lookup('UZH')).toBeNull();
  });
});
