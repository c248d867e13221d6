// What a hostile or careless person types into a checklist, and what their profile says, reaches the group
// summary and the owner's finding card as text: no live link, no @all, no emphasis it did not have.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../support/db.js';
import { type FeishuBot, startFeishuBot } from '../../support/feishu-bot.js';
import { cardElements, formOfCard } from '../../support/feishu-requests.js';
import { failFirst, passAll } from '../../support/forms.js';

type Json = Record<string, unknown>;

const LINK = '[invoice](https://evil.example/pay)';
const DEPT = '门店_A';
const PEOPLE = [
  { name: '<at id=all></at> Eve', feishu: 'ou_sup', role: 'supervisor' as const, locale: 'en' as const },
  {
    name: '**王经理**',
    feishu: 'ou_mgr',
    role: 'manager' as const,
    dept: DEPT,
    manages: DEPT,
    locale: 'zh-CN' as const,
  },
];

/** Every markdown content of a card. */
function markdownOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (o.tag === 'markdown' && typeof o.content === 'string') out.push(o.content);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe.each(STORE_BACKENDS)('hostile text on Feishu on %s', (kind) => {
  let bot: FeishuBot;
  beforeEach(async () => {
    bot = await startFeishuBot({ kind, people: PEOPLE });
  });
  afterEach(async () => bot.stop());

  it('sends the group summary and the finding card with typed links, tags and emphasis shown as text', async () => {
    await bot.say({
      openId: 'ou_sup',
      chatType: 'group',
      chatId: 'oc_group_ops',
      text: `@_user_1 /dudao inspect ${DEPT}`,
      mentions: [{ openId: 'ou_bot', name: 'dudao' }],
    });
    let card = bot.sent().find((s) => s.via === 'create')!.card as Json;
    let values = failFirst(formOfCard(card), {
      desc: `${LINK} ~~paid~~`,
      note: `${LINK} <at id=all></at>`,
      impact: '*everyone*',
    });
    for (;;) {
      const res = await bot.submit(card, 'ou_sup', values);
      const next = (res.json.card as { data?: Json } | undefined)?.data;
      if (!next || !cardElements(next, 'form').length) break;
      card = next;
      values = passAll(formOfCard(card));
    }
    await bot.settle();

    const pushed = bot.sent().filter((s) => s.via === 'create' && !cardElements(s.card as Json, 'form').length);
    const summary = pushed.find((s) => s.receiveId === 'oc_group_ops')!.card;
    const findingCard = pushed.find((s) => s.receiveId === 'ou_mgr')!.card;
    for (const c of [summary, findingCard]) {
      const md = markdownOf(c).join('\n');
      expect(md).not.toContain('[invoice]');
      expect(md).not.toContain('](https://');
      expect(md).not.toContain('<at id=all>');
      expect(md).not.toContain('~~');
      expect(md).toContain('&#91;invoice&#93;(https://evil.example/pay)');
    }
    const summaryMd = markdownOf(summary).join('\n');
    expect(summaryMd).toContain('&lt;at id=all&gt;&lt;/at&gt; Eve');
    expect(summaryMd).toContain('&#42;&#42;王经理&#42;&#42;');
    // The header is plain text: the name shows as typed.
    expect(JSON.stringify((summary as Json).header)).toContain('门店_A');
    expect(markdownOf(findingCard).join('\n')).toContain('&#42;everyone&#42;');
  });
});
