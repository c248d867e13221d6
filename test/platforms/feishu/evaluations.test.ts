// A monthly evaluation cycle end to end through Feishu: HR opens it from a chat, the member's card answers
// its button with the self-evaluation form card, the supervisor's form shows the self scores, then the review
// and the acknowledgement; cards PATCHed in place, an invalid answer refused with the card kept as filled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldsOf } from '../../../src/core/views/types.js';
import { CARD_MAX_BYTES } from '../../../src/platforms/feishu/render.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { buttonLabels, buttonValue, nextCard, press } from '../../support/feishu-flows.js';
import { cardElements, cardText, formOfCard, type PostResult } from '../../support/feishu-requests.js';
import { STANDARD_ORG } from '../../support/org.js';

type Json = Record<string, unknown>;
const EVAL_ORG = [
  ...STANDARD_ORG,
  { name: 'Helen HR', slack: 'UHR', feishu: 'ou_hr', role: 'hr' as const, locale: 'en' as const },
];
const toastOf = (res: PostResult) => res.json.toast as { type: string; content: string } | undefined;

describe.each(STORE_BACKENDS)('Feishu evaluations on %s', (kind) => {
  let bot: FeishuBot;

  beforeEach(async () => {
    bot = await startFeishuBot({ kind, people: EVAL_ORG, env: { DUDAO_REMINDER_CRON: 'off' } });
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const participant = (name: string) =>
    db().evaluationParticipant.findFirstOrThrow({ where: { memberId: bot.people[name]!.id } });

  /** A person's card of a participant as it reads now (after every PATCH). */
  async function cardOf(
    participantId: number,
    openId: string,
  ): Promise<{ messageId: string; chatId: string; card: Json }> {
    const member = await db().member.findFirstOrThrow({ where: { feishuOpenId: openId } });
    const ref = await db().messageRef.findUnique({ where: { key: `eval:${participantId}:card:${member.id}` } });
    if (!ref) throw new Error(`${openId} has no card for participant ${participantId}`);
    const message = bot.fake.message(ref.messageId)!;
    return { messageId: ref.messageId, chatId: message.chatId, card: message.current };
  }
  async function pressOn(participantId: number, openId: string, label: string): Promise<PostResult> {
    const mine = await cardOf(participantId, openId);
    return press(bot, openId, buttonValue(mine.card, label), { messageId: mine.messageId, chatId: mine.chatId });
  }
  /** Every score select of a form card at `score`. */
  const scores = (card: Json, score: string) =>
    Object.fromEntries(
      fieldsOf(formOfCard(card))
        .filter((f) => f.id.endsWith('_score'))
        .map((f) => [f.id, score]),
    );

  it('opens a monthly cycle as HR and carries it through self, supervisor (with the self scores), review and acknowledgement', async () => {
    await bot.say({ openId: 'ou_hr', text: 'eval open monthly dept 门店A', chatId: 'oc_hr' });
    await bot.settle();
    const staff = await participant('李员工');

    const mine = await cardOf(staff.id, 'ou_staff');
    expect(cardText(mine.card)).toContain('绩效考核 · 李员工 · 2026-11（月度）');
    expect(buttonLabels(mine.card)).toEqual(['填写自评']);
    const pressed = await pressOn(staff.id, 'ou_staff', '填写自评');
    expect(toastOf(pressed)).toBeUndefined();
    const formCard = nextCard(pressed);
    // The whole form fits one Feishu card.
    expect(Buffer.byteLength(JSON.stringify(formCard))).toBeLessThan(CARD_MAX_BYTES);
    const form = formOfCard(formCard);
    expect(form).toMatchObject({ formType: 'eval.self', formId: `${staff.id}:0` });
    expect(cardElements(formCard, 'select_static')).toHaveLength(11);

    // Invalid: one score out of range; an error toast, the card kept as filled, nothing saved.
    const bad = await bot.submit(
      formCard,
      'ou_staff',
      { ...scores(formCard, '4'), c3_score: '9' },
      { chatId: mine.chatId },
    );
    expect(toastOf(bad)?.type).toBe('error');
    expect(cardText(nextCard(bad))).toContain('请选择 1-5 分。');
    expect(await db().evaluationSubmission.count()).toBe(0);

    const saved = await bot.submit(
      formCard,
      'ou_staff',
      { ...scores(formCard, '3'), c0_note: '还需努力' },
      { chatId: mine.chatId },
    );
    expect(toastOf(saved)).toEqual({ type: 'success', content: '已保存。考核当前阶段：上级评价中。' });
    // The form card turns straight into the member's card of the evaluation (not a bare "saved" line first).
    const answered = cardText(nextCard(saved));
    expect(answered).toContain('已保存。考核当前阶段：上级评价中。');
    expect(answered).toContain('绩效考核 · 李员工 · 2026-11（月度）');
    expect(buttonLabels(nextCard(saved))).toEqual([]);
    bot.fake.clearCalls();
    await bot.settle();
    // The member's card PATCHed in place with the same card; the supervisor gets a card and a notice.
    expect(bot.fake.patches().map((p) => p.messageId)).toContain(mine.messageId);
    const after = (await cardOf(staff.id, 'ou_staff')).card;
    expect(buttonLabels(after)).toEqual([]);
    expect(cardText(after)).toBe(answered.replace('已保存。考核当前阶段：上级评价中。\n', ''));
    expect(
      bot
        .sent()
        .filter((s) => s.receiveId === 'ou_mgr')
        .map((s) => cardText(s.card))
        .join('\n'),
    ).toContain('李员工 已提交自评（2026-11），请填写上级评价。');

    const supCard = nextCard(await pressOn(staff.id, 'ou_mgr', '填写上级评价'));
    expect(cardText(supCard)).toContain('自评：3 — 还需努力');
    const supSaved = await bot.submit(supCard, 'ou_mgr', scores(supCard, '5'), {
      chatId: (await cardOf(staff.id, 'ou_mgr')).chatId,
    });
    expect(toastOf(supSaved)?.content).toContain('待绩效面谈');
    // The supervisor's answer scored the evaluation: their form turns into their card at the new stage, with its next step.
    expect(cardText(nextCard(supSaved))).toContain('绩效考核 · 李员工 · 2026-11（月度）');
    expect(buttonLabels(nextCard(supSaved))).toContain('记录面谈');
    await bot.settle();
    // 30% × 60 + 70% × 100 = 88 on every criterion.
    expect(await participant('李员工')).toMatchObject({ stage: 'review', overallScore: 88, grade: 'A' });

    const reviewCard = nextCard(await pressOn(staff.id, 'ou_mgr', '记录面谈'));
    expect(toastOf(await bot.submit(reviewCard, 'ou_mgr', { plan: '每周复盘', goals: '保持' }))?.type).toBe('success');
    await bot.settle();
    expect(buttonLabels((await cardOf(staff.id, 'ou_staff')).card)).toEqual(['确认', '查看结果']);
    // The result (with its explanation) comes as a card of its own, as Slack answers with an ephemeral message.
    bot.fake.clearCalls();
    expect((await pressOn(staff.id, 'ou_staff', '查看结果')).json.card).toBeUndefined();
    await bot.settle();
    const shown = bot
      .sent()
      .filter((s) => s.receiveId === 'ou_staff')
      .map((s) => cardText(s.card))
      .join('\n');
    expect(shown).toContain('综合得分');
    expect(shown).toContain('每周复盘');
    const ack = await pressOn(staff.id, 'ou_staff', '确认');
    expect(toastOf(ack)).toEqual({ type: 'success', content: '已保存。考核当前阶段：已完成。' });
    await bot.settle();
    expect(await participant('李员工')).toMatchObject({ stage: 'done' });
  });
});
