// A direct message to the bot carries no trigger_id, so it cannot open a modal: a command that opens a form
// (inspect) is answered with how to run it as a slash command, in the person's language, and saves no draft.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { textOf } from '../../support/fake-slack.js';
import { STANDARD_ORG } from '../../support/org.js';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.js';

const PEOPLE = [...STANDARD_ORG, { name: '钱管理', slack: 'UADMZH', role: 'admin' as const, locale: 'zh-CN' as const }];

describe.each(STORE_BACKENDS)('Slack direct messages that would open a form on %s', (kind) => {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot({ kind, people: PEOPLE });
  });
  afterAll(async () => bot.stop());
  beforeEach(async () => {
    await bot.idle();
    bot.fake.reset();
  });

  async function dm(userId: string, text: string): Promise<string> {
    bot.fake.reset();
    expect((await bot.dm(userId, text)).status).toBe(200);
    await bot.idle();
    const posts = bot.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(`D${userId}`);
    expect(textOf(posts[0]!.body)).toContain(String(posts[0]!.body.text));
    return String(posts[0]!.body.text);
  }
  const drafts = () => bot.dudao.db.prisma.inspectionDraft.count();

  it('answers `inspect 门店A` with a hint to use the slash command, opens nothing and saves no draft', async () => {
    const before = await drafts();
    const text = await dm('USUP', 'inspect 门店A');
    expect(text).toBe(
      'This opens a form, which a typed message cannot open. Use the slash command instead, here or in any channel: `/dudao inspect 门店A`',
    );
    expect(text).not.toMatch(/^\/dudao/);
    expect(bot.fake.callsTo('views.open')).toHaveLength(0);
    expect(await drafts()).toBe(before);

    // In Chinese for a Chinese reader, with the Chinese command and a leading /dudao typed or not.
    const zh = await dm('UADMZH', '/dudao 检查 门店A');
    expect(zh).toBe(
      '该命令需要打开表单，直接发送的消息无法打开表单。请改用斜杠命令（在此处或任意频道输入）：`/dudao 检查 门店A`',
    );
    expect(await drafts()).toBe(before);
  });

  it('still answers refusals and unknown departments as usual, and the slash command still opens the checklist', async () => {
    expect(await dm('USTAFF', 'inspect 门店A')).not.toContain('/dudao inspect');
    expect(await dm('USUP', 'inspect Nowhere')).toContain('There is no department “Nowhere”');
    expect(await drafts()).toBe(0);
    bot.fake.reset();
    const r = await bot.command('USUP', 'inspect 门店A');
    expect(r.status).toBe(200);
    await bot.idle();
    expect(bot.fake.callsTo('views.open')).toHaveLength(1);
    expect(await drafts()).toBe(1);
  });
});
