// EvalChat over Feishu: messages to the bot and card callbacks, encrypted and signed as Feishu delivers them;
// cards read as the fake holds them now (sent, then PATCHed in place); a form's answer is the callback's toast
// and the card it puts in place of the clicked one.
import { fieldsOf } from '../../src/core/views/types.js';
import type { EvalChat, Shown, ShownCard, ShownForm } from './evaluation-chat.js';
import type { FeishuBot } from './feishu-bot.js';
import { buttonLabels, buttonValue, press } from './feishu-flows.js';
import { cardElements, cardText, formOfCard, type PostResult } from './feishu-requests.js';

type Json = Record<string, unknown>;
type Toast = { type: string; content: string };

export function feishuForm(card: Json, chatId?: string): ShownForm {
  const form = formOfCard(card);
  return {
    title: form.title,
    text: cardText(card),
    fields: fieldsOf(form).map((f) => ({
      id: f.id,
      options: (f.options ?? []).map((o) => o.value),
      initial: f.initial,
      error: f.error,
    })),
    raw: card,
    chatId,
  };
}

const isForm = (card: Json) => cardElements(card, 'form').length > 0;

export function feishuEvalChat(bot: FeishuBot): EvalChat {
  const prisma = bot.dudao.db.prisma;
  const openId = (name: string) => {
    const id = bot.people[name]?.feishuOpenId;
    if (!id) throw new Error(`${name} has no Feishu open_id`);
    return id;
  };
  async function message(refKey: string) {
    const ref = await prisma.messageRef.findUnique({ where: { key: refKey } });
    return ref ? bot.fake.message(ref.messageId) : undefined;
  }
  /** A callback's answer: the card put in place of the clicked one, a toast, or a card sent to the person. */
  async function answer(actor: string, res: PostResult, sentBefore: number, chatId: string): Promise<Shown> {
    if (res.status !== 200) throw new Error(`the webhook answered HTTP ${res.status}`);
    const card = (res.json.card as { data?: Json } | undefined)?.data;
    const toast = res.json.toast as Toast | undefined;
    if (card && isForm(card)) return { kind: 'form', form: feishuForm(card, chatId) };
    if (toast) return { kind: 'message', text: toast.content, via: 'toast', tone: toast.type, raw: res.json };
    await bot.dudao.feishu!.idle();
    const cards = bot
      .sent()
      .slice(sentBefore)
      .filter((s) => s.receiveId === openId(actor));
    if (cards.length === 0) throw new Error(`the click answered nothing: ${res.text}`);
    return { kind: 'message', text: cards.map((s) => cardText(s.card)).join('\n'), via: 'card', raw: cards };
  }
  return {
    platform: 'feishu',
    prisma,
    now: () => bot.clock.now(),
    people: bot.people,
    async command(who, text) {
      const mentions: Array<{ openId: string; name: string }> = [];
      const typed = text.replace(/\{([^}]+)\}/g, (_, name: string) => {
        mentions.push({ openId: openId(name), name });
        return `@_user_${mentions.length}`;
      });
      const said = await bot.say({ openId: openId(who), text: typed, mentions });
      const reply = bot.sent().find((s) => s.replyTo === said.messageId);
      if (!reply) throw new Error(`no reply to “${text}”`);
      if (isForm(reply.card)) return { kind: 'form', form: feishuForm(reply.card, reply.chatId) };
      return { kind: 'message', text: cardText(reply.card), via: 'card', raw: reply.card };
    },
    async card(refKey): Promise<ShownCard | null> {
      const m = await message(refKey);
      if (!m) return null;
      return {
        text: cardText(m.current),
        buttons: buttonLabels(m.current),
        versions: 1 + bot.fake.patches().filter((p) => p.messageId === m.messageId).length,
      };
    },
    async press(actor, refKey, label) {
      const m = await message(refKey);
      if (!m) throw new Error(`no message under ${refKey}`);
      const before = bot.sent().length;
      const res = await press(bot, openId(actor), buttonValue(m.current, label), {
        messageId: m.messageId,
        chatId: m.chatId,
      });
      return answer(actor, res, before, m.chatId);
    },
    async submit(who, form, values) {
      const res = await bot.submit(form.raw as Json, openId(who), values, form.chatId ? { chatId: form.chatId } : {});
      if (res.status !== 200) throw new Error(`the webhook answered HTTP ${res.status}`);
      const toast = res.json.toast as Toast | undefined;
      const card = (res.json.card as { data?: Json } | undefined)?.data;
      if (card && isForm(card)) {
        const kept = feishuForm(card, form.chatId);
        const errors = Object.fromEntries(kept.fields.filter((f) => f.error).map((f) => [f.id, f.error!]));
        return { kind: 'errors', errors, raw: res.json, form: kept, toast: toast?.content };
      }
      if (!toast) throw new Error(`unexpected answer ${res.text}`);
      return { kind: 'notice', text: toast.content, tone: toast.type };
    },
    settle: () => bot.settle(),
    received(who) {
      return bot
        .sent()
        .filter((s) => s.receiveId === openId(who))
        .map((s) => cardText(s.card));
    },
  };
}
