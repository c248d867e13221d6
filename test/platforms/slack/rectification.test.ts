// The rectification loop end to end through Slack: the finding card the outbox posts after an inspection,
// its buttons clicked as signed block_actions, the step modals opened with views.open and submitted back,
// cards updated in place with chat.update, notices to whoever must act next, and every refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FakeSlackCall, textOf } from '../../support/fake-slack.js';
import { buildOrg, STANDARD_ORG } from '../../support/org.js';
import { ephemeralAnswer, type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import {
  buttonFor,
  buttonLabels,
  cardVersions,
  clickButton,
  currentCard,
  inspectViaSlack,
  openStep,
} from '../../support/slack-findings.js';
import type { ModalLike } from '../../support/slack-requests.js';

const inputsOf = (modal: ModalLike) =>
  Object.fromEntries((modal.blocks ?? []).filter((b) => b.type === 'input').map((b) => [b.block_id as string, b]));

describe.each(STORE_BACKENDS)('Slack rectification on %s', (kind) => {
  let bot: SlackBot;
  let id: number;

  beforeEach(async () => {
    // Monday 2026-11-23 10:00 in Shanghai (the default FixedClock); no scheduled sweeps in the way.
    bot = await startSlackBot({ kind, people: STANDARD_ORG, env: { DUDAO_REMINDER_CRON: 'off' } });
    await inspectViaSlack(bot, 'USUP', '门店A', [{ item: 'd0i0', desc: 'Fire exit blocked by boxes' }]);
    id = (await bot.dudao.db.prisma.finding.findFirstOrThrow()).id;
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const finding = () => db().finding.findUniqueOrThrow({ where: { id } });
  const person = (name: string) => bot.people[name]!;
  /** Slack calls made from here on. */
  const since = (mark: number) => bot.fake.calls.slice(mark);
  const postsTo = (calls: FakeSlackCall[], channel: string) =>
    calls.filter((c) => c.method === 'chat.postMessage' && c.channel === channel);

  /** Everything a refused or invalid step could have changed. */
  async function snapshot() {
    return {
      finding: await finding(),
      events: await db().findingEvent.count(),
      outbox: await db().outboxMessage.count(),
      refs: await db().messageRef.count(),
    };
  }

  /** Opens the step from the user's card, submits the modal and sends what was queued. */
  async function takeStep(userId: string, step: string, values: Record<string, string>): Promise<string> {
    const modal = await openStep(bot, userId, id, step);
    const r = await bot.submit(userId, modal, values);
    expect(r.status).toBe(200);
    expect(r.json.response_action).toBe('update');
    await bot.settle();
    return textOf(r.json.view);
  }

  const reply = (userId: string, text: string) => ephemeralAnswer(bot, userId, text);

  it('posts the card to the manager; Submit plan opens the modal; the plan is saved and the card updated in place', async () => {
    // The dispatcher posted the card to the manager's DM (by user id, no conversations.open), in Chinese, with the plan button.
    const versions = cardVersions(bot, 'UMGR', id);
    expect(versions).toHaveLength(1);
    const card = versions[0]!;
    expect(card.method).toBe('chat.postMessage');
    expect(card).toMatchObject({ channel: 'DUMGR', body: { channel: 'UMGR' } });
    expect(bot.fake.callsTo('conversations.open')).toHaveLength(0);
    expect(textOf(card.body)).toContain(`新问题 #${id}`);
    expect(textOf(card.body)).toContain('Fire exit blocked by boxes');
    expect(textOf(card.body)).toContain('请制定整改计划');
    const plan = buttonFor(card, 'plan');
    expect(plan).toMatchObject({ value: String(id), text: { text: '提交整改计划' } });
    expect(buttonLabels(card)).toEqual(['提交整改计划', '历史记录']);

    const click = await clickButton(bot, 'UMGR', plan);
    expect(click.status).toBe(200);
    expect(click.responses).toEqual([]);
    const modal = click.modal!;
    expect(modal).toBeDefined();
    expect(JSON.parse(modal.private_metadata!)).toEqual({ t: 'finding.plan', id: `${id}:0`, p: 0 });
    expect(textOf(modal.title)).toBe(`整改计划 #${id}`);
    const inputs = inputsOf(modal);
    expect(Object.keys(inputs)).toEqual(['measures', 'owner', 'deadline', 'support']);
    expect(inputs.measures!.element).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(inputs.measures!.optional).toBe(false);
    expect(inputs.owner!.element.type).toBe('static_select');
    expect(inputs.owner!.element.options.map((o: any) => o.text.text).sort()).toEqual(['李员工', '王经理'].sort());
    expect(inputs.owner!.element.initial_option.value).toBe(String(person('王经理').id));
    expect(inputs.deadline!.element.type).toBe('datepicker');
    expect(inputs.support!.optional).toBe(true);

    const mark = bot.fake.calls.length;
    const saved = await bot.submit('UMGR', modal, {
      measures: '清理消防通道，每日巡查',
      deadline: '2026-11-30',
      support: '需要搬运人手',
    });
    expect(saved.status).toBe(200);
    expect(saved.json.response_action).toBe('update');
    expect(textOf(saved.json.view)).toContain(`已保存。问题 #${id} 当前状态：已提交计划。`);
    const f = await finding();
    expect(f).toMatchObject({
      status: 'planned',
      planMeasures: '清理消防通道，每日巡查',
      planSupport: '需要搬运人手',
      ownerId: null,
      version: 1,
    });
    // The chosen date ends at 18:00 in the owner's zone (Shanghai).
    expect(f.deadline?.toISOString()).toBe('2026-11-30T10:00:00.000Z');

    await bot.settle();
    const after = since(mark);
    // The manager's card changed where it was: same channel and ts, no second post.
    const toManager = after.filter((c) => c.channel === 'DUMGR');
    expect(toManager.map((c) => c.method)).toEqual(['chat.update']);
    expect(toManager[0]!.body).toMatchObject({ channel: 'DUMGR', ts: card.answer!.body.ts });
    expect(textOf(toManager[0]!.body)).toContain('已提交计划');
    expect(textOf(toManager[0]!.body)).toContain('清理消防通道，每日巡查');
    expect(buttonLabels(toManager[0]!)).toEqual(expect.arrayContaining(['更新进度', '提交验收']));

    // The supervisor gets their card (in English, with their buttons) and a notice.
    expect(after.filter((c) => c.method === 'conversations.open')).toHaveLength(0);
    const toSup = postsTo(after, 'DUSUP');
    expect(toSup).toHaveLength(2);
    const supCard = currentCard(bot, 'USUP', id);
    expect(toSup).toContain(supCard);
    expect(textOf(supCard.body)).toContain('plan submitted');
    expect(buttonLabels(supCard)).toEqual(['Extend deadline', 'Reassign', 'History']);
    const notice = toSup.find((c) => c !== supCard)!;
    expect(textOf(notice.body)).toContain(`王经理 submitted a rectification plan for finding #${id}`);
    // Nobody else was written to, and everything queued left the outbox.
    expect(
      after.filter((c) => c.method.startsWith('chat.')).every((c) => c.channel === 'DUMGR' || c.channel === 'DUSUP'),
    ).toBe(true);
    expect((await db().outboxMessage.findMany()).map((r) => r.status)).not.toContain('pending');
  });

  it('runs the whole loop through buttons and modals: plan, progress, acceptance, rejection, resubmission, acceptance', async () => {
    const staff = person('李员工');
    expect(
      await takeStep('UMGR', 'plan', { measures: '清理消防通道', owner: String(staff.id), deadline: '2026-11-30' }),
    ).toContain('已提交计划');
    // The new owner gets a card of their own, with the department's steps.
    expect(cardVersions(bot, 'USTAFF', id).map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(buttonLabels(currentCard(bot, 'USTAFF', id))).toEqual(expect.arrayContaining(['更新进度', '提交验收']));

    const progress = await openStep(bot, 'USTAFF', id, 'progress');
    expect(Object.keys(inputsOf(progress))).toEqual(['percent', 'note']);
    let r = await bot.submit('USTAFF', progress, { percent: '50', note: '已安排专人清理' });
    expect(textOf(r.json.view)).toContain('整改中');
    await bot.settle();
    expect(await finding()).toMatchObject({ status: 'in_progress', progressPercent: 50 });

    let mark = bot.fake.calls.length;
    expect(
      await takeStep('USTAFF', 'submit', { done: '通道已清空', evidence: 'https://example.com/exit.jpg' }),
    ).toContain('待验收');
    expect(
      postsTo(since(mark), 'DUSUP')
        .map((c) => textOf(c.body))
        .join('\n'),
    ).toContain(`李员工 submitted finding #${id} for acceptance`);
    expect(buttonLabels(currentCard(bot, 'USUP', id))).toEqual(expect.arrayContaining(['Accept', 'Reject']));

    // Tuesday: the supervisor rejects with a reason and a new deadline.
    bot.clock.advance(86_400_000);
    const reject = await openStep(bot, 'USUP', id, 'reject');
    expect(inputsOf(reject).deadline!.element.type).toBe('datepicker');
    mark = bot.fake.calls.length;
    r = await bot.submit('USUP', reject, { reason: 'Boxes still stored in the corridor', deadline: '2026-12-04' });
    expect(textOf(r.json.view)).toContain(`Saved. Finding #${id} is now in progress.`);
    const rejected = await finding();
    expect(rejected).toMatchObject({ status: 'in_progress', rejectionCount: 1 });
    expect(rejected.deadline?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    await bot.settle();
    const afterReject = since(mark);
    // The owner's card is updated where it was first posted, and the owner is told why.
    const ownerCards = cardVersions(bot, 'USTAFF', id);
    const lastOwnerCard = ownerCards.at(-1)!;
    expect(afterReject).toContain(lastOwnerCard);
    expect(lastOwnerCard.method).toBe('chat.update');
    expect(lastOwnerCard.body.ts).toBe(ownerCards[0]!.answer!.body.ts);
    expect(textOf(lastOwnerCard.body)).toContain('整改中');
    expect(textOf(lastOwnerCard.body)).toContain('1 / 0 / 0');
    const ownerNotices = postsTo(afterReject, 'DUSTAFF');
    expect(ownerNotices).toHaveLength(1);
    expect(textOf(ownerNotices[0]!.body)).toContain(
      `Sam Supervisor 验收未通过问题 #${id}：Boxes still stored in the corridor。新期限`,
    );
    // The manager's card follows in place; no notice for them.
    expect(afterReject.filter((c) => c.channel === 'DUMGR').map((c) => c.method)).toEqual(['chat.update']);

    expect(await takeStep('USTAFF', 'submit', { done: '走廊杂物已全部清走' })).toContain('待验收');
    mark = bot.fake.calls.length;
    expect(await takeStep('USUP', 'accept', { effect: 'Checked on site' })).toContain(
      `Saved. Finding #${id} is now accepted.`,
    );
    expect(
      postsTo(since(mark), 'DUSTAFF')
        .map((c) => textOf(c.body))
        .join('\n'),
    ).toContain(`Sam Supervisor 已验收通过问题 #${id}，问题关闭。`);

    const done = await finding();
    expect(done).toMatchObject({ status: 'accepted', progressPercent: 100, rejectionCount: 1, nextReminderAt: null });
    expect(done.closedAt).not.toBeNull();
    const events = await db().findingEvent.findMany({ where: { findingId: id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['plan', 'open', 'planned'],
      ['progress', 'planned', 'in_progress'],
      ['submit', 'in_progress', 'submitted'],
      ['reject', 'submitted', 'in_progress'],
      ['submit', 'in_progress', 'submitted'],
      ['accept', 'submitted', 'accepted'],
    ]);
    // Each person's card was posted once and only ever updated after that; all show the end state.
    for (const [user, word] of [
      ['UMGR', '已验收'],
      ['USTAFF', '已验收'],
      ['USUP', 'accepted'],
    ] as const) {
      const versions = cardVersions(bot, user, id);
      expect(versions.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
      expect(new Set(versions.map((c) => (c.method === 'chat.update' ? c.body.ts : c.answer!.body.ts))).size).toBe(1);
      expect(textOf(versions.at(-1)!.body)).toContain(word);
      expect(buttonLabels(versions.at(-1)!)).toHaveLength(1);
    }

    // `/dudao finding <id>` shows the card and the timeline, in order, in the reader's language.
    const shown = await reply('USUP', `finding ${id}`);
    expect(shown).toContain(`Finding #${id} — history`);
    const timeline = shown.split('\n').filter((l) => l.startsWith('- '));
    expect(timeline).toHaveLength(6);
    const steps = [
      '王经理 · Submit plan',
      '李员工 · Update progress',
      '李员工 · Submit for acceptance',
      'Sam Supervisor · Reject',
      '李员工 · Submit for acceptance',
      'Sam Supervisor · Accept',
    ];
    for (const [i, s] of steps.entries()) expect(timeline[i]).toContain(s);
    expect(timeline[3]).toContain('Boxes still stored in the corridor');
    const zh = await reply('UMGR', `问题详情 ${id}`);
    expect(zh).toContain(`问题 #${id} — 历史记录`);
    expect(zh).toContain('验收不通过');
    // The History button on a card answers the same, privately.
    const history = await clickButton(bot, 'UMGR', buttonFor(currentCard(bot, 'UMGR', id), 'history'));
    expect(history.modal).toBeUndefined();
    expect(history.responses).toHaveLength(1);
    expect(history.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(history.responses[0]!.body)).toContain(`问题 #${id} — 历史记录`);
  });

  it('refuses each step to the people who may not take it, privately, without a modal', async () => {
    const before = await snapshot();
    const plan = buttonFor(currentCard(bot, 'UMGR', id), 'plan');
    const refused = async (userId: string, button: { action_id: string; value: string }) => {
      const c = await clickButton(bot, userId, button);
      expect(c.status).toBe(200);
      expect(c.modal).toBeUndefined();
      expect(c.responses).toHaveLength(1);
      expect(c.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      return textOf(c.responses[0]!.body);
    };
    // A member of another department, a member of the same department who is not the owner, and a supervisor.
    expect(await refused('UBOB', plan)).toContain(
      `Only the owner or the department manager or admins can Submit plan for finding #${id}.`,
    );
    expect(await refused('USTAFF', plan)).toContain(
      `只有整改负责人或部门经理或管理员可以对问题 #${id} 执行“提交整改计划”。`,
    );
    expect(await refused('USUP', plan)).toContain(
      `Only the owner or the department manager or admins can Submit plan for finding #${id}.`,
    );
    expect(bot.fake.callsTo('views.open').filter((c) => JSON.stringify(c.body.view).includes('finding.'))).toHaveLength(
      0,
    );
    // Nor may Bob look at another department's finding.
    expect(await refused('UBOB', buttonFor(currentCard(bot, 'UMGR', id), 'history'))).toContain(
      'You can only see findings of your own department.',
    );
    expect(await reply('UBOB', `finding ${id}`)).toContain('You can only see findings of your own department.');
    await bot.settle();
    expect(await snapshot()).toEqual(before);

    // Submitted for acceptance, the manager may not accept it, and the supervisor may not do the department's work.
    await takeStep('UMGR', 'plan', { measures: '清理消防通道', deadline: '2026-11-30' });
    await takeStep('UMGR', 'submit', { done: '已清理' });
    const submitted = await snapshot();
    expect(submitted.finding.status).toBe('submitted');
    const accept = buttonFor(currentCard(bot, 'USUP', id), 'accept');
    expect(await refused('UMGR', accept)).toContain(`只有督导员或管理员可以对问题 #${id} 执行“验收通过”。`);
    expect(await refused('USTAFF', buttonFor(currentCard(bot, 'USUP', id), 'reject'))).toContain(
      `只有督导员或管理员可以对问题 #${id} 执行“验收不通过”。`,
    );
    // The plan button on the manager's older card now meets a finding in another state.
    expect(await refused('USUP', plan)).toContain(
      `Finding #${id} is awaiting acceptance; “Submit plan” is not possible now.`,
    );
    await bot.settle();
    expect(await snapshot()).toEqual(submitted);
  });

  it('answers a forged submission with the refusal and invalid answers on their blocks, saving nothing', async () => {
    const modal = await openStep(bot, 'UMGR', id, 'plan');
    const before = await snapshot();
    const mark = bot.fake.calls.length;

    // Someone who may not plan submits the manager's modal (its private_metadata) as their own.
    const forged = await bot.submit('UBOB', modal, { measures: 'Nothing to see', deadline: '2026-11-30' });
    expect(forged.status).toBe(200);
    expect(forged.json.response_action).toBe('update');
    expect(textOf(forged.json.view)).toContain(
      `Only the owner or the department manager or admins can Submit plan for finding #${id}.`,
    );
    const bySupervisor = await bot.submit('USUP', modal, { measures: 'x', deadline: '2026-11-30' });
    expect(textOf(bySupervisor.json.view)).toContain('Only the owner or the department manager or admins');

    // The manager's own answers: no measures, an owner who is not on the list, a date in the past.
    const bad = await bot.submit('UMGR', modal, { measures: '', owner: '999999', deadline: '2026-11-20' });
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: { measures: '必填。', owner: '请从列表中选择。', deadline: '日期不能早于今天（2026-11-23）。' },
    });
    const blockIds = new Set(Object.keys(inputsOf(modal)));
    for (const key of Object.keys(bad.json.errors)) expect(blockIds.has(key)).toBe(true);
    const noDate = await bot.submit('UMGR', modal, { measures: '清理', deadline: '' });
    expect(noDate.json).toEqual({ response_action: 'errors', errors: { deadline: '请选择日期。' } });

    await bot.settle();
    expect(await snapshot()).toEqual(before);
    expect(since(mark).filter((c) => c.method.startsWith('chat.'))).toEqual([]);

    // The modal still works for the manager afterwards.
    const ok = await bot.submit('UMGR', modal, { measures: '清理', deadline: '2026-11-30' });
    expect(textOf(ok.json.view)).toContain('已保存');
  });

  it('applies a double-submitted step once', async () => {
    const modal = await openStep(bot, 'UMGR', id, 'plan');
    const values = { measures: '清理消防通道', deadline: '2026-11-30' };
    const mark = bot.fake.calls.length;
    const answers = await Promise.all([bot.submit('UMGR', modal, values), bot.submit('UMGR', modal, values)]);
    const texts = answers.map((r) => {
      expect(r.status).toBe(200);
      expect(r.json.response_action).toBe('update');
      return textOf(r.json.view);
    });
    expect(texts.filter((t) => t.includes(`已保存。问题 #${id}`))).toHaveLength(1);
    expect(texts.filter((t) => t.includes(`问题 #${id} 在您填写期间已有变更，本次未保存。`))).toHaveLength(1);
    // A third copy, later, is refused the same way.
    expect(textOf((await bot.submit('UMGR', modal, values)).json.view)).toContain('本次未保存');

    await bot.settle();
    expect(await finding()).toMatchObject({ status: 'planned', version: 1 });
    expect(await db().findingEvent.count({ where: { findingId: id } })).toBe(1);
    const after = since(mark);
    expect(after.filter((c) => c.channel === 'DUMGR').map((c) => c.method)).toEqual(['chat.update']);
    // The supervisor got one card and one notice, not two of each.
    const toSup = postsTo(after, 'DUSUP');
    expect(toSup).toHaveLength(2);
    expect(toSup.filter((c) => cardVersions(bot, 'USUP', id).includes(c))).toHaveLength(1);
  });

  it('lets the supervisor extend the deadline and reassign the finding from their card', async () => {
    await buildOrg(bot.repos, [{ name: '张员工', slack: 'USTAFF2', dept: '门店A', locale: 'zh-CN' }]);
    const zhang = await db().member.findFirstOrThrow({ where: { slackUserId: 'USTAFF2' } });
    const li = person('李员工');
    await takeStep('UMGR', 'plan', { measures: '清理消防通道', owner: String(li.id), deadline: '2026-11-30' });

    // Extend: the current deadline is offered, an earlier one is refused on its field, a later one saved.
    const extend = await openStep(bot, 'USUP', id, 'extend');
    expect(inputsOf(extend).deadline!.element).toMatchObject({ type: 'datepicker', initial_date: '2026-11-30' });
    const early = await bot.submit('USUP', extend, { deadline: '2026-11-27', reason: 'x' });
    expect(early.json).toEqual({
      response_action: 'errors',
      errors: { deadline: 'Choose a date after the current deadline (2026-11-30).' },
    });
    let mark = bot.fake.calls.length;
    const extended = await bot.submit('USUP', extend, { deadline: '2026-12-10', reason: 'Parts on order' });
    expect(textOf(extended.json.view)).toContain('Saved.');
    await bot.settle();
    expect((await finding()).deadline?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    const liNotices = postsTo(since(mark), 'DUSTAFF').filter((c) => !cardVersions(bot, 'USTAFF', id).includes(c));
    expect(liNotices.map((c) => textOf(c.body.blocks))).toEqual([
      expect.stringContaining(`Sam Supervisor 将问题 #${id} 的期限延至`),
    ]);
    expect(textOf(liNotices[0]!.body.blocks)).toContain('Parts on order');

    // Reassign: the new owner gets the card and a notice; the manager's card follows in place.
    const reassign = await openStep(bot, 'USUP', id, 'reassign');
    expect(inputsOf(reassign).owner!.element.options.map((o: any) => o.text.text)).toContain('张员工');
    mark = bot.fake.calls.length;
    const moved = await bot.submit('USUP', reassign, { owner: String(zhang.id), reason: '李员工 on leave' });
    expect(textOf(moved.json.view)).toContain('Saved.');
    await bot.settle();
    expect(await finding()).toMatchObject({ ownerId: zhang.id, status: 'planned' });
    const after = since(mark);
    expect(cardVersions(bot, 'USTAFF2', id).map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(buttonLabels(currentCard(bot, 'USTAFF2', id))).toEqual(expect.arrayContaining(['更新进度', '提交验收']));
    expect(
      postsTo(after, 'DUSTAFF2')
        .map((c) => textOf(c.body.blocks))
        .join('\n'),
    ).toContain(`Sam Supervisor 已将问题 #${id} 的整改负责人改为 张员工。`);
    expect(after.filter((c) => c.channel === 'DUMGR').map((c) => c.method)).toEqual(['chat.update']);
    // The former owner's card shows the new owner, without the steps that are no longer theirs.
    const liCard = currentCard(bot, 'USTAFF', id);
    expect(after).toContain(liCard);
    expect(liCard.method).toBe('chat.update');
    expect(textOf(liCard.body)).toContain('张员工');
    expect(buttonLabels(liCard)).toEqual(['历史记录']);
    // And a step from an old copy of it is refused.
    const old = await clickButton(bot, 'USTAFF', buttonFor(cardVersions(bot, 'USTAFF', id)[0]!, 'progress'));
    expect(old.modal).toBeUndefined();
    expect(textOf(old.responses[0]!.body)).toContain(
      `只有整改负责人或部门经理或管理员可以对问题 #${id} 执行“更新进度”。`,
    );
  });

  it('answers /dudao my and /dudao overdue from the database', async () => {
    const mine = await reply('UMGR', '我的');
    expect(mine).toContain('我的问题');
    expect(mine).toContain(`#${id}`);
    expect(mine).toContain('Fire exit blocked by boxes');
    expect(mine).toContain('尚无期限');
    expect(await reply('UBOB', 'my')).toContain('Nothing waiting for you.');
    expect(await reply('USTAFF', 'my')).toContain('暂无待处理事项。');

    await takeStep('UMGR', 'plan', {
      measures: '清理消防通道',
      owner: String(person('李员工').id),
      deadline: '2026-11-24',
    });
    // The owner changed in the database, so the lists follow.
    expect(await reply('USTAFF', 'my')).toContain(`#${id}`);
    expect(await reply('USUP', 'overdue')).toContain('Nothing is overdue.');

    // Friday: past the deadline.
    bot.clock.set('2026-11-27T02:00:00Z');
    const overdue = await reply('USUP', 'overdue 门店A');
    expect(overdue).toContain('Overdue — 门店A');
    expect(overdue).toContain(`#${id}`);
    expect(overdue).toContain('李员工');
    expect(overdue).toContain('Fire exit blocked by boxes');
    const all = await reply('USUP', 'overdue');
    expect(all).toContain(`#${id}`);
    const zh = await reply('UMGR', '逾期');
    expect(zh).toContain('逾期问题 — 门店A');
    expect(zh).toContain(`#${id}`);
    expect(await reply('UBOB', 'overdue 门店A')).toContain('Only supervisor / admin can do that');
    expect(await reply('USTAFF', '我的')).toContain('⚠');

    // Submitted for acceptance: it waits for the supervisor and is no longer overdue work.
    await takeStep('USTAFF', 'submit', { done: '已清理' });
    const sup = await reply('USUP', 'my');
    expect(sup).toContain('Waiting for your acceptance check');
    expect(sup).toContain(`#${id}`);
    expect(await reply('USUP', 'overdue 门店A')).toContain('Nothing is overdue.');
    const rows = await db().finding.findMany({ where: { status: { in: ['open', 'planned', 'in_progress'] } } });
    expect(rows).toHaveLength(0);
  });
});
