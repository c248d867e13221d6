// Nominating peers through Slack (annual cycles): "Nominate peers" on the member's DM card, or `/dudao eval
// peers` without mentions, opens a modal with a multi_users_select; its submission (selected_users) nominates,
// and the supervisor gets a card per nomination to approve or decline. Yourself, your supervisor, too many
// people or someone Slack cannot tell the bot about come back as inline errors (response_action: errors) with
// nothing saved; a colleague who never wrote to the bot is registered from users.info, as on first contact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FakeSlackCall, textOf } from '../../support/fake-slack.js';
import { EVAL_ORG } from '../../support/org.js';
import { nominationReads } from '../../support/peer-nominations.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { buttonsOf, clickButton } from '../../support/slack-findings.js';
import type { ModalLike } from '../../support/slack-requests.js';

/** Whether a message went to the user's DM (the user id, or the channel conversations.open gave). */
const dm = (call: FakeSlackCall, userId: string) => call.body.channel === userId || call.body.channel === `D${userId}`;
const pickerOf = (modal: ModalLike) =>
  (modal.blocks ?? []).find((b) => b.type === 'input' && b.block_id === 'peers') as Record<string, any> | undefined;

describe.each(STORE_BACKENDS)('Slack peer nominations on %s', (kind) => {
  let bot: SlackBot;

  beforeEach(async () => {
    bot = await startSlackBot({
      kind,
      people: EVAL_ORG,
      // In the workspace but never in touch with the bot: Nina (users.info answers), UGHOST (it does not).
      slackUsers: [{ id: 'UNINA', name: 'nina', realName: 'Nina New', tz: 'Asia/Shanghai' }],
      env: { DUDAO_REMINDER_CRON: 'off' },
    });
    const opened = await bot.command('UHR', 'eval open annual dept 门店A deadline 2027-01-15');
    expect(textOf(opened.responses[0]!.body)).toContain('Opened the annual evaluation 2026');
    await bot.settle();
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const { staff, nominations, dbState } = nominationReads(db, () => bot.people);
  /** The member's evaluation card in their DM as it reads now. */
  function memberCard(participantId: number): FakeSlackCall {
    const versions = bot.fake.calls.filter(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.answer?.body.ok === true &&
        dm(c, 'USTAFF') &&
        buttonsOf(c.body).some((b) => b.value === String(participantId)),
    );
    if (versions.length === 0) throw new Error('no evaluation card in the member’s DM');
    return versions.at(-1)!;
  }

  it('opens the picker from the card; yourself, your supervisor and too many are inline errors that save nothing; a valid choice reaches the supervisor', async () => {
    const p = await staff();
    const nominate = buttonsOf(memberCard(p.id).body).find((b) => b.action_id.startsWith('eval.nominate:'));
    expect(nominate?.text.text).toBe('提名同事评价人');
    const click = await clickButton(bot, 'USTAFF', nominate!);
    expect(click.responses).toEqual([]);
    const modal = click.modal!;
    expect(modal.title).toMatchObject({ text: '提名同事评价人' });
    expect(pickerOf(modal)).toMatchObject({
      label: { text: '同事评价人' },
      optional: false,
      element: {
        type: 'multi_users_select',
        action_id: 'peers',
        max_selected_items: 10,
        placeholder: { text: '选择同事' },
      },
    });
    expect(pickerOf(modal)!.element.initial_users).toBeUndefined();
    expect(JSON.stringify(modal.blocks)).toContain('由 王经理 逐一审批');

    const before = await dbState();
    const self = await bot.submit('USTAFF', modal, { peers: 'UBOB,USTAFF' });
    expect(self.json).toEqual({
      response_action: 'errors',
      errors: { peers: '李员工 不能作为您的同事评价人（本人或上级）。' },
    });
    const boss = await bot.submit('USTAFF', modal, { peers: 'UMGR' });
    expect(boss.json).toEqual({
      response_action: 'errors',
      errors: { peers: '王经理 不能作为您的同事评价人（本人或上级）。' },
    });
    const many = Array.from({ length: 11 }, (_, i) => `UPEER${i}`).join(',');
    expect((await bot.submit('USTAFF', modal, { peers: many })).json).toEqual({
      response_action: 'errors',
      errors: { peers: '最多可提名 10 位同事。' },
    });
    const ghost = await bot.submit('USTAFF', modal, { peers: 'UBOB,UGHOST' });
    expect(ghost.json.errors.peers).toContain('还不认识 UGHOST');
    await bot.settle();
    expect(await dbState()).toEqual(before);

    // Bob and Nina, whom the bot has never met: she is registered from users.info, as on first contact.
    const saved = await bot.submit('USTAFF', modal, { peers: 'UBOB,UNINA' });
    expect(saved.json.response_action).toBe('update');
    expect(textOf(saved.json.view)).toContain('已提名 Bob Staff, Nina New，由 王经理 逐一审批。');
    const nina = await db().member.findFirstOrThrow({ where: { slackUserId: 'UNINA' } });
    expect(nina.displayName).toBe('Nina New');
    expect(await nominations()).toEqual([
      { peerId: bot.people['Bob Staff']!.id, status: 'proposed' },
      { peerId: nina.id, status: 'proposed' },
    ]);
    await bot.settle();

    // The supervisor's approval cards, one per nomination; approving gives Bob his peer card.
    const cards = bot.fake.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        dm(c, 'UMGR') &&
        buttonsOf(c.body).some((b) => b.action_id.startsWith('eval.approve:')),
    );
    expect(cards.map((c) => textOf(c.body))).toEqual([
      expect.stringContaining('李员工 提名 Bob Staff 为同事评价人（2026）'),
      expect.stringContaining('李员工 提名 Nina New 为同事评价人（2026）'),
    ]);
    const approve = buttonsOf(cards[0]!.body).find((b) => b.action_id.startsWith('eval.approve:'))!;
    expect(textOf((await clickButton(bot, 'UMGR', approve, 'UMGR')).responses[0]!.body)).toContain('已同意');
    await bot.settle();
    expect(
      bot.fake.calls.some(
        (c) =>
          c.method === 'chat.postMessage' &&
          dm(c, 'UBOB') &&
          buttonsOf(c.body).some((b) => b.action_id.startsWith('eval.peer:')),
      ),
    ).toBe(true);
  });

  it('`eval peers` without names opens the picker pre-filled with the nominations made; the old modal is stale after a new one saves', async () => {
    expect(textOf((await bot.command('USTAFF', 'eval peers <@UBOB>')).responses[0]!.body)).toContain(
      '已提名 Bob Staff',
    );
    const asked = await bot.command('USTAFF', 'eval peers');
    expect(asked.responses).toEqual([]);
    const modal = bot.fake.callsTo('views.open').find((c) => c.body.trigger_id === asked.triggerId)!.body
      .view as ModalLike;
    expect(pickerOf(modal)!.element).toMatchObject({ type: 'multi_users_select', initial_users: ['UBOB'] });

    // Unticking a nomination is refused: nominations are withdrawn by the supervisor declining them.
    const before = await dbState();
    expect((await bot.submit('USTAFF', modal, { peers: 'USUP' })).json).toEqual({
      response_action: 'errors',
      errors: { peers: '已提名的同事不能撤回：请保留 Bob Staff（可由上级拒绝）。' },
    });
    expect(await dbState()).toEqual(before);

    // Keeping Bob (as pre-filled) and adding Sam.
    const second = await bot.command('USTAFF', 'eval peers');
    const fresh = bot.fake.callsTo('views.open').find((c) => c.body.trigger_id === second.triggerId)!.body
      .view as ModalLike;
    expect((await bot.submit('USTAFF', fresh, { peers: 'UBOB,USUP' })).json.response_action).toBe('update');
    expect(await nominations()).toHaveLength(2);
    // The first modal was opened before that nomination: refused, nothing saved.
    const stale = await bot.submit('USTAFF', modal, { peers: 'UBOB,UADMIN' });
    expect(stale.json.response_action).toBe('update');
    expect(textOf(stale.json.view)).toContain('表单打开后考核状态已变化');
    expect(await nominations()).toHaveLength(2);
  });
});
