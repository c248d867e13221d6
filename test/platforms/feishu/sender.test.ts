import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/core/ports.js';
import type { MessageView } from '../../../src/core/views/types.js';
import { FeishuProfiles } from '../../../src/platforms/feishu/profile.js';
import { createFeishuClient, domainOf, FeishuSender, uuidOf } from '../../../src/platforms/feishu/sender.js';
import { CODE_MESSAGE_RECALLED, type FakeFeishu, startFakeFeishu } from '../../support/fake-feishu.js';
import { cardText, TEST_APP_ID } from '../../support/feishu-requests.js';

const MESSAGE: MessageView = {
  text: 'Inspection #1',
  tone: 'success',
  blocks: [
    { kind: 'header', text: 'Inspection #1' },
    { kind: 'text', text: 'All good' },
  ],
};

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

describe('FeishuSender', () => {
  let fake: FakeFeishu;
  let sender: FeishuSender;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    sender = new FeishuSender(createFeishuClient({ appId: TEST_APP_ID, appSecret: 's3cret', domain: fake.url }));
  });
  afterEach(async () => fake.stop());

  it('sends cards to chats by chat_id and to people by open_id, with one tenant token', async () => {
    await sender.send({ kind: 'channel', id: 'oc_ops' }, MESSAGE);
    await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE);
    const sent = fake.sent();
    expect(sent.map((s) => [s.receiveIdType, s.receiveId, s.msgType])).toEqual([
      ['chat_id', 'oc_ops', 'interactive'],
      ['open_id', 'ou_mgr', 'interactive'],
    ]);
    expect(sent[0]!.card).toMatchObject({ schema: '2.0', header: { template: 'green' } });
    expect(cardText(sent[0]!.card)).toContain('All good');
    expect(fake.callsTo('token')).toHaveLength(1);
    expect(fake.callsTo('token')[0]!.body).toEqual({ app_id: TEST_APP_ID, app_secret: 's3cret' });
    expect(fake.callsTo('message.create')[0]!.authorization).toMatch(/^Bearer t-fake/);
  });

  it('does not share tokens between clients of the same app', async () => {
    const other = new FeishuSender(createFeishuClient({ appId: TEST_APP_ID, appSecret: 's3cret', domain: fake.url }));
    await sender.send({ kind: 'user', id: 'ou_a' }, MESSAGE);
    await other.send({ kind: 'user', id: 'ou_a' }, MESSAGE);
    expect(fake.callsTo('token')).toHaveLength(2);
  });

  it('maps a 429 to a retry after x-ogw-ratelimit-reset seconds', async () => {
    fake.fail('message.create', { kind: 'rateLimited', resetSeconds: 52 });
    const e = await failure(sender.send({ kind: 'channel', id: 'oc_ops' }, MESSAGE));
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 52_000 });
    expect(e.message).toContain('429');
    expect(e.message).toContain('99991400');
  });

  it('maps 5xx and the per-chat frequency limit to retries, and what will never work to permanent failures', async () => {
    fake.fail('message.create', { kind: 'serverError', status: 503 });
    expect(await failure(sender.send({ kind: 'channel', id: 'oc' }, MESSAGE))).toMatchObject({ retryable: true });
    fake.fail('message.create', { kind: 'code', code: 230020, msg: 'frequency limit' });
    expect(await failure(sender.send({ kind: 'channel', id: 'oc' }, MESSAGE))).toMatchObject({ retryable: true });
    fake.fail('message.create', { kind: 'code', code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    const out = await failure(sender.send({ kind: 'channel', id: 'oc' }, MESSAGE));
    expect(out).toMatchObject({ retryable: false });
    expect(out.message).toContain('230002 Bot/User can NOT be out of the chat.');
    fake.fail('message.create', { kind: 'code', code: 230025, msg: 'message content too long' });
    expect(await failure(sender.send({ kind: 'channel', id: 'oc' }, MESSAGE))).toMatchObject({ retryable: false });
    // A business error answered with HTTP 200 fails the same way.
    fake.fail('message.create', { kind: 'code', code: 230013, msg: 'user not in scope', status: 200 });
    expect(await failure(sender.send({ kind: 'user', id: 'ou_x' }, MESSAGE))).toMatchObject({ retryable: false });
  });

  it('retries an invalidated token with a fresh one instead of the cached one', async () => {
    await sender.send({ kind: 'user', id: 'ou_a' }, MESSAGE);
    fake.revokeTokens();
    const e = await failure(sender.send({ kind: 'user', id: 'ou_a' }, MESSAGE));
    expect(e).toMatchObject({ retryable: true });
    expect(e.message).toContain('99991663');
    await sender.send({ kind: 'user', id: 'ou_a' }, MESSAGE);
    expect(fake.callsTo('token')).toHaveLength(2);
    expect(fake.sent()).toHaveLength(2);
  });

  it('answers where the card was posted: the chat and the message_id Feishu gave it', async () => {
    const inChat = await sender.send({ kind: 'channel', id: 'oc_ops' }, MESSAGE, 'inspection:1:summary');
    const direct = await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, 'finding:1:v0:card:3');
    const [a, b] = fake.sent();
    expect(inChat).toEqual({ channelId: 'oc_ops', messageId: a!.messageId });
    // A direct message lives in the bot's p2p chat with that person.
    expect(direct).toEqual({ channelId: b!.chatId, messageId: b!.messageId });
    expect(direct).toMatchObject({ channelId: 'oc_p2p_ou_mgr' });
    expect(a!.messageId).not.toBe(b!.messageId);
  });

  it('sends the outbox key as uuid, so a repeated send is dropped by Feishu and answers with the first message', async () => {
    const key = 'finding:12:v3:card:7';
    const first = await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, key);
    const again = await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, key);
    expect(again).toEqual(first);
    expect(fake.sent()).toHaveLength(1);
    const calls = fake.callsTo('message.create');
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.body?.uuid)).toEqual([uuidOf(key), uuidOf(key)]);
    expect(calls[1]!.deduped).toBe(true);
    // A digest of the key: stable, within Feishu's 50 characters, different for different keys.
    expect(uuidOf(key)).toMatch(/^[0-9a-f]{40}$/);
    expect(uuidOf(`digest:7:${'x'.repeat(500)}`).length).toBeLessThanOrEqual(50);
    expect(uuidOf('finding:12:v4:card:7')).not.toBe(uuidOf(key));
    await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, 'finding:12:v4:card:7');
    expect(fake.sent()).toHaveLength(2);
    // Without a key there is nothing to dedupe by.
    await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE);
    expect(fake.callsTo('message.create').at(-1)!.body).not.toHaveProperty('uuid');
  });

  it('delivers once when the answer to a send is lost and the send is tried again', async () => {
    fake.fail('message.create', { kind: 'lostResponse' });
    const lost = await failure(sender.send({ kind: 'channel', id: 'oc_ops' }, MESSAGE, 'inspection:9:summary'));
    expect(lost).toMatchObject({ retryable: true });
    // Feishu did post it; the retry names the same uuid and gets that message back.
    expect(fake.sent()).toHaveLength(1);
    const retried = await sender.send({ kind: 'channel', id: 'oc_ops' }, MESSAGE, 'inspection:9:summary');
    expect(retried).toEqual({ channelId: 'oc_ops', messageId: fake.sent()[0]!.messageId });
    expect(fake.sent()).toHaveLength(1);
  });

  it('updates a posted card in place with PATCH im/v1/messages/:message_id', async () => {
    const ref = (await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, 'k1'))!;
    const next: MessageView = {
      text: 'Finding #1',
      tone: 'warning',
      blocks: [
        { kind: 'header', text: 'Finding #1' },
        { kind: 'text', text: 'Plan submitted' },
      ],
    };
    await sender.update(ref, next);
    const [call] = fake.callsTo('message.patch');
    expect(call).toMatchObject({ method: 'PATCH', path: `/open-apis/im/v1/messages/${ref.messageId}`, status: 200 });
    expect(call!.authorization).toMatch(/^Bearer t-fake/);
    // The content is the Card JSON 2.0 string of the new version, a shared card like the first.
    expect(Object.keys(call!.body!)).toEqual(['content']);
    expect(call!.body!.content).toMatchObject({
      schema: '2.0',
      config: { update_multi: true },
      header: { template: 'orange' },
    });
    expect(cardText(fake.message(ref.messageId)!.current)).toContain('Plan submitted');
    expect(fake.patches().map((p) => p.messageId)).toEqual([ref.messageId]);
    expect(fake.sent()).toHaveLength(1);
  });

  it('maps update failures like sends: rate limits and 5xx retry, an old, recalled or unknown message is permanent', async () => {
    const ref = (await sender.send({ kind: 'user', id: 'ou_mgr' }, MESSAGE, 'k2'))!;
    fake.fail('message.patch', { kind: 'rateLimited', resetSeconds: 7 });
    expect(await failure(sender.update(ref, MESSAGE))).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    fake.fail('message.patch', { kind: 'code', code: 230020, msg: 'frequency limit' });
    expect(await failure(sender.update(ref, MESSAGE))).toMatchObject({ retryable: true });
    fake.fail('message.patch', { kind: 'serverError', status: 502 });
    expect(await failure(sender.update(ref, MESSAGE))).toMatchObject({ retryable: true });
    // Feishu updates messages for 14 days only.
    fake.fail('message.patch', {
      kind: 'code',
      code: 230031,
      msg: 'The message has exceeded the time limit for update.',
    });
    const old = await failure(sender.update(ref, MESSAGE));
    expect(old).toMatchObject({ retryable: false });
    expect(old.message).toContain('230031');
    fake.recall(ref.messageId);
    const recalled = await failure(sender.update(ref, MESSAGE));
    expect(recalled).toMatchObject({ retryable: false });
    expect(recalled.message).toContain(String(CODE_MESSAGE_RECALLED));
    expect(await failure(sender.update({ channelId: 'oc_x', messageId: 'om_gone' }, MESSAGE))).toMatchObject({
      retryable: false,
    });
    expect(fake.patches()).toHaveLength(0);
  });

  it('maps refused connections and timeouts to retries', async () => {
    const closed = new FeishuSender(
      createFeishuClient({ appId: TEST_APP_ID, appSecret: 's', domain: 'http://127.0.0.1:1' }),
    );
    expect(await failure(closed.send({ kind: 'user', id: 'ou_a' }, MESSAGE))).toMatchObject({ retryable: true });

    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer(() => undefined);
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const slow = new FeishuSender(
        createFeishuClient({ appId: TEST_APP_ID, appSecret: 's', domain: url, timeoutMs: 100 }),
      );
      const e = await failure(slow.send({ kind: 'user', id: 'ou_a' }, MESSAGE));
      expect(e).toMatchObject({ retryable: true });
      expect(e.message).toMatch(/timeout|ECONNABORTED|ETIMEDOUT/i);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});

describe('FeishuProfiles', () => {
  let fake: FakeFeishu;
  let profiles: FeishuProfiles;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    profiles = new FeishuProfiles(createFeishuClient({ appId: TEST_APP_ID, appSecret: 's', domain: fake.url }));
  });
  afterEach(async () => fake.stop());

  it('reads the name and time zone by open_id', async () => {
    fake.users.set('ou_wang', { name: '王经理', en_name: 'Manager Wang', time_zone: 'Asia/Shanghai' });
    expect(await profiles.lookup('ou_wang')).toEqual({ displayName: '王经理', timeZone: 'Asia/Shanghai' });
    expect(fake.callsTo('user.get')[0]!.query).toEqual({ user_id_type: 'open_id' });
    fake.users.set('ou_sam', { en_name: 'Sam Lee' });
    expect(await profiles.lookup('ou_sam')).toEqual({ displayName: 'Sam Lee' });
  });

  it('answers null when the user cannot be read', async () => {
    fake.users.set('ou_hidden', 'forbidden');
    expect(await profiles.lookup('ou_hidden')).toBeNull();
    expect(await profiles.lookup('ou_unknown')).toBeNull();
    fake.users.set('ou_blank', { name: '  ' });
    expect(await profiles.lookup('ou_blank')).toBeNull();
    fake.fail('user.get', { kind: 'serverError' });
    fake.users.set('ou_ok', { name: 'OK' });
    expect(await profiles.lookup('ou_ok')).toBeNull();
  });
});

describe('domainOf', () => {
  it('knows Feishu, Lark and base URLs', () => {
    expect(domainOf('http://127.0.0.1:4100/')).toBe('http://127.0.0.1:4100');
    expect(domainOf('feishu')).not.toBe(domainOf('lark'));
  });
});
