// A monthly evaluation cycle end to end through Slack: HR opens it with the slash command, the member's DM
// card opens the self-evaluation modal, the supervisor's card opens theirs with the self scores beside each
// criterion, then the review and the acknowledgement; cards are updated in place (chat.update) and invalid
// answers come back as inline errors with nothing saved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FakeSlackCall, textOf } from '../../support/fake-slack.js';
import { EVAL_ORG } from '../../support/org.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { buttonsOf, clickButton } from '../../support/slack-findings.js';
import type { ModalLike } from '../../support/slack-requests.js';

const inputsOf = (modal: ModalLike) =>
  (modal.blocks ?? []).filter((b) => b.type === 'input') as Array<Record<string, any>>;

/** Every score select at `score`. */
function scores(modal: ModalLike, score: string): Record<string, string> {
  return Object.fromEntries(
    inputsOf(modal)
      .filter((b) => String(b.block_id).endsWith('_score'))
      .map((b) => [b.block_id as string, score]),
  );
}

describe.each(STORE_BACKENDS)('Slack evaluations on %s', (kind) => {
  let bot: SlackBot;

  beforeEach(async () => {
    bot = await startSlackBot({
      kind,
      people: EVAL_ORG,
      env: { DUDAO_REMINDER_CRON: 'off', DUDAO_PUBLIC_URL: 'https://dudao.example.com' },
      slackUsers: [{ id: 'UNEW', name: 'New Person', tz: 'Asia/Shanghai' }],
    });
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const participant = (name: string) =>
    db().evaluationParticipant.findFirstOrThrow({ where: { memberId: bot.people[name]!.id } });
  /** The evaluation card of a participant in a user's DM as it reads now (posted, then updated). */
  function card(userId: string, participantId: number): FakeSlackCall {
    const versions = bot.fake.calls.filter(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.answer?.body.ok === true &&
        (c.body.channel === `D${userId}` || c.body.channel === userId) &&
        /(Evaluation|绩效考核) · /.test(JSON.stringify(c.body.blocks ?? [])),
    );
    const mine = versions.filter((c) => buttonsOf(c.body).every((b) => b.value === String(participantId)));
    if (mine.length === 0) throw new Error(`no evaluation card for ${participantId} in D${userId}`);
    return mine.at(-1)!;
  }
  async function open(userId: string, participantId: number, action: string): Promise<ModalLike> {
    const button = buttonsOf(card(userId, participantId).body).find((b) => b.action_id.startsWith(`eval.${action}:`));
    if (!button)
      throw new Error(
        `no ${action} button on ${userId}'s card: ${JSON.stringify(buttonsOf(card(userId, participantId).body).map((b) => b.action_id))}`,
      );
    const click = await clickButton(bot, userId, button);
    expect(click.status).toBe(200);
    if (!click.modal) throw new Error(`no modal: ${JSON.stringify(click.responses.map((r) => r.body.text))}`);
    return click.modal;
  }

  it('opens a monthly cycle as HR and carries it through self, supervisor (with the self scores), review and acknowledgement', async () => {
    const opened = await bot.command('UHR', 'eval open monthly dept 门店A');
    expect(textOf(opened.responses[0]!.body)).toContain('Opened the monthly evaluation 2026-11 for 2 members');
    await bot.settle();
    const staff = await participant('李员工');

    // The member's DM card, in Chinese, with the self-evaluation button.
    const first = card('USTAFF', staff.id);
    expect(first.method).toBe('chat.postMessage');
    expect(textOf(first.body)).toContain('考核 2026-11 已开启，请在');
    const selfModal = await open('USTAFF', staff.id, 'self');
    expect(selfModal.title).toMatchObject({ text: '自我评价' });
    expect(inputsOf(selfModal).filter((b) => b.element.type === 'static_select')).toHaveLength(11);
    expect(inputsOf(selfModal)[0]!.element.options.map((o: { value: string }) => o.value)).toEqual([
      '5',
      '4',
      '3',
      '2',
      '1',
    ]);

    // Invalid: a score missing; Slack shows the error inline and nothing is saved.
    const bad = await bot.submit('USTAFF', selfModal, { ...scores(selfModal, '4'), c0_score: '' });
    expect(bad.json).toEqual({ response_action: 'errors', errors: { c0_score: '必填。' } });
    expect(await db().evaluationSubmission.count()).toBe(0);

    const saved = await bot.submit('USTAFF', selfModal, { ...scores(selfModal, '5'), c0_note: '超额完成' });
    expect(saved.json.response_action).toBe('update');
    expect(textOf(saved.json.view)).toContain('已保存。考核当前阶段：上级评价中。');
    await bot.settle();
    // The member's card was updated in place; the supervisor got a card and a notice.
    expect(card('USTAFF', staff.id).method).toBe('chat.update');
    const notices = bot.fake.calls
      .filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'UMGR')
      .map((c) => textOf(c.body));
    expect(notices.some((t) => t.includes('李员工 已提交自评（2026-11），请填写上级评价。'))).toBe(true);

    const supModal = await open('UMGR', staff.id, 'supervisor');
    const c0 = inputsOf(supModal).find((b) => b.block_id === 'c0_score')!;
    expect(c0.hint).toMatchObject({ text: '自评：5 — 超额完成' });
    const done = await bot.submit('UMGR', supModal, scores(supModal, '4'));
    expect(textOf(done.json.view)).toContain('待绩效面谈');
    await bot.settle();
    expect(await participant('李员工')).toMatchObject({ stage: 'review', overallScore: 86, grade: 'A' });

    const reviewModal = await open('UMGR', staff.id, 'review');
    expect(
      (await bot.submit('UMGR', reviewModal, { plan: '加强复盘', goals: '下月提升客户满意度' })).json.response_action,
    ).toBe('update');
    await bot.settle();

    // The member's card now offers the result and the acknowledgement.
    const result = await clickButton(
      bot,
      'USTAFF',
      buttonsOf(card('USTAFF', staff.id).body).find((b) => b.action_id.startsWith('eval.result:'))!,
    );
    expect(textOf(result.responses[0]!.body)).toContain('综合得分');
    expect(textOf(result.responses[0]!.body)).toContain('下月提升客户满意度');
    const ack = await clickButton(
      bot,
      'USTAFF',
      buttonsOf(card('USTAFF', staff.id).body).find((b) => b.action_id.startsWith('eval.ack:'))!,
    );
    expect(textOf(ack.responses[0]!.body)).toContain('已完成');
    await bot.settle();
    expect(await participant('李员工')).toMatchObject({ stage: 'done' });
    expect(buttonsOf(card('USTAFF', staff.id).body).map((b) => b.action_id.replace(/:\d+$/, ''))).toEqual([
      'eval.result',
    ]);
  });

  it('gives the supervisor a customer link in private (answered on the web form) and HR the summary', async () => {
    const ephemeral = async (userId: string, text: string) => {
      const r = await bot.command(userId, text);
      expect(r.responses[0]!.body.response_type).toBe('ephemeral');
      return textOf(r.responses[0]!.body);
    };
    // A deadline on a day off is refused with the next working day named; nothing is opened.
    expect(await ephemeral('UHR', 'eval open annual dept 门店A deadline 2027-01-16')).toContain(
      '2027-01-16 (Saturday) is a weekend; the next working day is 2027-01-18 (Monday).',
    );
    expect(await ephemeral('UHR', 'eval open annual dept 门店A deadline 2027-01-15')).toContain(
      'Opened the annual evaluation 2026',
    );
    expect(await ephemeral('UHR', 'eval customer-facing <@USTAFF> yes')).toContain('customer-facing');
    // On, off and on again each take effect; a repeat says so and changes nothing.
    expect(await ephemeral('UHR', 'eval customer-facing <@USTAFF> no')).toContain('is not customer-facing');
    expect(await ephemeral('UHR', 'eval customer-facing <@USTAFF> no')).toContain('already not customer-facing');
    expect(await ephemeral('UHR', 'eval customer-facing <@USTAFF> yes')).toContain('customers can evaluate them');
    expect(await ephemeral('UHR', 'eval customer-facing <@USTAFF> yes')).toContain('already customer-facing');
    expect(
      await bot.dudao.db.prisma.evaluationParticipant.findFirstOrThrow({ where: { customerFacing: true } }),
    ).toBeTruthy();
    // Commands about someone's evaluation register nobody: a person dudao has not met has no evaluation, and a
    // refused command leaves no member behind (the Slack profile exists; it is not even asked for).
    const members = await db().member.count();
    for (const command of ['eval result <@UNEW>', 'eval score <@UNEW>', 'eval link <@UNEW> "ACME"'])
      expect(await ephemeral('UBOB', command)).toContain('I do not know');
    expect(await ephemeral('UHR', 'eval customer-facing <@UNEW> yes')).toContain('I do not know');
    expect(await db().member.count()).toBe(members);
    expect(bot.fake.callsTo('users.info').map((c) => c.body.user)).not.toContain('UNEW');
    expect(await ephemeral('UBOB', 'eval link <@USTAFF> "ACME Ltd"')).toContain('You may not');
    const answer = await ephemeral('UMGR', '考核 链接 <@USTAFF> "ACME Ltd"');
    expect(answer).toContain('供 ACME Ltd 评价 李员工（2026）的一次性链接');
    const path = /https:\/\/dudao\.example\.com(\/eval\/c\/[A-Za-z0-9_-]{43})/.exec(answer)![1]!;
    // The link works on the bot's own server: the customer's answer is recorded once.
    const post = () =>
      fetch(`http://127.0.0.1:${bot.dudao.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score_satisfaction=5&score_communication=4',
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(410);
    expect(
      await db().evaluationSubmission.findMany({ where: { raterKind: 'customer' }, select: { raterLabel: true } }),
    ).toEqual([{ raterLabel: 'ACME Ltd' }]);

    expect(await ephemeral('USTAFF', 'eval summary')).toContain('只有人事 / 管理员可以执行此操作');
    const summary = await ephemeral('UHR', 'eval summary 2026');
    expect(summary).toContain('Evaluation summary · 2026 (annual)');
    expect(summary).toContain('npx dudao eval export 2026 --out 2026.xlsx');
  });
});
