// Commands on Feishu as people meet them: refusals and help in their language, the bot menu, first
// contact, and what an unexpected failure looks like (to the user and in the log).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardAction, cardText, formOfCard, menuEvent } from '../../support/feishu-requests.js';
import { passAll } from '../../support/forms.js';
import { STANDARD_ORG } from '../../support/org.js';

describe.each(STORE_BACKENDS)('Feishu commands on %s', (kind) => {
  let bot: FeishuBot;
  beforeEach(async () => {
    bot = await startFeishuBot({
      kind,
      people: [...STANDARD_ORG, { name: '赵督导', feishu: 'ou_zhao', role: 'supervisor', locale: 'zh-CN' }],
    });
  });
  afterEach(async () => bot.stop());

  /** The text of the one card the bot answered with. */
  async function answer(openId: string, text: string): Promise<string> {
    bot.fake.clearCalls();
    await bot.say({ openId, text });
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.via).toBe('reply');
    return cardText(sent[0]!.card);
  }

  it('names the known departments when the department is unknown, in the member’s language', async () => {
    const en = await answer('ou_sup', 'inspect Nowhere');
    expect(en).toContain('There is no department “Nowhere”. Known departments:');
    expect(en).toContain('门店A');
    const zh = await answer('ou_zhao', '检查 不存在');
    expect(zh).toContain('找不到部门“不存在”。现有部门：');
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(0);
  });

  it('tells a member without permission who may do it', async () => {
    expect(await answer('ou_staff', 'inspect 门店A')).toContain('只有督导员 / 管理员可以执行此操作。');
    expect(await answer('ou_bob', 'inspect 门店A')).toContain('Only supervisor / admin can do that.');
    expect(await bot.dudao.db.prisma.inspectionDraft.count()).toBe(0);
  });

  it('answers an unknown command with the nearest one', async () => {
    const en = await answer('ou_sup', 'inspekt 门店A');
    expect(en).toContain('I did not understand');
    expect(en).toContain('inspect');
    const zh = await answer('ou_staff', '状太');
    expect(zh).toContain('无法识别“状太”');
  });

  it('registers a first-time user from the contact API and answers in the default language', async () => {
    bot.fake.users.set('ou_newbie', { name: '新同事', time_zone: 'Asia/Tokyo' });
    const text = await answer('ou_newbie', 'help');
    expect(text).toContain('督导机器人命令');
    const member = await bot.dudao.db.prisma.member.findFirstOrThrow({ where: { feishuOpenId: 'ou_newbie' } });
    expect(member).toMatchObject({ displayName: '新同事', timeZone: 'Asia/Tokyo', locale: 'zh-CN', role: 'member' });
  });

  it('still answers someone whose profile it may not read', async () => {
    bot.fake.users.set('ou_hidden', 'forbidden');
    expect(await answer('ou_hidden', 'help')).toContain('督导机器人命令');
    expect(await bot.dudao.db.prisma.member.findFirstOrThrow({ where: { feishuOpenId: 'ou_hidden' } })).toMatchObject({
      displayName: 'ou_hidden',
    });
  });

  it('turns a bot menu click into the command and sends the answer to the person', async () => {
    const res = await bot.deliver(menuEvent({ openId: 'ou_sup', eventKey: 'status', createTime: bot.clock.now() }));
    expect(res).toMatchObject({ status: 200, json: {} });
    await bot.dudao.feishu!.idle();
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ via: 'create', receiveIdType: 'open_id', receiveId: 'ou_sup' });
    expect(cardText(sent[0]!.card)).toContain('Status — all departments');

    // Underscores in event keys stand for spaces.
    await bot.deliver(menuEvent({ openId: 'ou_zhao', eventKey: 'dept_list', createTime: bot.clock.now() }));
    await bot.dudao.feishu!.idle();
    expect(cardText(bot.sent()[1]!.card)).toContain('门店A');
  });

  it('answers a button of an old card with the expired notice, in the member’s language', async () => {
    const res = await bot.deliver(
      cardAction({ openId: 'ou_zhao', action: { tag: 'button', value: { key: 'approve' }, name: 'approve_btn' } }),
    );
    expect(res.json.toast).toMatchObject({ type: 'error' });
    expect(String((res.json.toast as { content: string }).content)).toContain('该检查表已提交或已过期');
  });

  it('shows an unexpected failure with a reference that is in the log, and changes nothing', async () => {
    await bot.dudao.db.prisma.$executeRawUnsafe('ALTER TABLE "InspectionDraft" RENAME TO "InspectionDraft_away"');
    try {
      const en = await answer('ou_sup', 'inspect 门店A');
      const ref = /Reference: ([0-9a-f]{8})/.exec(en)?.[1];
      expect(en).toContain('Something went wrong on our side. Nothing was changed.');
      expect(ref).toBeDefined();
      expect(bot.logs().find((l) => l.ref === ref)).toMatchObject({
        level: 50,
        msg: 'unexpected error',
        surface: 'feishu-message',
      });

      const zh = await answer('ou_zhao', '检查 门店A');
      const zref = /参考编号：([0-9a-f]{8})/.exec(zh)?.[1];
      expect(zh).toContain('系统出错，未做任何更改。');
      expect(bot.logs().some((l) => l.ref === zref)).toBe(true);
    } finally {
      await bot.dudao.db.prisma.$executeRawUnsafe('ALTER TABLE "InspectionDraft_away" RENAME TO "InspectionDraft"');
    }
  });

  it('shows an unexpected failure on a card submission as an error toast with a reference', async () => {
    await bot.say({ openId: 'ou_zhao', text: '检查 门店A' });
    const card = bot.sent()[0]!.card;
    await bot.dudao.db.prisma.$executeRawUnsafe('ALTER TABLE "InspectionDraft" RENAME TO "InspectionDraft_away"');
    try {
      const res = await bot.submit(card, 'ou_zhao', passAll(formOfCard(card)));
      expect(res.status).toBe(200);
      const toast = res.json.toast as { type: string; content: string };
      expect(toast.type).toBe('error');
      const ref = /参考编号：([0-9a-f]{8})/.exec(toast.content)?.[1];
      expect(bot.logs().find((l) => l.ref === ref)).toMatchObject({ surface: 'feishu-card' });
    } finally {
      await bot.dudao.db.prisma.$executeRawUnsafe('ALTER TABLE "InspectionDraft_away" RENAME TO "InspectionDraft"');
    }
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
  });
});
