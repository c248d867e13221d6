// EvalChat over Slack: slash commands and block_actions signed as Slack sends them, modals submitted back
// (view_submission), cards read from what the fake Web API received (chat.postMessage, then chat.update of
// the same ts).

import type { EvalChat, Shown, ShownCard, ShownForm } from './evaluation-chat.js';
import { dmChannelOf, type FakeSlackCall, textOf } from './fake-slack.js';
import type { SlackBot } from './slack-bot.js';
import { buttonsOf, clickButton } from './slack-findings.js';
import type { ModalLike } from './slack-requests.js';

export function slackForm(modal: ModalLike): ShownForm {
  const inputs = (modal.blocks ?? []).filter((b) => b.type === 'input');
  return {
    title: String((modal.title as { text?: string } | undefined)?.text ?? ''),
    text: textOf(modal),
    fields: inputs.map((b) => ({
      id: String(b.block_id),
      options: ((b.element.options ?? []) as Array<{ value: string }>).map((o) => o.value),
      initial: b.element.initial_option?.value ?? b.element.initial_value ?? undefined,
    })),
    raw: modal,
  };
}

/** A response_url post or ephemeral answer as the person reads it. */
function message(call: FakeSlackCall | undefined): Shown {
  if (!call) throw new Error('the bot answered nothing');
  return {
    kind: 'message',
    text: textOf(call.body),
    via: call.body.response_type === 'in_channel' ? 'public' : 'ephemeral',
    raw: call.body,
  };
}

export function slackEvalChat(bot: SlackBot): EvalChat {
  const prisma = bot.dudao.db.prisma;
  const userId = (name: string) => {
    const id = bot.people[name]?.slackUserId;
    if (!id) throw new Error(`${name} has no Slack user`);
    return id;
  };
  /** Every accepted post or update of the message under this ref, oldest first. */
  async function versions(refKey: string): Promise<FakeSlackCall[]> {
    const ref = await prisma.messageRef.findUnique({ where: { key: refKey } });
    if (!ref) return [];
    return bot.fake.calls.filter(
      (c) =>
        c.answer?.status === 200 &&
        c.answer.body.ok === true &&
        ((c.method === 'chat.postMessage' && c.answer.body.ts === ref.messageId) ||
          (c.method === 'chat.update' && c.body.ts === ref.messageId && c.body.channel === ref.channelId)),
    );
  }
  return {
    platform: 'slack',
    prisma,
    now: () => bot.clock.now(),
    people: bot.people,
    async command(who, text) {
      const typed = text.replace(/\{([^}]+)\}/g, (_, name: string) => `<@${userId(name)}>`);
      const r = await bot.command(userId(who), typed);
      const opened = bot.fake.callsTo('views.open').find((c) => c.body.trigger_id === r.triggerId);
      if (opened) return { kind: 'form', form: slackForm(opened.body.view as ModalLike) };
      return message(r.responses[0]);
    },
    async card(refKey): Promise<ShownCard | null> {
      const all = await versions(refKey);
      const now = all.at(-1);
      if (!now) return null;
      return { text: textOf(now.body), buttons: buttonsOf(now.body).map((b) => b.text.text), versions: all.length };
    },
    async press(actor, refKey, label) {
      const now = (await versions(refKey)).at(-1);
      if (!now) throw new Error(`no message under ${refKey}`);
      const button = buttonsOf(now.body).find((b) => b.text.text === label);
      if (!button)
        throw new Error(
          `no button “${label}” under ${refKey}; it has ${JSON.stringify(buttonsOf(now.body).map((b) => b.text.text))}`,
        );
      const click = await clickButton(bot, userId(actor), button);
      if (click.status !== 200) throw new Error(`Slack got HTTP ${click.status} for the click`);
      if (click.modal) return { kind: 'form', form: slackForm(click.modal) };
      return message(click.responses[0]);
    },
    async submit(who, form, values) {
      const res = await bot.submit(userId(who), form.raw as ModalLike, values);
      if (res.status !== 200) throw new Error(`Slack got HTTP ${res.status} for the submission`);
      if (res.json?.response_action === 'errors')
        return { kind: 'errors', errors: res.json.errors as Record<string, string>, raw: res.json };
      if (res.json?.response_action !== 'update') throw new Error(`unexpected answer ${res.text}`);
      return { kind: 'notice', text: textOf(res.json.view) };
    },
    settle: () => bot.settle(),
    received(who) {
      const dm = dmChannelOf(userId(who));
      return bot.fake
        .acceptedCalls('chat.postMessage')
        .filter((c) => c.channel === dm)
        .map((c) => textOf(c.body));
    },
  };
}
