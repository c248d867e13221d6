// An annual evaluation cycle through Feishu (messages to the bot, DM cards and their callbacks, form cards),
// encrypted and signed as Feishu delivers them: opened by HR, self-evaluation, peers nominated with `eval peers`
// (@mentions) and decided on the supervisor's cards, peer forms, a customer recorded by the account owner with
// `eval customer`, the supervisor's form with the self scores, the review, the acknowledgement and the result;
// then an invalid answer on every form kind, refused with an error toast and the card kept as filled. The steps
// are shared with Slack (test/support/evaluation-scenarios.ts); this file adds what only Feishu shows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES } from '../../../src/platforms/feishu/render.js';
import { STORE_BACKENDS } from '../../support/db.js';
import type { EvalChat } from '../../support/evaluation-chat.js';
import { cardKey, EVAL_PEOPLE, say } from '../../support/evaluation-flows.js';
import { annualCycleEndToEnd, type FormKind, invalidAnswersOnEveryForm } from '../../support/evaluation-scenarios.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { feishuEvalChat } from '../../support/feishu-evaluations.js';

describe.each(STORE_BACKENDS)('Feishu annual evaluations on %s', (kind) => {
  let bot: FeishuBot;
  let chat: EvalChat;

  beforeEach(async () => {
    bot = await startFeishuBot({ kind, people: EVAL_PEOPLE, env: { DUDAO_REMINDER_CRON: 'off' } });
    chat = feishuEvalChat(bot);
  });
  afterEach(async () => bot.stop());

  it('runs an annual cycle end to end: self, peers nominated and decided, peer and customer answers, supervisor, review, acknowledgement, result', async () => {
    const { participantId } = await annualCycleEndToEnd(chat);

    // `eval customer @李员工` was answered in the chat with the customer form card, within Feishu's card limit.
    const customerForm = bot.sent().find((s) => s.replyTo && JSON.stringify(s.card).includes('"t":"eval.customer"'));
    expect(customerForm).toBeDefined();
    expect(Buffer.byteLength(JSON.stringify(customerForm!.card))).toBeLessThan(CARD_MAX_BYTES);
    // The member's card was sent once to their chat, then PATCHed in place at every step.
    const ref = await bot.dudao.db.prisma.messageRef.findUniqueOrThrow({
      where: { key: cardKey(chat, participantId, '李员工') },
    });
    expect(bot.sent().filter((s) => s.messageId === ref.messageId)).toHaveLength(1);
    expect(bot.fake.patches().filter((p) => p.messageId === ref.messageId).length).toBeGreaterThanOrEqual(5);
    // The result came as a card of its own in the member's chat (the clicked card stayed as it was).
    expect(chat.received('李员工').filter((t) => t.includes('综合得分：60% × 83.0'))).toHaveLength(1);
  });

  it('refuses invalid answers on every evaluation form with an error toast, the card kept as filled, and saves nothing', async () => {
    const seen: FormKind[] = [];
    await invalidAnswersOnEveryForm(chat, ({ kind: form, who, values, result, form: shown }) => {
      seen.push(form);
      expect(result.raw.toast).toEqual({
        type: 'error',
        content: say(chat, who, 'inspect.err.summary', { n: Object.keys(result.errors).length }),
      });
      // The same form comes back, each answer where it was typed and the errors under their fields.
      const kept = result.form!;
      expect(kept.title).toBe(shown.title);
      expect(kept.fields.map((f) => f.id)).toEqual(shown.fields.map((f) => f.id));
      for (const f of kept.fields)
        if (!(f.id in result.errors) && values[f.id]?.trim()) expect(f.initial, f.id).toBe(values[f.id]);
    });
    expect(seen).toEqual(['self', 'peer', 'customer', 'supervisor', 'review']);
  });
});
