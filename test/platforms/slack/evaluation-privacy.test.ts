// Who may read an evaluation, through Slack: once 李员工's annual evaluation is scored (before the review),
// people asking with `eval result` or pressing buttons on cards that are not theirs are refused in private, in
// their own language, and nothing changes. The cases are shared with Feishu (PRIVACY_CASES).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import type { EvalChat } from '../../support/evaluation-chat.js';
import { annualScored, EVAL_PEOPLE, participant } from '../../support/evaluation-flows.js';
import { PRIVACY_CASES, refused, scoreOnlyOnSupervisorsCard } from '../../support/evaluation-scenarios.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { slackEvalChat } from '../../support/slack-evaluations.js';

describe.each(STORE_BACKENDS)('Slack evaluation privacy on %s', (kind) => {
  let bot: SlackBot;
  let chat: EvalChat;
  let pid: number;

  // The refusals change nothing, so one scored evaluation serves every case.
  beforeAll(async () => {
    bot = await startSlackBot({ kind, people: EVAL_PEOPLE, env: { DUDAO_REMINDER_CRON: 'off' } });
    chat = slackEvalChat(bot);
    await annualScored(chat, { carol: 'proposed' });
    pid = (await participant(chat, '李员工')).id;
  });
  afterAll(async () => bot?.stop());

  it('shows the score on the supervisor’s card only, not on the member’s or the peer’s', async () => {
    await scoreOnlyOnSupervisorsCard(chat, pid);
  });

  it.each(PRIVACY_CASES.map((c) => [c.name, c] as const))(
    'refuses %s, in an ephemeral answer, and changes nothing',
    async (_, c) => {
      const posted = bot.fake.acceptedCalls('chat.postMessage').length;
      const shown = await refused(chat, c, pid);
      expect(shown.via).toBe('ephemeral');
      // Nothing was posted in anyone's DM, and no modal opened.
      await bot.settle();
      expect(bot.fake.acceptedCalls('chat.postMessage')).toHaveLength(posted);
    },
  );
});
