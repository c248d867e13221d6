// The rectification loop on Feishu, as the people in it meet it: the manager's finding card, its buttons
// answering with form cards, saved steps answering with a toast and the new card, everyone's cards PATCHed
// in place by the outbox, notices to whoever acts next, refusals, and the history. Every request is
// encrypted and signed and goes through the real Lark dispatcher; Feishu's OpenAPI is the fake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/core/views/types.js';
import { fieldsOf } from '../../../src/core/views/types.js';
import { renderCard } from '../../../src/platforms/feishu/render.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import {
  buttonLabels,
  buttonValue,
  cardOf,
  cardRef,
  inspectOnFeishu,
  nextCard,
  press,
  pressOnCard,
  takeStep,
} from '../../support/feishu-flows.js';
import { cardText, formOfCard, type PostResult } from '../../support/feishu-requests.js';

const toastOf = (res: PostResult) => res.json.toast as { type: string; content: string } | undefined;

describe.each(STORE_BACKENDS)('rectification on Feishu on %s', (kind) => {
  let bot: FeishuBot;
  let id: number;
  let mgr: number;

  beforeEach(async () => {
    // Monday 2026-11-23, 10:00 in Shanghai. Scheduled sweeps are off, so that none runs in the middle of a test.
    bot = await startFeishuBot({ kind, env: { DUDAO_REMINDER_CRON: 'off' } });
    mgr = bot.people.王经理!.id;
    id = await inspectOnFeishu(bot, { desc: '消防通道堵塞' });
    await bot.settle();
  });
  afterEach(async () => bot.stop());

  const finding = () => bot.dudao.db.prisma.finding.findUniqueOrThrow({ where: { id } });
  const events = () => bot.dudao.db.prisma.findingEvent.findMany({ where: { findingId: id }, orderBy: { id: 'asc' } });
  const outbox = () => bot.dudao.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
  /** Everything a refused or invalid step must leave as it was: the finding, its history, the outbox, Feishu. */
  async function snapshot() {
    return {
      finding: await finding(),
      events: (await events()).length,
      outbox: (await outbox()).length,
      sent: bot.sent().length,
      patches: bot.fake.patches().length,
    };
  }
  const PLAN = () => ({
    measures: '清理消防通道，每日巡查',
    owner: String(mgr),
    deadline: '2026-11-30 +0800',
    support: '需要保洁支持',
  });

  it('plans from the manager’s card: the form in the callback, a toast and the new card, the card PATCHed in place, the supervisor told', async () => {
    // After the inspection the manager has a direct card for the finding, in Chinese, with the plan button.
    const posted = bot.sent().filter((s) => s.receiveId === 'ou_mgr');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ via: 'create', receiveIdType: 'open_id', msgType: 'interactive' });
    expect(cardText(posted[0]!.card)).toContain(`新问题 #${id}`);
    expect(cardText(posted[0]!.card)).toContain('消防通道堵塞');
    expect(buttonLabels(posted[0]!.card)).toContain('提交整改计划');
    expect(await cardRef(bot, id, 'ou_mgr')).toEqual({ messageId: posted[0]!.messageId, channelId: 'oc_p2p_ou_mgr' });

    // The button answers with the plan form, in place of the card.
    const clicked = await press(bot, 'ou_mgr', buttonValue(posted[0]!.card, '提交整改计划'), {
      messageId: posted[0]!.messageId,
      chatId: posted[0]!.chatId,
    });
    expect(clicked.json.toast).toBeUndefined();
    const formCard = nextCard(clicked);
    const form = formOfCard(formCard);
    expect(form).toMatchObject({
      formType: 'finding.plan',
      formId: `${id}:0`,
      title: `整改计划 #${id}`,
      submitLabel: '提交',
    });
    const field = (fid: string) => fieldsOf(form).find((f) => f.id === fid)!;
    expect(fieldsOf(form).map((f) => [f.id, f.kind, f.required])).toEqual([
      ['measures', 'textarea', true],
      ['owner', 'select', true],
      ['deadline', 'date', true],
      ['support', 'textarea', false],
    ]);
    expect(field('owner').initial).toBe(String(mgr));
    expect(field('owner').options?.map((o) => o.label)).toEqual(expect.arrayContaining(['王经理', '李员工']));
    expect(await bot.dudao.db.prisma.findingEvent.count()).toBe(0);

    // Submitted with the date picker's value as Feishu sends it. (The outbox starts at once: what Feishu
    // received is counted from here.)
    bot.fake.clearCalls();
    const saved = await bot.submit(formCard, 'ou_mgr', PLAN(), { chatId: posted[0]!.chatId });
    expect(toastOf(saved)).toEqual({ type: 'success', content: `已保存。问题 #${id} 当前状态：已提交计划。` });
    const answered = nextCard(saved);
    expect(cardText(answered)).toContain('已提交计划');
    expect(cardText(answered)).toContain('清理消防通道，每日巡查');
    expect(buttonLabels(answered)).toEqual(['提交整改计划', '更新进度', '提交验收', '历史记录']);

    const f = await finding();
    expect(f).toMatchObject({
      status: 'planned',
      planMeasures: '清理消防通道，每日巡查',
      planSupport: '需要保洁支持',
      ownerId: null,
      version: 1,
    });
    // The date ends at 18:00 in the owner's zone (Shanghai).
    expect(f.deadline?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect((await events()).map((e) => [e.action, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ['plan', 'open', 'planned', mgr],
    ]);

    await bot.settle();
    // The manager's card is the same message, updated in place: nothing new is posted to them.
    expect(bot.fake.patches().map((p) => p.messageId)).toEqual([posted[0]!.messageId]);
    expect(bot.sent().filter((s) => s.receiveId === 'ou_mgr')).toHaveLength(0);
    const now = cardText(bot.fake.message(posted[0]!.messageId)!.current);
    expect(now).toContain(`问题 #${id}`);
    expect(now).not.toContain('新问题');
    expect(now).toContain('已提交计划');
    expect(now).toContain('2026-11-30');
    // The supervisor, who found it, gets their own card of the finding and a notice, in English.
    const toSup = bot.sent().filter((s) => s.receiveId === 'ou_sup');
    expect(toSup.map((s) => s.via)).toEqual(['create', 'create']);
    const [supCard, notice] = toSup;
    expect(cardText(supCard!.card)).toContain(`Finding #${id}`);
    // The change is said once, in the notice, not again on top of the card.
    expect(cardText(supCard!.card)).not.toContain('submitted a rectification plan');
    expect(buttonLabels(supCard!.card)).toEqual(['Extend deadline', 'Reassign', 'History']);
    expect(cardText(notice!.card)).toMatch(
      new RegExp(`^王经理 submitted a rectification plan for finding #${id} \\(deadline .*2026.*\\)\\.$`),
    );
    expect(await cardRef(bot, id, 'ou_sup')).toMatchObject({ messageId: supCard!.messageId });
    // Every message went out, each exactly as queued.
    const rows = await outbox();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const mgrRow = rows.find((r) => r.refKey === `finding:${id}:card:${mgr}` && r.updateOnly)!;
    expect(bot.fake.patches()[0]!.card).toEqual(renderCard(JSON.parse(mgrRow.payload) as MessageView));
  });

  it('carries the finding through plan, progress, submit, reject, submit and accept, with a six-event history', async () => {
    expect(toastOf(await takeStep(bot, id, 'ou_mgr', '提交整改计划', PLAN()))?.type).toBe('success');
    await bot.settle();
    // Feishu may hand back a submit button without its value; the button's name still routes the form.
    expect(
      toastOf(
        await takeStep(bot, id, 'ou_mgr', '更新进度', { percent: '50', note: '已清理一半' }, { withValue: false }),
      ),
    ).toEqual({
      type: 'success',
      content: `已保存。问题 #${id} 当前状态：整改中。`,
    });
    await bot.settle();
    bot.fake.clearCalls();
    expect(
      toastOf(
        await takeStep(bot, id, 'ou_mgr', '提交验收', { done: '通道已清空', evidence: 'https://example.com/a.jpg' }),
      )?.type,
    ).toBe('success');
    await bot.settle();
    // The supervisor's card now offers the acceptance check, and a notice asks for it.
    const sup = await cardOf(bot, id, 'ou_sup');
    expect(buttonLabels(sup.card)).toEqual(['Accept', 'Reject', 'Reassign', 'History']);
    expect(
      bot
        .sent()
        .filter((s) => s.receiveId === 'ou_sup')
        .map((s) => cardText(s.card)),
    ).toEqual([`王经理 submitted finding #${id} for acceptance. Please run the acceptance check.`]);
    expect(buttonLabels((await cardOf(bot, id, 'ou_mgr')).card)).toEqual(['历史记录']);

    // A day later the supervisor rejects it with a reason and a new deadline.
    bot.clock.advance(86_400_000);
    bot.fake.clearCalls();
    const rejected = await takeStep(bot, id, 'ou_sup', 'Reject', {
      reason: 'Still blocked at night',
      deadline: '2026-12-04 +0800',
    });
    expect(toastOf(rejected)).toEqual({ type: 'success', content: `Saved. Finding #${id} is now in progress.` });
    expect(await finding()).toMatchObject({ status: 'in_progress', rejectionCount: 1 });
    expect((await finding()).deadline?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    await bot.settle();
    const toMgr = bot.sent().filter((s) => s.receiveId === 'ou_mgr');
    expect(toMgr).toHaveLength(1);
    expect(cardText(toMgr[0]!.card)).toContain(`Sam Supervisor 验收未通过问题 #${id}：Still blocked at night。新期限`);
    expect(buttonLabels((await cardOf(bot, id, 'ou_mgr')).card)).toEqual(['更新进度', '提交验收', '历史记录']);

    expect(toastOf(await takeStep(bot, id, 'ou_mgr', '提交验收', { done: '夜间也已清空' }))?.type).toBe('success');
    await bot.settle();
    bot.fake.clearCalls();
    const accepted = await takeStep(bot, id, 'ou_sup', 'Accept', { effect: 'Verified on site' });
    expect(toastOf(accepted)).toEqual({ type: 'success', content: `Saved. Finding #${id} is now accepted.` });
    await bot.settle();
    expect(
      bot
        .sent()
        .filter((s) => s.receiveId === 'ou_mgr')
        .map((s) => cardText(s.card)),
    ).toEqual([`Sam Supervisor 已验收通过问题 #${id}，问题关闭。`]);
    const closed = (await cardOf(bot, id, 'ou_mgr')).card;
    expect(cardText(closed)).toContain('已验收');
    expect(buttonLabels(closed)).toEqual(['历史记录']);
    expect(closed).toMatchObject({ header: { template: 'green' } });

    const f = await finding();
    expect(f).toMatchObject({
      status: 'accepted',
      progressPercent: 100,
      rejectionCount: 1,
      nextReminderAt: null,
      version: 6,
    });
    expect(f.closedAt).not.toBeNull();
    expect(JSON.parse(f.evidenceUrls)).toEqual(['https://example.com/a.jpg']);
    const sup2 = bot.people['Sam Supervisor']!.id;
    expect((await events()).map((e) => [e.action, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ['plan', 'open', 'planned', mgr],
      ['progress', 'planned', 'in_progress', mgr],
      ['submit', 'in_progress', 'submitted', mgr],
      ['reject', 'submitted', 'in_progress', sup2],
      ['submit', 'in_progress', 'submitted', mgr],
      ['accept', 'submitted', 'accepted', sup2],
    ]);
    // Each person has had one card for the finding all along, updated in place.
    await expect(
      bot.dudao.db.prisma.messageRef.count({ where: { key: { startsWith: `finding:${id}:card:` } } }),
    ).resolves.toBe(2);
    expect((await outbox()).filter((r) => r.status !== 'sent' && r.status !== 'superseded')).toEqual([]);

    // `finding <id>` answers with the card and the timeline, in the reader's language.
    bot.fake.clearCalls();
    const asked = await bot.say({ openId: 'ou_mgr', text: `问题详情 ${id}` });
    const [reply] = bot.sent();
    expect(reply).toMatchObject({ via: 'reply', replyTo: asked.messageId });
    const shown = cardText(reply!.card);
    expect(shown).toContain(`问题 #${id} — 历史记录`);
    const timeline = shown.split('\n').filter((l) => l.startsWith('- '));
    expect(timeline).toHaveLength(6);
    expect(timeline.map((l) => l.replace(/^- [^·]+· /, ''))).toEqual([
      '王经理 · 提交整改计划：待整改 → 已提交计划 — 清理消防通道，每日巡查',
      '王经理 · 更新进度：已提交计划 → 整改中 — 已清理一半',
      '王经理 · 提交验收：整改中 → 待验收 — 通道已清空',
      'Sam Supervisor · 验收不通过：待验收 → 整改中 — Still blocked at night',
      '王经理 · 提交验收：整改中 → 待验收 — 夜间也已清空',
      'Sam Supervisor · 验收通过：待验收 → 已验收 — Verified on site',
    ]);

    // The History button sends the same to whoever pressed it, and leaves the card as it is.
    bot.fake.clearCalls();
    const history = await pressOnCard(bot, id, 'ou_sup', 'History');
    expect(history.json).toEqual({});
    await bot.settle();
    const [sent] = bot.sent();
    expect(sent).toMatchObject({ via: 'create', receiveIdType: 'open_id', receiveId: 'ou_sup' });
    expect(cardText(sent!.card)).toContain(`Finding #${id} — history`);
    expect(cardText(sent!.card)).toContain(
      'Sam Supervisor · Reject: awaiting acceptance → in progress — Still blocked at night',
    );
    expect(bot.fake.patches()).toHaveLength(0);
  });

  it('refuses every step its sender may not take, with an error toast, and changes nothing', async () => {
    const mgrCard = await cardOf(bot, id, 'ou_mgr');
    const planValue = buttonValue(mgrCard.card, '提交整改计划');
    let before = await snapshot();
    // A member of another department presses the plan button (on a forwarded card, say).
    expect((await press(bot, 'ou_bob', planValue)).json).toEqual({
      toast: {
        type: 'error',
        content: `Only the owner or the department manager or admins can Submit plan for finding #${id}.`,
      },
    });
    // A supervisor may not take the department's steps.
    expect((await press(bot, 'ou_sup', planValue)).json).toEqual({
      toast: {
        type: 'error',
        content: `Only the owner or the department manager or admins can Submit plan for finding #${id}.`,
      },
    });
    // Another member of the store is not its owner or manager either.
    expect(toastOf(await press(bot, 'ou_staff', planValue))).toEqual({
      type: 'error',
      content: `只有整改负责人或部门经理或管理员可以对问题 #${id} 执行“提交整改计划”。`,
    });
    await bot.settle();
    expect(await snapshot()).toEqual(before);

    await takeStep(bot, id, 'ou_mgr', '提交整改计划', PLAN());
    await bot.settle();
    await takeStep(bot, id, 'ou_mgr', '提交验收', { done: '通道已清空' });
    await bot.settle();
    before = await snapshot();
    expect(before.finding.status).toBe('submitted');
    // The manager may not judge their own work: not by a forged button…
    expect((await press(bot, 'ou_mgr', { a: 'finding.accept', v: String(id) })).json).toEqual({
      toast: { type: 'error', content: `只有督导员或管理员可以对问题 #${id} 执行“验收通过”。` },
    });
    // …nor by submitting the supervisor's acceptance form.
    const acceptForm = nextCard(await pressOnCard(bot, id, 'ou_sup', 'Accept'));
    expect(formOfCard(acceptForm)).toMatchObject({ formType: 'finding.accept', formId: `${id}:2` });
    expect((await bot.submit(acceptForm, 'ou_mgr', { effect: '我觉得可以' })).json).toEqual({
      toast: { type: 'error', content: `只有督导员或管理员可以对问题 #${id} 执行“验收通过”。` },
    });
    expect((await bot.submit(acceptForm, 'ou_bob', { effect: 'fine' }, { withValue: false })).json).toEqual({
      toast: { type: 'error', content: `Only supervisors or admins can Accept for finding #${id}.` },
    });
    // A supervisor pressing a department step on a finding awaiting acceptance hears why not.
    expect(toastOf(await press(bot, 'ou_sup', { a: 'finding.progress', v: String(id) }))).toEqual({
      type: 'error',
      content: `Finding #${id} is awaiting acceptance; “Update progress” is not possible now.`,
    });
    // Someone from another department may not read it either.
    const asked = await bot.say({ openId: 'ou_bob', text: `finding ${id}` });
    expect(cardText(bot.sent().find((s) => s.replyTo === asked.messageId)!.card)).toBe(
      'You can only see findings of your own department.',
    );
    await bot.settle();
    expect(await snapshot()).toEqual({ ...before, sent: before.sent + 1 });
  });

  it('returns invalid answers as an error toast with the card as filled, and saves nothing', async () => {
    const before = await snapshot();
    const mine = await cardOf(bot, id, 'ou_mgr');
    const formCard = nextCard(
      await press(bot, 'ou_mgr', buttonValue(mine.card, '提交整改计划'), {
        messageId: mine.messageId,
        chatId: mine.chatId,
      }),
    );
    const bad = await bot.submit(formCard, 'ou_mgr', {
      measures: '  ',
      owner: '999999',
      deadline: '2026-11-01 +0800',
      support: '保留的说明',
    });
    expect(toastOf(bad)).toEqual({ type: 'error', content: '有 3 处需要修改。' });
    const again = formOfCard(nextCard(bad));
    expect(again).toMatchObject({ formType: 'finding.plan', formId: `${id}:0` });
    const field = (fid: string) => fieldsOf(again).find((f) => f.id === fid)!;
    expect(field('measures').error).toBe('必填。');
    expect(field('owner').error).toBe('请从列表中选择。');
    expect(field('deadline')).toMatchObject({ initial: '2026-11-01', error: '日期不能早于今天（2026-11-23）。' });
    expect(field('support')).toMatchObject({ initial: '保留的说明' });
    expect(field('support').error).toBeUndefined();
    const far = await bot.submit(nextCard(bad), 'ou_mgr', { ...PLAN(), deadline: '2028-01-01 +0800' });
    expect(toastOf(far)).toEqual({ type: 'error', content: '有 1 处需要修改。' });
    expect(fieldsOf(formOfCard(nextCard(far))).find((f) => f.id === 'deadline')!.error).toBe('请选择一年以内的日期。');
    await bot.settle();
    expect(await snapshot()).toEqual(before);

    // The card that came back is a working form: corrected, it saves.
    const fixed = await bot.submit(nextCard(far), 'ou_mgr', PLAN());
    expect(toastOf(fixed)?.type).toBe('success');
    expect((await finding()).status).toBe('planned');
  });

  it('applies a step submitted twice once, and refuses the copy', async () => {
    const mine = await cardOf(bot, id, 'ou_mgr');
    const formCard = nextCard(
      await press(bot, 'ou_mgr', buttonValue(mine.card, '提交整改计划'), {
        messageId: mine.messageId,
        chatId: mine.chatId,
      }),
    );
    bot.fake.clearCalls();
    const [a, b] = await Promise.all([bot.submit(formCard, 'ou_mgr', PLAN()), bot.submit(formCard, 'ou_mgr', PLAN())]);
    expect([toastOf(a)?.type, toastOf(b)?.type].sort()).toEqual(['error', 'success']);
    const refused = [a, b].find((r) => toastOf(r)?.type === 'error')!;
    expect(refused.json).toEqual({
      toast: { type: 'error', content: `问题 #${id} 在您填写期间已有变更，本次未保存。请重新打开。` },
    });
    expect(toastOf(await bot.submit(formCard, 'ou_mgr', PLAN()))?.type).toBe('error');
    expect(await events()).toHaveLength(1);
    await bot.settle();
    expect(bot.fake.patches()).toHaveLength(1);
    expect(bot.sent().map((s) => s.receiveId)).toEqual(['ou_sup', 'ou_sup']);
  });

  it('delivers a card once when Feishu’s answer to the send is lost, and later updates that one card', async () => {
    // Feishu posts the supervisor's card (the plan's first new message) but its answer never arrives: the
    // row stays pending.
    bot.fake.fail('message.create', { kind: 'lostResponse' });
    await takeStep(bot, id, 'ou_mgr', '提交整改计划', PLAN());
    await bot.settle();
    const supRow = async () =>
      bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({
        where: { refKey: `finding:${id}:card:${bot.people['Sam Supervisor']!.id}` },
        orderBy: { id: 'desc' },
      });
    expect(await supRow()).toMatchObject({ status: 'pending', attempts: 1 });
    const posted = bot.sent().filter((s) => s.receiveId === 'ou_sup');
    expect(posted).toHaveLength(2);
    const card = posted.find((s) => cardText(s.card).includes('Extend deadline'))!;
    expect(await cardRef(bot, id, 'ou_sup')).toBeUndefined();

    // The retry repeats the uuid: Feishu answers with the message it already posted and posts nothing.
    bot.clock.advance(60_000);
    await bot.dudao.dispatcher.nudge();
    expect(await supRow()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(bot.sent().filter((s) => s.receiveId === 'ou_sup')).toHaveLength(2);
    expect(bot.fake.callsTo('message.create').filter((c) => c.deduped)).toHaveLength(1);
    expect(await cardRef(bot, id, 'ou_sup')).toMatchObject({ messageId: card.messageId });

    // So the next step updates that card rather than posting a second one.
    await takeStep(bot, id, 'ou_mgr', '提交验收', { done: '通道已清空' });
    await bot.settle();
    expect(bot.fake.patches().map((p) => p.messageId)).toContain(card.messageId);
    expect(buttonLabels(bot.fake.message(card.messageId)!.current)).toEqual([
      'Accept',
      'Reject',
      'Reassign',
      'History',
    ]);
  });

  it('keeps a card update pending through a rate limit and gives up on a card Feishu no longer holds', async () => {
    const mine = await cardOf(bot, id, 'ou_mgr');
    bot.fake.fail('message.patch', { kind: 'rateLimited', resetSeconds: 20 });
    await takeStep(bot, id, 'ou_mgr', '提交整改计划', PLAN());
    await bot.settle();
    const mgrRow = () =>
      bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({
        where: { refKey: `finding:${id}:card:${mgr}` },
        orderBy: { id: 'desc' },
      });
    expect(await mgrRow()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(cardText(bot.fake.message(mine.messageId)!.current)).toContain('新问题');
    bot.clock.advance(20_000);
    await bot.dudao.dispatcher.nudge();
    expect(await mgrRow()).toMatchObject({ status: 'sent', attempts: 1 });
    expect(cardText(bot.fake.message(mine.messageId)!.current)).toContain('已提交计划');

    // The manager recalled the card: the next version cannot be applied and is not retried.
    bot.fake.recall(mine.messageId);
    await takeStep(bot, id, 'ou_mgr', '更新进度', { percent: '30', note: '开始清理' });
    await bot.settle();
    const failed = await mgrRow();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('230011');
    expect((await finding()).status).toBe('in_progress');
  });
});
