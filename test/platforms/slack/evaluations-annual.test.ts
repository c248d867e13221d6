// An annual evaluation cycle through Slack (slash commands, DM cards and their buttons, modals): opened by HR,
// self-evaluation, peers nominated with `eval peers` and decided on the supervisor's cards, peer forms, a
// customer recorded by the account owner with `eval customer`, the supervisor's form with the self scores,
// the review, the acknowledgement and the result; then an invalid answer on every form kind, answered with
// `response_action: errors` on the right blocks and nothing saved. The steps are shared with Feishu
// (test/support/evaluation-scenarios.ts); this file adds what only Slack shows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import type { EvalChat } from '../../support/evaluation-chat.js';
import { cardKey, EVAL_PEOPLE } from '../../support/evaluation-flows.js';
import { annualCycleEndToEnd, type FormKind, invalidAnswersOnEveryForm } from '../../support/evaluation-scenarios.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { slackEvalChat } from '../../support/slack-evaluations.js';
import type { ModalLike } from '../../support/slack-requests.js';

describe.each(STORE_BACKENDS)('Slack annual evaluations on %s', (kind) => {
  let bot: SlackBot;
  let chat: EvalChat;

  beforeEach(async () => {
    bot = await startSlackBot({ kind, people: EVAL_PEOPLE, env: { DUDAO_REMINDER_CRON: 'off' } });
    chat = slackEvalChat(bot);
  });
  afterEach(async () => bot.stop());

  const modals = (formType: string) =>
    bot.fake
      .callsTo('views.open')
      .map((c) => c.body.view as ModalLike)
      .filter((v) => JSON.parse(v.private_metadata ?? '{}').t === formType);

  it('runs an annual cycle end to end: self, peers nominated and decided, peer and customer answers, supervisor, review, acknowledgement, result', async () => {
    const { participantId } = await annualCycleEndToEnd(chat);

    // The supervisor's modal carries the self score as the hint of each criterion's input block.
    const supervisor = modals('eval.supervisor');
    expect(supervisor).toHaveLength(1);
    expect(supervisor[0]!.blocks!.find((b) => b.block_id === 'c0_score')!.hint).toMatchObject({
      text: '自评：5 — 全年超额完成',
    });
    // `eval customer` opened its modal from the slash command's trigger.
    expect(modals('eval.customer')).toHaveLength(1);
    // The member's card was posted once in their DM, then updated in place with chat.update at every step.
    const ref = await bot.dudao.db.prisma.messageRef.findUniqueOrThrow({
      where: { key: cardKey(chat, participantId, '李员工') },
    });
    expect(ref.channelId).toBe('DUSTAFF');
    const ofCard = (method: string) =>
      bot.fake.acceptedCalls(method).filter((c) => (c.answer!.body.ts ?? c.body.ts) === ref.messageId);
    expect(ofCard('chat.postMessage')).toHaveLength(1);
    expect(ofCard('chat.update').length).toBeGreaterThanOrEqual(5);
    // The result came as an ephemeral answer to the click, not as a message in the DM.
    expect(
      bot.fake
        .responses()
        .some((r) => r.body.response_type === 'ephemeral' && JSON.stringify(r.body).includes('综合得分')),
    ).toBe(true);
    expect(chat.received('李员工').some((t) => t.includes('综合得分：'))).toBe(false);
  });

  it('answers invalid answers on every evaluation form with inline errors on their blocks and saves nothing', async () => {
    const seen: FormKind[] = [];
    await invalidAnswersOnEveryForm(chat, ({ kind: form, result, form: shown }) => {
      seen.push(form);
      expect(result.raw).toEqual({ response_action: 'errors', errors: result.errors });
      const blocks = (shown.raw as ModalLike)
        .blocks!.filter((b) => b.type === 'input')
        .map((b) => b.block_id as string);
      for (const id of Object.keys(result.errors)) expect(blocks).toContain(id);
    });
    expect(seen).toEqual(['self', 'peer', 'customer', 'supervisor', 'review']);
  });
});
