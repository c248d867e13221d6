// A supervisor runs a whole inspection on Feishu: command → card form pages → saved inspection → summary
// in the chat and a direct card to the responsible manager. Every request is encrypted and signed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormView, MessageView } from '../../../src/core/views/types.js';
import { fieldsOf } from '../../../src/core/views/types.js';
import { renderCard } from '../../../src/platforms/feishu/render.js';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardElements, cardText, formOfCard, type PostResult } from '../../support/feishu-requests.js';
import { failFirst, passAll } from '../../support/forms.js';

type Json = Record<string, unknown>;

/** The card a callback answer replaces the clicked card with. */
function nextCard(res: PostResult): Json {
  expect(res.status).toBe(200);
  const card = res.json.card as { type: string; data: Json } | undefined;
  expect(card?.type).toBe('raw');
  return card!.data;
}

describe.each(STORE_BACKENDS)('a Feishu inspection on %s', (kind) => {
  let bot: FeishuBot;
  /** The supervisor types `text` in the ops group, @-mentioning the bot. */
  const askInOpsGroup = (text: string) =>
    bot.say({
      openId: 'ou_sup',
      chatType: 'group',
      chatId: 'oc_group_ops',
      text: `@_user_1 ${text}`,
      mentions: [{ openId: 'ou_bot', name: 'dudao' }],
    });
  beforeEach(async () => {
    bot = await startFeishuBot({ kind });
  });
  afterEach(async () => bot.stop());

  /** Submits every remaining page with passing answers; returns the last callback answer. */
  async function finish(card: Json, from: number, openId = 'ou_sup'): Promise<PostResult> {
    let current = card;
    for (let page = from; ; page++) {
      const form = formOfCard(current);
      expect(form.page).toBe(page);
      const res = await bot.submit(current, openId, passAll(form));
      if (!(res.json.card as { data?: Json } | undefined)?.data || !cardElements(nextCard(res), 'form').length)
        return res;
      current = nextCard(res);
    }
  }

  it('runs from a direct message to a saved inspection, a summary in the chat and a DM card to the manager', async () => {
    const asked = await bot.say({ openId: 'ou_sup', text: 'inspect 门店A', chatId: 'oc_p2p_sup' });
    // The delivery is acked at once; the answer is a reply to the message.
    expect(asked.status).toBe(200);
    expect(asked.json).toEqual({});
    const [reply] = bot.sent();
    expect(reply).toMatchObject({ via: 'reply', replyTo: asked.messageId, msgType: 'interactive' });
    const page0 = formOfCard(reply!.card);
    expect(page0).toMatchObject({
      formType: 'inspection',
      page: 0,
      title: 'Inspection: 门店A',
      pageLabel: 'Page 1 of 5',
      submitLabel: 'Next',
    });
    // The responsible person defaults to the department's manager.
    const owner = fieldsOf(page0).find((f) => f.id.endsWith('_owner'))!;
    expect(owner.initial).toBe(String(bot.people.王经理!.id));

    const values = failFirst(page0, { desc: '收银流程缺少复核', impact: '全店', ev: 'https://example.com/p.jpg' });
    const page1 = nextCard(await bot.submit(reply!.card, 'ou_sup', values));
    expect(formOfCard(page1)).toMatchObject({ page: 1, pageLabel: 'Page 2 of 5' });
    // Feishu's callback value for a submit button may arrive empty; the button name still routes it.
    const page2 = nextCard(await bot.submit(page1, 'ou_sup', passAll(formOfCard(page1)), { withValue: false }));
    expect(formOfCard(page2).page).toBe(2);

    const done = await finish(page2, 2);
    expect(done.json.toast).toMatchObject({ type: 'success' });
    expect(String((done.json.toast as { content: string }).content)).toMatch(
      /^Inspection #\d+ of 门店A saved: overall 93\.3, 1 finding\(s\)\.$/,
    );
    expect(cardText(nextCard(done))).toContain('saved');

    const inspection = await bot.dudao.db.prisma.inspection.findFirstOrThrow();
    expect(inspection.overallScore).toBeCloseTo(93.3, 1);
    expect(await bot.dudao.db.prisma.itemResult.count()).toBe(15);
    const findings = await bot.dudao.db.prisma.finding.findMany();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      description: '收银流程缺少复核',
      impact: '全店',
      severity: 'high',
      responsibleMemberId: bot.people.王经理!.id,
    });

    await bot.settle();
    const pushed = bot.sent().filter((s) => s.via === 'create');
    expect(pushed.map((s) => [s.receiveIdType, s.receiveId])).toEqual([
      ['chat_id', 'oc_p2p_sup'],
      ['open_id', 'ou_mgr'],
    ]);
    // The supervisor reads English, the manager Chinese.
    expect(cardText(pushed[0]!.card)).toContain(`Inspection #${inspection.id} — 门店A`);
    expect(cardText(pushed[0]!.card)).toContain('收银流程缺少复核');
    expect(cardText(pushed[1]!.card)).toContain('整改');
    expect(cardText(pushed[1]!.card)).toContain('收银流程缺少复核');
    const outbox = await bot.dudao.db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(outbox.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(pushed.map((s) => s.card)).toEqual(outbox.map((r) => renderCard(JSON.parse(r.payload) as MessageView)));
  });

  it('sends the checklist asked for in a group to the supervisor’s DM, the group hears only a pointer, and the summary goes to the group', async () => {
    const asked = await askInOpsGroup('/dudao inspect 门店A');
    const sent = bot.sent();
    expect(sent).toHaveLength(2);
    // The form card is a direct message to the supervisor: nobody else in the group sees what is filled in.
    const dm = sent.find((s) => s.via === 'create')!;
    expect(dm).toMatchObject({
      receiveIdType: 'open_id',
      receiveId: 'ou_sup',
      chatId: 'oc_p2p_ou_sup',
      msgType: 'interactive',
    });
    expect(formOfCard(dm.card)).toMatchObject({ formType: 'inspection', page: 0, title: 'Inspection: 门店A' });
    // The group gets only the pointer, as a reply to the command.
    const pointer = sent.find((s) => s.via === 'reply')!;
    expect(pointer).toMatchObject({ replyTo: asked.messageId });
    expect(cardText(pointer.card)).toContain('Sent to you in a direct message');
    expect(cardElements(pointer.card, 'form')).toHaveLength(0);
    expect(sent.filter((s) => s.replyTo === asked.messageId || s.receiveId === 'oc_group_ops')).toEqual([pointer]);
    // The draft remembers the group, where the command was typed, not the DM the form went to.
    expect(await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow()).toMatchObject({
      channelId: 'oc_group_ops',
      page: 0,
    });

    // The card's pages are submitted from the DM.
    bot.fake.clearCalls();
    const page1 = nextCard(
      await bot.submit(dm.card, 'ou_sup', passAll(formOfCard(dm.card)), { chatId: 'oc_p2p_ou_sup' }),
    );
    expect(formOfCard(page1)).toMatchObject({ page: 1, pageLabel: 'Page 2 of 5' });
    const done = await finish(page1, 1);
    expect(done.json.toast).toMatchObject({ type: 'success' });
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(1);
    await bot.settle();
    const pushed = bot.sent();
    // Nothing failed, so there is no responsible person to notify; the summary lands in the group.
    expect(pushed.map((s) => [s.via, s.receiveIdType, s.receiveId, s.chatId])).toEqual([
      ['create', 'chat_id', 'oc_group_ops', 'oc_group_ops'],
    ]);
    expect(cardText(pushed[0]!.card)).toContain('Inspection #');
    expect(await bot.dudao.db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({
      targetKind: 'channel',
      targetId: 'oc_group_ops',
      status: 'sent',
    });
  });

  it.each([
    ['a 429', { kind: 'rateLimited', resetSeconds: 30 }],
    ['a 503', { kind: 'serverError', status: 503 }],
  ] as const)(
    'tells the group to try again when the checklist’s direct message meets %s, and queues nothing',
    async (_name, failure) => {
      bot.fake.fail('message.create', failure);
      const asked = await askInOpsGroup('inspect 门店A');
      expect(bot.fake.callsTo('message.create').map((c) => c.body?.receive_id)).toEqual(['ou_sup']);
      const sent = bot.sent();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ via: 'reply', replyTo: asked.messageId });
      expect(cardText(sent[0]!.card)).toContain(
        'The form could not be sent to you in a direct message. Please try again.',
      );
      expect(cardText(sent[0]!.card)).not.toContain('Sent to you in a direct message');
      expect(cardElements(sent[0]!.card, 'form')).toHaveLength(0);
      // A form cannot wait in the outbox: nothing is queued, and nothing arrives later.
      expect(await bot.dudao.db.prisma.outboxMessage.count()).toBe(0);
      expect(bot.logs().find((l) => l.msg === 'the answer could not be sent')).toMatchObject({
        level: 50,
        surface: 'feishu-message',
      });
      bot.clock.advance(3_600_000);
      await bot.settle();
      expect(bot.sent()).toHaveLength(1);
    },
  );

  it('keeps answering a checklist asked for in a p2p chat with a reply holding the form', async () => {
    const asked = await bot.say({ openId: 'ou_sup', text: 'inspect 门店A', chatId: 'oc_p2p_sup' });
    const sent = bot.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ via: 'reply', replyTo: asked.messageId });
    expect(formOfCard(sent[0]!.card).formType).toBe('inspection');
  });

  it('returns a page with invalid answers as filled, with the errors, and saves nothing', async () => {
    await bot.say({ openId: 'ou_sup', text: 'inspect 门店A' });
    const card = bot.sent()[0]!.card;
    const page0 = formOfCard(card);
    const values = { ...failFirst(page0, { desc: '' }), d0i1_ev: 'not a link', d0i1_note: '保留的备注' };
    const res = await bot.submit(card, 'ou_sup', values);
    expect(res.json.toast).toEqual({ type: 'error', content: '2 field(s) need attention.' });
    const again = formOfCard(nextCard(res));
    expect(again.page).toBe(0);
    const field = (id: string) => fieldsOf(again).find((f) => f.id === id)!;
    expect(field('d0i0_desc').error).toBe('Describe the finding for this failed item.');
    expect(field('d0i1_ev')).toMatchObject({
      initial: 'not a link',
      error: 'Enter a link starting with http:// or https://.',
    });
    expect(field('d0i1_note').initial).toBe('保留的备注');
    expect(field('d0i0_score').initial).toBe('fail');
    const draft = await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow();
    expect(draft.page).toBe(0);
    expect(JSON.parse(draft.answers)).toEqual({});
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(0);
  });

  it('answers a page too long to send back with a toast naming the fields, leaving the card as typed', async () => {
    await bot.dudao.db.prisma.member.update({
      where: { id: bot.people['Sam Supervisor']!.id },
      data: { locale: 'zh-CN' },
    });
    await bot.say({ openId: 'ou_sup', text: '检查 门店A' });
    const card = bot.sent()[0]!.card;
    const page0 = formOfCard(card);
    const long = '长'.repeat(1000);
    const values: Record<string, string> = { ...passAll(page0) };
    for (const f of fieldsOf(page0)) {
      if (f.id.endsWith('_note') || f.id.endsWith('_desc')) values[f.id] = long;
      if (f.id.endsWith('_impact')) values[f.id] = long.slice(0, 500);
      if (f.id.endsWith('_ev')) values[f.id] = `https://example.com/${'p'.repeat(950)}`;
    }
    values.d0i2_ev = `ftp://example.com/${'p'.repeat(950)}`;
    const res = await bot.submit(card, 'ou_sup', values);
    expect(res.status).toBe(200);
    expect(res.json.card).toBeUndefined();
    expect(res.json.toast).toEqual({
      type: 'error',
      content: '有 1 处需要修改。\n1.3 证据链接: 请输入以 http:// 或 https:// 开头的链接。',
    });
    expect(await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow()).toMatchObject({ page: 0 });
  });

  it('saves one inspection when the last page is submitted twice', async () => {
    await bot.say({ openId: 'ou_sup', text: 'inspect 门店A' });
    let card = bot.sent()[0]!.card;
    for (let page = 0; page < 4; page++) card = nextCard(await bot.submit(card, 'ou_sup', passAll(formOfCard(card))));
    const last = formOfCard(card);
    expect(last).toMatchObject({ page: 4, submitLabel: 'Submit' });
    const [first, second] = await Promise.all([
      bot.submit(card, 'ou_sup', passAll(last)),
      bot.submit(card, 'ou_sup', passAll(last)),
    ]);
    for (const res of [first, second]) expect(res.json.toast).toMatchObject({ type: 'success' });
    const third = await bot.submit(card, 'ou_sup', passAll(last));
    expect(third.json.toast).toMatchObject({ type: 'success' });
    expect(await bot.dudao.db.prisma.inspection.count()).toBe(1);
    await bot.settle();
    expect(bot.sent().filter((s) => s.via === 'create')).toHaveLength(1);
  });

  it('refuses someone else’s checklist', async () => {
    await bot.say({ openId: 'ou_sup', text: 'inspect 门店A' });
    const card = bot.sent()[0]!.card;
    const res = await bot.submit(card, 'ou_admin', passAll(formOfCard(card)));
    expect(res.json).toEqual({
      toast: { type: 'error', content: 'This checklist belongs to Sam Supervisor; only they can fill it in.' },
    });
    expect((await bot.dudao.db.prisma.inspectionDraft.findFirstOrThrow()).page).toBe(0);
  });

  it('keeps the summary pending through a 429 until x-ogw-ratelimit-reset has passed, then sends it once', async () => {
    await bot.say({ openId: 'ou_sup', text: 'inspect 门店A', chatId: 'oc_ops' });
    bot.fake.fail('message.create', { kind: 'rateLimited', resetSeconds: 52 });
    let card: Json = bot.sent()[0]!.card;
    const form0: FormView = formOfCard(card);
    card = nextCard(await bot.submit(card, 'ou_sup', failFirst(form0, { desc: 'Fire exit blocked' })));
    await finish(card, 1);
    await bot.settle();

    const summaryRow = () => bot.dudao.db.prisma.outboxMessage.findFirstOrThrow({ where: { targetKind: 'channel' } });
    expect(await summaryRow()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await summaryRow()).lastError).toContain('429');
    const toChat = () => bot.sent().filter((s) => s.receiveId === 'oc_ops');
    expect(toChat()).toHaveLength(0);
    // Feishu's limit is per app, so the manager's card waits for the reset too rather than meeting another 429.
    expect(bot.sent().filter((s) => s.receiveId === 'ou_mgr')).toHaveLength(0);

    bot.clock.advance(51_000);
    await bot.dudao.dispatcher.nudge();
    expect(toChat()).toHaveLength(0);
    expect((await summaryRow()).status).toBe('pending');

    bot.clock.advance(1_000);
    await bot.dudao.dispatcher.nudge();
    expect(toChat()).toHaveLength(1);
    expect(bot.sent().filter((s) => s.receiveId === 'ou_mgr')).toHaveLength(1);
    expect(await summaryRow()).toMatchObject({ status: 'sent', attempts: 1 });
    bot.clock.advance(3_600_000);
    await bot.dudao.dispatcher.nudge();
    expect(toChat()).toHaveLength(1);
    expect(bot.fake.callsTo('message.create').filter((c) => c.body?.receive_id === 'oc_ops')).toHaveLength(2);
  });
});
