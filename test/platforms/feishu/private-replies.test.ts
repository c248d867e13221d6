// Where Feishu answers go. A private answer to a message typed in a group chat (a refusal, someone's own
// findings, help) goes to the person as a direct message and the group hears only that it was sent; in a
// p2p chat the answer is a reply as before. An answer Feishu does not take at once (429, 5xx, a lost
// acknowledgement) is not lost after its change was saved: it is queued through the outbox as a direct
// message, keyed by the event, and arrives exactly once when the dispatcher runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardText, menuEvent, messageEvent } from '../../support/feishu-requests.js';
import { STANDARD_ORG } from '../../support/org.js';

const GROUP = 'oc_group_ops';
const mention = [{ openId: 'ou_dudao_bot', name: 'dudao' }];

describe.each(STORE_BACKENDS)('Feishu private answers on %s', (kind) => {
  let bot: FeishuBot;
  beforeEach(async () => {
    bot = await startFeishuBot({ kind, people: STANDARD_ORG });
  });
  afterEach(async () => bot.stop());

  const inGroup = (openId: string, text: string) =>
    bot.say({ openId, chatType: 'group', chatId: GROUP, text: `@_user_1 ${text}`, mentions: mention });

  it('sends a private answer typed in a group to the person, and only a pointer to the group', async () => {
    const asked = await inGroup('ou_staff', 'inspect 门店A');
    const sent = bot.sent();
    expect(sent).toHaveLength(2);
    const dm = sent.find((s) => s.via === 'create')!;
    expect(dm).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_staff', chatId: 'oc_p2p_ou_staff' });
    expect(cardText(dm.card)).toContain('只有督导员 / 管理员可以执行此操作。');
    const pointer = sent.find((s) => s.via === 'reply')!;
    expect(pointer).toMatchObject({ replyTo: asked.messageId });
    expect(cardText(pointer.card)).toContain('已私信发给您');
    // Nothing of the answer itself reaches the group.
    expect(cardText(pointer.card)).not.toContain('督导员');
    expect(sent.filter((s) => s.chatId === GROUP || s.replyTo === asked.messageId)).toEqual([pointer]);

    // The pointer is in the reader's language.
    bot.fake.clearCalls();
    await inGroup('ou_bob', 'my');
    const [bobDm, bobPointer] = [
      bot.sent().find((s) => s.via === 'create')!,
      bot.sent().find((s) => s.via === 'reply')!,
    ];
    expect(bobDm).toMatchObject({ receiveId: 'ou_bob' });
    expect(cardText(bobDm.card)).toContain('My findings');
    expect(cardText(bobPointer.card)).toContain('Sent to you in a direct message');
  });

  it('keeps answering in a p2p chat with a reply to the message', async () => {
    const asked = await bot.say({ openId: 'ou_staff', text: 'inspect 门店A' });
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ via: 'reply', replyTo: asked.messageId });
    expect(cardText(sent[0]!.card)).toContain('只有督导员 / 管理员可以执行此操作。');
  });

  it('answers a re-pushed group event once', async () => {
    const event = messageEvent({
      openId: 'ou_bob',
      chatType: 'group',
      chatId: GROUP,
      text: '@_user_1 help',
      mentions: mention,
      createTime: bot.clock.now(),
    });
    await bot.deliver(event);
    await bot.deliver(event);
    await bot.settle();
    expect(
      bot
        .sent()
        .map((s) => s.via)
        .sort(),
    ).toEqual(['create', 'reply']);
  });

  it('queues an answer Feishu rate-limited as a direct message, which arrives once after the change was saved', async () => {
    bot.fake.fail('message.reply', { kind: 'rateLimited', resetSeconds: 1 });
    await bot.say({ openId: 'ou_admin', text: 'dept add 门店C' });
    // The department exists, the answer did not arrive.
    expect(await bot.dudao.db.prisma.department.count({ where: { name: '门店C' } })).toBe(1);
    expect(bot.fake.callsTo('message.reply').map((c) => c.status)).toEqual([429]);
    expect(bot.sent()).toEqual([]);
    const queued = await bot.dudao.db.prisma.outboxMessage.findMany();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ platform: 'feishu', status: 'pending' });
    expect(
      bot.logs().find((l) => l.msg === 'the answer could not be sent now; queued as a direct message'),
    ).toMatchObject({ level: 40, surface: 'feishu-message' });

    await bot.settle();
    await bot.settle();
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ via: 'create', receiveIdType: 'open_id', receiveId: 'ou_admin' });
    expect(cardText(sent[0]!.card)).toMatch(/门店C/);
    expect((await bot.dudao.db.prisma.outboxMessage.findMany()).map((r) => r.status)).toEqual(['sent']);
  });

  it('does not post twice when Feishu took the answer but the acknowledgement was lost', async () => {
    bot.fake.fail('message.reply', { kind: 'lostResponse' });
    await bot.say({ openId: 'ou_admin', text: 'dept add 门店D' });
    expect(bot.sent()).toHaveLength(1);
    await bot.settle();
    // The queued direct message carries the reply's uuid, so Feishu answers with the first message.
    expect(bot.sent()).toHaveLength(1);
    expect(bot.fake.callsTo('message.create').filter((c) => c.deduped)).toHaveLength(1);
    expect((await bot.dudao.db.prisma.outboxMessage.findMany()).map((r) => r.status)).toEqual(['sent']);
  });

  it('queues a private group answer whose direct message failed with a 5xx', async () => {
    bot.fake.fail('message.create', { kind: 'serverError', status: 503 });
    await inGroup('ou_staff', 'inspect 门店A');
    expect(bot.sent().map((s) => s.via)).toEqual(['reply']);
    await bot.settle();
    const dms = bot.sent().filter((s) => s.via === 'create');
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_staff' });
    expect(cardText(dms[0]!.card)).toContain('只有督导员 / 管理员可以执行此操作。');
  });

  it('sends a bot menu answer to the person, queued when Feishu rate-limits it', async () => {
    bot.fake.fail('message.create', { kind: 'rateLimited', resetSeconds: 1 });
    await bot.deliver(menuEvent({ openId: 'ou_sup', eventKey: 'status', createTime: bot.clock.now() }));
    await bot.dudao.feishu!.idle();
    expect(bot.sent()).toEqual([]);
    await bot.settle();
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ via: 'create', receiveIdType: 'open_id', receiveId: 'ou_sup' });
    expect(cardText(sent[0]!.card)).toContain('Status — all departments');
  });
});
