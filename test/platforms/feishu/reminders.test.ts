// Reminders on Feishu, exactly once: findings whose rectification plan falls due are swept (by the
// scheduler's runNow with the bot's fixed clock, or an admin's `remind now`), claimed, queued as one digest
// per person, and delivered through the outbox to the fake Feishu OpenAPI, through a 429 and a 500.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidOf } from '../../../src/platforms/feishu/sender.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { buttonLabels, buttonValue, cardOf, inspectOnFeishu, nextCard, press } from '../../support/feishu-flows.js';
import { cardText, formOfCard } from '../../support/feishu-requests.js';

/** Shanghai wall-clock times (UTC+8, no DST) of the week the findings are made in. */
const SH = {
  wed0905: '2026-11-25T01:05:00Z',
  wed1500: '2026-11-25T07:00:00Z',
  wed2000: '2026-11-25T12:00:00Z',
  thu0830: '2026-11-26T00:30:00Z',
  thu0900: '2026-11-26T01:00:00Z',
  thu1100: '2026-11-26T03:00:00Z',
};

describe.each(STORE_BACKENDS)('Feishu reminders on %s', (kind) => {
  let bot: FeishuBot;
  let fire: number;
  let extinguisher: number;

  beforeEach(async () => {
    // Monday 2026-11-23, 10:00 in Shanghai: the manager of 门店A is made responsible for two findings, so
    // their plans are due two working days later, Wednesday 2026-11-25 (reminded from 09:00 that day).
    bot = await startFeishuBot({ kind, env: { DUDAO_REMINDER_CRON: 'off' } });
    fire = await inspectOnFeishu(bot, { desc: '消防通道堵塞' });
    extinguisher = await inspectOnFeishu(bot, { desc: '灭火器过期' });
    await bot.settle();
    bot.fake.clearCalls();
  });
  afterEach(async () => bot.stop());

  const digestRows = () =>
    bot.dudao.db.prisma.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: 'digest:' } },
      orderBy: { id: 'asc' },
    });
  const digestsTo = (openId: string) =>
    bot.sent().filter((s) => s.receiveId === openId && cardText(s.card).includes('整改提醒'));
  const createsTo = (openId: string) => bot.fake.callsTo('message.create').filter((c) => c.body?.receive_id === openId);
  const sweep = () => bot.dudao.reminders.runNow(bot.clock.now());

  it('sends one digest with both due plans once, waiting out a 429 and retrying a 500, and never again', async () => {
    bot.clock.set(SH.wed0905);
    bot.fake.fail('message.create', { kind: 'rateLimited', resetSeconds: 30 });
    bot.fake.fail('message.create', { kind: 'serverError', status: 500 });

    expect(await sweep()).toMatchObject({ findings: 2, reminders: 2, digests: 1 });
    await bot.dudao.dispatcher.nudge();
    const [row] = await digestRows();
    expect(await digestRows()).toHaveLength(1);
    expect(row).toMatchObject({
      platform: 'feishu',
      targetKind: 'user',
      targetId: 'ou_mgr',
      status: 'pending',
      attempts: 0,
    });
    expect(row!.lastError).toContain('HTTP 429');
    expect(digestsTo('ou_mgr')).toHaveLength(0);

    // Not before x-ogw-ratelimit-reset has passed…
    bot.clock.advance(29_000);
    await bot.dudao.dispatcher.nudge();
    expect(createsTo('ou_mgr')).toHaveLength(1);
    // …then a 500, retried after a short backoff.
    bot.clock.advance(1_000);
    await bot.dudao.dispatcher.nudge();
    expect(createsTo('ou_mgr').map((c) => c.status)).toEqual([429, 500]);
    expect((await digestRows())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await digestRows())[0]!.lastError).toContain('HTTP 500');
    expect(digestsTo('ou_mgr')).toHaveLength(0);
    bot.clock.advance(4_000);
    await bot.dudao.dispatcher.nudge();

    // Exactly one digest arrived, naming both findings, with a button for each.
    const arrived = digestsTo('ou_mgr');
    expect(arrived).toHaveLength(1);
    const text = cardText(arrived[0]!.card);
    expect(text).toContain('整改提醒（2）');
    expect(text).toContain(`#${fire}`);
    expect(text).toContain('消防通道堵塞');
    expect(text).toContain(`#${extinguisher}`);
    expect(text).toContain('灭火器过期');
    expect(text.match(/整改计划须在 2026-11-25 前提交/g)).toHaveLength(2);
    expect(buttonLabels(arrived[0]!.card)).toEqual([`#${fire} 提交整改计划`, `#${extinguisher} 提交整改计划`]);
    expect((await digestRows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // Every attempt carried the same uuid, so Feishu itself would drop a repeat.
    expect(new Set(createsTo('ou_mgr').map((c) => c.body?.uuid))).toEqual(new Set([uuidOf(row!.dedupeKey)]));
    expect(await bot.dudao.db.prisma.reminderLog.count()).toBe(2);
    expect(
      (await bot.dudao.db.prisma.finding.findMany({ orderBy: { id: 'asc' } })).map((f) => f.reminderCount),
    ).toEqual([1, 1]);
    // The cards the findings came on were updated in place: they count the reminder too.
    for (const id of [fire, extinguisher])
      expect(cardText((await cardOf(bot, id, 'ou_mgr')).card)).toContain('**验收退回 / 提醒 / 升级**: 0 / 1 / 0');

    // Later sweeps that day find the reminders claimed and add nothing.
    expect(await sweep()).toMatchObject({ reminders: 0, digests: 0 });
    bot.clock.set(SH.wed1500);
    expect(await sweep()).toMatchObject({ reminders: 0, digests: 0 });
    bot.clock.advance(3_600_000);
    await bot.dudao.dispatcher.nudge();
    expect(await digestRows()).toHaveLength(1);
    expect(createsTo('ou_mgr')).toHaveLength(3);
    expect(digestsTo('ou_mgr')).toHaveLength(1);
    expect(bot.sent()).toHaveLength(1);

    // The digest's buttons open the step it asks for.
    const form = nextCard(
      await press(bot, 'ou_mgr', buttonValue(arrived[0]!.card, `#${fire} 提交整改计划`), {
        messageId: arrived[0]!.messageId,
        chatId: arrived[0]!.chatId,
      }),
    );
    expect(formOfCard(form)).toMatchObject({ formType: 'finding.plan', formId: `${fire}:0` });
  });

  it('sends nothing at 20:00 local time, and the next morning one digest per person with all their items', async () => {
    // A third finding, owned by a member of staff.
    const staffId = bot.people.李员工!.id;
    const till = await inspectOnFeishu(bot, { desc: '收银台无人值守', owner: String(staffId) });
    await bot.settle();
    bot.fake.clearCalls();

    // Nobody swept during Wednesday's working hours; at 20:00 the plans are overdue for a reminder, but
    // nobody is reminded outside working hours.
    bot.clock.set(SH.wed2000);
    expect(await sweep()).toMatchObject({ findings: 3, reminders: 0, digests: 0 });
    await bot.settle();
    bot.clock.set(SH.thu0830);
    expect(await sweep()).toMatchObject({ reminders: 0 });
    await bot.settle();
    expect(await digestRows()).toHaveLength(0);
    expect(bot.sent()).toHaveLength(0);

    bot.clock.set(SH.thu0900);
    expect(await sweep()).toMatchObject({ reminders: 3, digests: 2 });
    await bot.settle();
    expect(
      bot
        .sent()
        .map((s) => s.receiveId)
        .sort(),
    ).toEqual(['ou_mgr', 'ou_staff']);
    const [toMgr] = digestsTo('ou_mgr');
    const [toStaff] = digestsTo('ou_staff');
    expect(cardText(toMgr!.card)).toContain('整改提醒（2）');
    expect(cardText(toMgr!.card)).toContain('消防通道堵塞');
    expect(cardText(toMgr!.card)).toContain('灭火器过期');
    expect(cardText(toMgr!.card)).not.toContain('收银台无人值守');
    expect(cardText(toStaff!.card)).toContain('整改提醒（1）');
    expect(cardText(toStaff!.card)).toContain(`#${till}`);
    // The plans were due on Wednesday: on Thursday morning they are late.
    expect(cardText(toStaff!.card)).toContain('整改计划已逾期 1 个工作日未提交（应于 2026-11-25 前提交）');
    expect(buttonLabels(toStaff!.card)).toEqual([`#${till} 提交整改计划`]);

    bot.clock.set(SH.thu1100);
    expect(await sweep()).toMatchObject({ reminders: 0 });
    await bot.settle();
    expect(bot.sent()).toHaveLength(2);
    expect((await digestRows()).map((r) => [r.targetId, r.status])).toEqual([
      ['ou_mgr', 'sent'],
      ['ou_staff', 'sent'],
    ]);
  });

  it('sweeps on an admin’s `remind now`, once, and refuses it to everyone else', async () => {
    bot.clock.set(SH.wed0905);
    const reply = async (openId: string, text: string) => {
      const asked = await bot.say({ openId, text });
      return cardText(bot.sent().find((s) => s.replyTo === asked.messageId)!.card);
    };
    expect(await reply('ou_mgr', '提醒 立即')).toBe('只有管理员可以执行此操作。如需权限请联系管理员。');
    expect(await reply('ou_sup', 'remind now')).toBe('Only admin can do that. Ask an admin if you need access.');
    await bot.settle();
    expect(await bot.dudao.db.prisma.reminderLog.count()).toBe(0);
    expect(await digestRows()).toHaveLength(0);
    expect(bot.sent().filter((s) => s.via === 'create')).toHaveLength(0);

    expect(await reply('ou_admin', 'remind now')).toBe('Reminder sweep done: 2 reminder(s) in 1 message(s) queued.');
    await bot.settle();
    expect(digestsTo('ou_mgr')).toHaveLength(1);
    expect(await reply('ou_admin', 'remind now')).toBe('Reminder sweep done: 0 reminder(s) in 0 message(s) queued.');
    await bot.settle();
    expect(digestsTo('ou_mgr')).toHaveLength(1);
    expect((await digestRows()).map((r) => r.status)).toEqual(['sent']);
  });
});
