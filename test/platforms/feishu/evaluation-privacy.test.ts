// Who may read an evaluation, through Feishu: once 李员工's annual evaluation is scored (before the review),
// people asking with `eval result` (answered in their chat) or pressing buttons on cards that are not theirs
// (an error toast, or a card of their own when the refusal brings what they wrote themselves; the pressed card
// stays as it was) are refused in their own language, and nothing changes. The cases
// are shared with Slack (PRIVACY_CASES).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import type { EvalChat } from '../../support/evaluation-chat.js';
import { annualScored, EVAL_PEOPLE, participant } from '../../support/evaluation-flows.js';
import { PRIVACY_CASES, refused, scoreOnlyOnSupervisorsCard } from '../../support/evaluation-scenarios.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { feishuEvalChat } from '../../support/feishu-evaluations.js';

describe.each(STORE_BACKENDS)('Feishu evaluation privacy on %s', (kind) => {
  let bot: FeishuBot;
  let chat: EvalChat;
  let pid: number;

  // The refusals change nothing, so one scored evaluation serves every case.
  beforeAll(async () => {
    bot = await startFeishuBot({ kind, people: EVAL_PEOPLE, env: { DUDAO_REMINDER_CRON: 'off' } });
    chat = feishuEvalChat(bot);
    await annualScored(chat, { carol: 'proposed' });
    pid = (await participant(chat, '李员工')).id;
  });
  afterAll(async () => bot?.stop());

  it('shows the score on the supervisor’s card only, not on the member’s or the peer’s', async () => {
    await scoreOnlyOnSupervisorsCard(chat, pid);
  });

  it.each(PRIVACY_CASES.map((c) => [c.name, c] as const))('refuses %s and changes nothing', async (_, c) => {
    const patches = bot.fake.patches().length;
    const shown = await refused(chat, c, pid);
    // A bare refusal to a button is an error toast; one that brings the person's own writing, or a command's
    // answer, is a card of its own.
    if (c.via === 'button' && !c.withOwnWriting) expect(shown).toMatchObject({ via: 'toast', tone: 'error' });
    else expect(shown.via).toBe('card');
    // No card was updated (the pressed one included).
    await bot.settle();
    expect(bot.fake.patches()).toHaveLength(patches);
  });
});
