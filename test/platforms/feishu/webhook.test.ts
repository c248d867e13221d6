// POST /feishu/events as the Internet sees it: the URL check, and every way a delivery can be forged,
// aged, garbled or replayed. Refused deliveries change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import {
  encrypt,
  envelope,
  messageEvent,
  post,
  signer,
  TEST_ENCRYPT_KEY,
  urlVerification,
} from '../../support/feishu-requests.js';

describe('the Feishu webhook', () => {
  let bot: FeishuBot;
  beforeEach(async () => {
    bot = await startFeishuBot();
  });
  afterEach(async () => bot.stop());

  /** Nothing happened: no message sent, no member created, no delivery recorded, no draft. */
  async function expectNothingChanged() {
    await bot.dudao.feishu!.idle();
    expect(bot.fake.sent()).toEqual([]);
    expect(await bot.dudao.db.prisma.processedDelivery.count()).toBe(0);
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(0);
    expect(await bot.dudao.db.prisma.member.count()).toBe(Object.keys(bot.people).length);
  }

  it('answers the encrypted URL verification with the challenge', async () => {
    const res = await bot.deliver(urlVerification('ajls384kdjx98XX'), { sign: false });
    expect(res).toMatchObject({ status: 200, json: { challenge: 'ajls384kdjx98XX' } });
  });

  it('refuses a URL verification with the wrong verification token', async () => {
    const res = await bot.deliver(urlVerification('c1', 'not-our-token'), { sign: false });
    expect(res.status).toBe(401);
    expect(res.json.challenge).toBeUndefined();
  });

  const inspect = () => messageEvent({ openId: 'ou_sup', text: 'inspect 门店A', createTime: bot.clock.now() });

  it('refuses a forged signature', async () => {
    expect((await bot.deliver(inspect(), { forged: true })).status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses missing signature headers', async () => {
    expect((await bot.deliver(inspect(), { sign: false })).status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses a delivery signed more than five minutes ago or ahead', async () => {
    const now = Math.floor(bot.clock.now().getTime() / 1000);
    expect((await bot.deliver(inspect(), { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await bot.deliver(inspect(), { timestamp: now + 6 * 60 })).status).toBe(401);
    await expectNothingChanged();
    // Within the window it is fine.
    expect((await bot.deliver(inspect(), { timestamp: now - 4 * 60 })).status).toBe(200);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const raw = '{"encrypt": ';
    const res = await post(bot.url, raw, signer(TEST_ENCRYPT_KEY, bot.clock)(raw));
    expect(res.status).toBe(400);
    await expectNothingChanged();
  });

  it('answers 400 to a body that does not decrypt with the Encrypt Key', async () => {
    const raw = JSON.stringify({ encrypt: encrypt('some other key', inspect()) });
    const res = await post(bot.url, raw, signer(TEST_ENCRYPT_KEY, bot.clock)(raw));
    expect(res.status).toBe(400);
    const junk = JSON.stringify({ encrypt: 'bm90IGNpcGhlcnRleHQ=' });
    expect((await post(bot.url, junk, signer(TEST_ENCRYPT_KEY, bot.clock)(junk))).status).toBe(400);
    await expectNothingChanged();
  });

  it('refuses an unencrypted delivery when an Encrypt Key is configured, even correctly signed', async () => {
    expect((await bot.deliver(inspect(), { encrypt: false })).status).toBe(401);
    expect((await bot.deliver(urlVerification('c2'), { encrypt: false, sign: false })).status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses an event carrying another app’s verification token', async () => {
    const event = messageEvent({ openId: 'ou_sup', text: 'inspect 门店A', token: 'someone-elses-token' });
    expect((await bot.deliver(event)).status).toBe(401);
    await expectNothingChanged();
  });

  it('acks events it does not handle and does nothing', async () => {
    const res = await bot.deliver(envelope('im.chat.member.bot.added_v1', { chat_id: 'oc_x' }));
    expect(res).toMatchObject({ status: 200, json: {} });
    await expectNothingChanged();
  });

  it('handles a re-pushed event once', async () => {
    const event = messageEvent({ openId: 'ou_sup', text: 'help', eventId: 'ev_once' });
    expect((await bot.deliver(event)).status).toBe(200);
    expect((await bot.deliver(event)).status).toBe(200);
    // A re-push is encrypted afresh (new IV) and signed with a new nonce: still the same event.
    expect((await bot.deliver(event, { nonce: 'other-nonce' })).status).toBe(200);
    await bot.dudao.feishu!.idle();
    expect(bot.fake.sent()).toHaveLength(1);
    expect(await bot.dudao.db.prisma.processedDelivery.count()).toBe(1);
  });

  it('ignores messages from bots, its own included', async () => {
    await bot.say({ openId: 'ou_otherbot', text: 'help', senderType: 'app' });
    expect(bot.fake.sent()).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const res = await fetch(bot.url);
    expect(res.status).toBe(405);
  });
});
