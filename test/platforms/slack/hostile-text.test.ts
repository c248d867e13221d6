// What a hostile or careless person types into a checklist, and what their profile says, reaches the channel
// summary and the owner's finding card as text: nobody is pinged, no link is disguised.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';
import { type ModalLike, modalAnswers } from '../../support/slack-requests.js';

const NOTE = '<!channel> <!here> <@U123> <https://evil.example|invoice>';
const DEPT = 'A&B<门店>';
const PEOPLE = [
  { name: '<!channel> Eve', slack: 'USUP', role: 'supervisor' as const, locale: 'en' as const },
  {
    name: '王经理 <@UADMIN>',
    slack: 'UMGR',
    role: 'manager' as const,
    dept: DEPT,
    manages: DEPT,
    locale: 'zh-CN' as const,
  },
];

/** The mrkdwn a message holds: its fallback text and every mrkdwn text object (plain_text is never markup). */
function mrkdwnOf(body: Record<string, unknown>): string[] {
  const out: string[] = typeof body.text === 'string' ? [body.text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(body.blocks);
  return out;
}

/** Every live Slack construct (<…>) in a message's mrkdwn but the mentions dudao makes of its people. */
const liveMarkup = (body: Record<string, unknown>) => mrkdwnOf(body).flatMap((s) => s.match(/<[^>]*>/g) ?? []);

describe.each(STORE_BACKENDS)('hostile text on Slack on %s', (kind) => {
  let bot: SlackBot;
  beforeEach(async () => {
    bot = await startSlackBot({ kind, people: PEOPLE });
  });
  afterEach(async () => bot.stop());

  it('posts the summary and the finding card with every typed mention and link shown as text', async () => {
    await bot.command('USUP', `inspect ${DEPT}`, { channelId: 'C0OPS' });
    const page1 = bot.fake.callsTo('views.open')[0]!.body.view as ModalLike;
    const fail = {
      d0i0_score: 'fail',
      d0i0_note: NOTE,
      d0i0_desc: `${NOTE} *urgent*`,
      d0i0_impact: '<!everyone>',
      d0i0_sev: 'high',
    };
    const page2 = (await bot.submit('USUP', page1, modalAnswers(page1, fail))).json.view as ModalLike;
    const done = await bot.submit('USUP', page2, modalAnswers(page2));
    expect(done.json.response_action).toBe('update');
    await bot.settle();

    const posts = bot.fake.callsTo('chat.postMessage');
    const summary = posts.find((c) => c.channel === 'C0OPS')!.body;
    const card = posts.find((c) => c.channel !== 'C0OPS')!.body;
    for (const body of [summary, card]) {
      expect(liveMarkup(body)).toEqual([]);
      // Shown as the characters typed (Slack decodes &lt; &gt; &amp; for display).
      expect(textOf(body)).toContain(
        '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|invoice&gt;',
      );
      expect(textOf(body)).toContain('A&amp;B&lt;门店&gt;');
    }
    expect(textOf(summary)).toContain('&lt;!channel&gt; Eve');
    expect(textOf(card)).toContain('&lt;!everyone&gt;');
    // The owner's name, as typed in the profile, is no mention either.
    expect(textOf(summary)).toContain('王经理 &lt;@UADMIN&gt;');
  });
});
