// Nominating peers through Feishu (annual cycles): "提名同事评价人" on the member's card, or `eval peers`
// without mentions, answers with a Card JSON 2.0 form holding a multi_select_person that lists the colleagues
// (a direct chat has no one else to offer); its form_value (an array of open_ids) nominates, and the
// supervisor gets a card per nomination to approve or decline. Yourself, your supervisor or too many people
// are refused with an error toast and the card kept as filled, and nothing is saved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES } from '../../../src/platforms/feishu/render.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { buttonLabels, buttonValue, nextCard, press } from '../../support/feishu-flows.js';
import { cardElements, cardText, type PostResult } from '../../support/feishu-requests.js';
import { EVAL_ORG } from '../../support/org.js';
import { nominationReads } from '../../support/peer-nominations.js';

type Json = Record<string, unknown>;
const toastOf = (res: PostResult) => res.json.toast as { type: string; content: string } | undefined;
const pickerOf = (card: Json) =>
  cardElements(card, 'multi_select_person')[0] as
    | (Json & { options?: Array<{ value: string }>; selected_values?: string[] })
    | undefined;

describe.each(STORE_BACKENDS)('Feishu peer nominations on %s', (kind) => {
  let bot: FeishuBot;

  beforeEach(async () => {
    bot = await startFeishuBot({ kind, people: EVAL_ORG, env: { DUDAO_REMINDER_CRON: 'off' } });
    await bot.say({ openId: 'ou_hr', text: 'eval open annual dept 门店A deadline 2027-01-15', chatId: 'oc_hr' });
    await bot.settle();
  });
  afterEach(async () => bot.stop());

  const db = () => bot.dudao.db.prisma;
  const { staff, nominations, dbState } = nominationReads(db, () => bot.people);
  /** The card a message shows now (after every PATCH), where the MessageRef of `key` points. */
  async function cardAt(key: string): Promise<{ messageId: string; chatId: string; card: Json }> {
    const ref = await db().messageRef.findUnique({ where: { key } });
    if (!ref) throw new Error(`no message for ${key}`);
    const message = bot.fake.message(ref.messageId)!;
    return { messageId: ref.messageId, chatId: message.chatId, card: message.current };
  }

  it('opens the picker from the card; yourself, your supervisor and too many are refused with the card kept as filled; a valid choice reaches the supervisor', async () => {
    const p = await staff();
    const mine = await cardAt(`eval:${p.id}:card:${bot.people.李员工!.id}`);
    expect(buttonLabels(mine.card)).toEqual(['填写自评', '提名同事评价人']);
    const opened = await press(bot, 'ou_staff', buttonValue(mine.card, '提名同事评价人'), {
      messageId: mine.messageId,
      chatId: mine.chatId,
    });
    expect(toastOf(opened)).toBeUndefined();
    const form = nextCard(opened);
    expect(Buffer.byteLength(JSON.stringify(form))).toBeLessThan(CARD_MAX_BYTES);
    expect(cardText(form)).toContain('提名同事评价人');
    expect(cardText(form)).toContain('由 王经理 逐一审批');
    const picker = pickerOf(form)!;
    expect(picker).toMatchObject({
      tag: 'multi_select_person',
      name: 'peers',
      required: true,
      placeholder: { content: '选择同事' },
    });
    expect(picker.selected_values).toBeUndefined();
    // Colleagues are listed (not the member, not their supervisor), the member's department first.
    const offered = picker.options!.map((o) => o.value);
    expect(offered).toEqual(expect.arrayContaining(['ou_bob', 'ou_sup', 'ou_admin', 'ou_hr']));
    expect(offered).not.toContain('ou_staff');
    expect(offered).not.toContain('ou_mgr');
    // The picker sits in the form with the submit button.
    const container = cardElements(form, 'form')[0]! as Json & { elements: Json[] };
    expect(container.elements.map((e) => e.tag)).toEqual(expect.arrayContaining(['multi_select_person', 'button']));

    const before = await dbState();
    const where = { chatId: mine.chatId };
    const self = await bot.submit(form, 'ou_staff', { peers: 'ou_bob,ou_staff' }, where);
    expect(toastOf(self)).toEqual({ type: 'error', content: '有 1 处需要修改。' });
    const kept = nextCard(self);
    expect(cardText(kept)).toContain('李员工 不能作为您的同事评价人（本人或上级）。');
    expect(pickerOf(kept)!.selected_values).toEqual(['ou_bob', 'ou_staff']);
    expect(pickerOf(kept)!.options!.map((o) => o.value)).toEqual(expect.arrayContaining(['ou_bob', 'ou_staff']));
    expect(cardText(nextCard(await bot.submit(form, 'ou_staff', { peers: 'ou_mgr' }, where)))).toContain(
      '王经理 不能作为您的同事评价人（本人或上级）。',
    );
    const many = Array.from({ length: 11 }, (_, i) => `ou_peer${i}`).join(',');
    const tooMany = await bot.submit(form, 'ou_staff', { peers: many }, where);
    expect(toastOf(tooMany)?.type).toBe('error');
    expect(cardText(nextCard(tooMany))).toContain('最多可提名 10 位同事。');
    await bot.settle();
    expect(await dbState()).toEqual(before);

    const saved = await bot.submit(form, 'ou_staff', { peers: 'ou_bob,ou_sup' }, where);
    expect(toastOf(saved)).toEqual({
      type: 'success',
      content: '已提名 Bob Staff, Sam Supervisor，由 王经理 逐一审批。',
    });
    expect(await nominations()).toEqual([
      { peerId: bot.people['Bob Staff']!.id, status: 'proposed' },
      { peerId: bot.people['Sam Supervisor']!.id, status: 'proposed' },
    ]);
    await bot.settle();

    // The supervisor's approval card per nomination; approving gives Bob his peer card.
    const bobCard = await cardAt(`eval:${p.id}:nom:${bot.people['Bob Staff']!.id}`);
    expect(cardText(bobCard.card)).toContain('李员工 提名 Bob Staff 为同事评价人（2026）。');
    expect(buttonLabels(bobCard.card)).toEqual(['同意', '拒绝']);
    expect(cardText((await cardAt(`eval:${p.id}:nom:${bot.people['Sam Supervisor']!.id}`)).card)).toContain(
      '李员工 提名 Sam Supervisor 为同事评价人（2026）。',
    );
    const approved = await press(bot, 'ou_mgr', buttonValue(bobCard.card, '同意'), {
      messageId: bobCard.messageId,
      chatId: bobCard.chatId,
    });
    expect(toastOf(approved)).toMatchObject({ type: 'success', content: expect.stringContaining('已同意') });
    await bot.settle();
    expect(buttonLabels((await cardAt(`eval:${p.id}:peer:${bot.people['Bob Staff']!.id}`)).card)).toEqual([
      'Evaluate as a peer',
    ]);
  });

  it('`eval peers` typed in a group sends the picker to the person’s direct messages and only a pointer to the group', async () => {
    bot.fake.clearCalls();
    const asked = await bot.say({
      openId: 'ou_staff',
      chatType: 'group',
      chatId: 'oc_group_ops',
      text: '@_user_1 考核 同事',
      mentions: [{ openId: 'ou_dudao_bot', name: 'dudao' }],
    });
    const sent = bot.sent();
    expect(sent).toHaveLength(2);
    const dm = sent.find((s) => s.via === 'create')!;
    expect(dm).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_staff' });
    expect(pickerOf(dm.card)).toBeDefined();
    const pointer = sent.find((s) => s.via === 'reply')!;
    expect(pointer.replyTo).toBe(asked.messageId);
    expect(cardText(pointer.card)).toContain('已私信发给您');
    expect(pickerOf(pointer.card)).toBeUndefined();
    expect(toastOf(await bot.submit(dm.card, 'ou_staff', { peers: 'ou_bob' }, { chatId: dm.chatId }))?.type).toBe(
      'success',
    );
    expect(await nominations()).toEqual([{ peerId: bot.people['Bob Staff']!.id, status: 'proposed' }]);
  });

  it('`eval peers` without names answers with the picker pre-filled with the nominations made', async () => {
    await bot.say({
      openId: 'ou_staff',
      text: '考核 同事 @_user_1',
      chatId: 'oc_staff',
      mentions: [{ openId: 'ou_bob', name: 'Bob Staff' }],
    });
    expect(await nominations()).toEqual([{ peerId: bot.people['Bob Staff']!.id, status: 'proposed' }]);
    const asked = await bot.say({ openId: 'ou_staff', text: '考核 同事', chatId: 'oc_staff' });
    const form = bot.sent().find((s) => s.replyTo === asked.messageId)!.card;
    expect(pickerOf(form)!.selected_values).toEqual(['ou_bob']);

    // Unticking Bob is refused (the supervisor declines instead); keeping him and adding Sam nominates Sam.
    const before = await dbState();
    const dropped = await bot.submit(form, 'ou_staff', { peers: 'ou_sup' }, { chatId: 'oc_staff' });
    expect(cardText(nextCard(dropped))).toContain('已提名的同事不能撤回：请保留 Bob Staff（可由上级拒绝）。');
    expect(await dbState()).toEqual(before);
    expect(toastOf(await bot.submit(form, 'ou_staff', { peers: 'ou_bob,ou_sup' }, { chatId: 'oc_staff' }))?.type).toBe(
      'success',
    );
    expect(await nominations()).toHaveLength(2);
    // The same card again is stale: a nomination was made since it was sent.
    const stale = await bot.submit(form, 'ou_staff', { peers: 'ou_bob,ou_sup,ou_admin' }, { chatId: 'oc_staff' });
    expect(toastOf(stale)).toMatchObject({
      type: 'error',
      content: expect.stringContaining('表单打开后考核状态已变化'),
    });
    expect(await nominations()).toHaveLength(2);
  });
});
