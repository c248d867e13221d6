// Steps people take on Feishu, for end-to-end tests of the rectification loop and its reminders: run an
// inspection from a chat, find a person's finding card as they see it now, press its buttons and fill in
// the form cards that come back. Every request goes through startFeishuBot's encrypted, signed webhook.
import { expect } from 'vitest';
import type { FeishuBot } from './feishu-bot.js';
import { buttonClick, cardElements, formOfCard, type PostResult } from './feishu-requests.js';
import { failFirst, passAll } from './forms.js';

type Json = Record<string, unknown>;

/** The card a callback answer replaces the clicked card with. */
export function nextCard(res: PostResult): Json {
  expect(res.status).toBe(200);
  const card = res.json.card as { type: string; data: Json } | undefined;
  expect(card?.type).toBe('raw');
  return card!.data;
}

/** Labels of a card's buttons, in order. */
export function buttonLabels(card: Json): string[] {
  return cardElements(card, 'button').map((b) => String((b.text as { content?: string } | undefined)?.content ?? ''));
}

/** The callback value of the button labelled `label` (what Feishu hands back when it is pressed). */
export function buttonValue(card: Json, label: string): Json {
  const button = cardElements(card, 'button').find(
    (b) => (b.text as { content?: string } | undefined)?.content === label,
  );
  if (!button) throw new Error(`no button “${label}” on the card; it has ${JSON.stringify(buttonLabels(card))}`);
  return ((button.behaviors as Array<{ value?: Json }>)[0]?.value ?? {}) as Json;
}

/**
 * A supervisor inspects `dept` from a chat with the bot: the first item fails with this finding, the rest
 * pass. Returns the id of the finding it recorded.
 */
export async function inspectOnFeishu(
  bot: FeishuBot,
  finding: { desc: string; owner?: string; sev?: string },
  o: { openId?: string; dept?: string; chatId?: string } = {},
): Promise<number> {
  const openId = o.openId ?? 'ou_sup';
  const asked = await bot.say({ openId, text: `inspect ${o.dept ?? '门店A'}`, chatId: o.chatId ?? 'oc_ops' });
  let card = bot.sent().find((s) => s.replyTo === asked.messageId)!.card;
  for (let first = true; ; first = false) {
    const form = formOfCard(card);
    const res = await bot.submit(card, openId, first ? failFirst(form, finding) : passAll(form));
    const next = nextCard(res);
    if (cardElements(next, 'form').length === 0) {
      expect(res.json.toast).toMatchObject({ type: 'success' });
      break;
    }
    card = next;
  }
  const latest = await bot.dudao.db.prisma.finding.findFirstOrThrow({ orderBy: { id: 'desc' } });
  expect(latest.description).toBe(finding.desc);
  return latest.id;
}

/** Where a person's card for a finding was posted (the MessageRef the outbox recorded), or undefined. */
export async function cardRef(
  bot: FeishuBot,
  findingId: number,
  openId: string,
): Promise<{ messageId: string; channelId: string } | undefined> {
  const member = await bot.dudao.db.prisma.member.findFirstOrThrow({ where: { feishuOpenId: openId } });
  const ref = await bot.dudao.db.prisma.messageRef.findUnique({
    where: { key: `finding:${findingId}:card:${member.id}` },
  });
  return ref ? { messageId: ref.messageId, channelId: ref.channelId } : undefined;
}

/** A person's finding card as it reads in their chat now (after every PATCH Feishu accepted). */
export async function cardOf(
  bot: FeishuBot,
  findingId: number,
  openId: string,
): Promise<{ messageId: string; chatId: string; card: Json }> {
  const ref = await cardRef(bot, findingId, openId);
  if (!ref) throw new Error(`${openId} has no card for finding #${findingId}`);
  const message = bot.fake.message(ref.messageId);
  if (!message) throw new Error(`the fake never received message ${ref.messageId}`);
  return { messageId: ref.messageId, chatId: message.chatId, card: message.current };
}

/** Presses a button with this callback value, as `openId`, on a message in a chat. */
export function press(
  bot: FeishuBot,
  openId: string,
  value: Json,
  where: { messageId?: string; chatId?: string } = {},
): Promise<PostResult> {
  return bot.deliver(buttonClick({ openId, value, createTime: bot.clock.now(), ...where }));
}

/** Presses the button labelled `label` on the person's own finding card. */
export async function pressOnCard(
  bot: FeishuBot,
  findingId: number,
  openId: string,
  label: string,
): Promise<PostResult> {
  const mine = await cardOf(bot, findingId, openId);
  return press(bot, openId, buttonValue(mine.card, label), { messageId: mine.messageId, chatId: mine.chatId });
}

/**
 * One rectification step as a person takes it: press the button on their card, fill in the form card the
 * callback answers with, submit it. Returns the submit's callback answer; the outbox is not run.
 */
export async function takeStep(
  bot: FeishuBot,
  findingId: number,
  openId: string,
  label: string,
  values: Record<string, string>,
  o: { withValue?: boolean } = {},
): Promise<PostResult> {
  const mine = await cardOf(bot, findingId, openId);
  const form = nextCard(
    await press(bot, openId, buttonValue(mine.card, label), { messageId: mine.messageId, chatId: mine.chatId }),
  );
  return bot.submit(form, openId, values, { chatId: mine.chatId, ...o });
}
