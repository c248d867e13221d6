// im.message.receive_v1: a message typed to the bot (in a direct chat, or mentioning it in a group) runs as
// a command, answered where it was typed, or privately.

import { t } from '../../../core/i18n/t.js';
import type { ActorRef } from '../../../core/ports.js';
import { describeUnexpected } from '../../../core/shared/errors.js';
import type { Reply } from '../../../core/views/types.js';
import { answerKey } from '../../shared/answer.js';
import { commandText, type FeishuMessageEvent } from '../messages.js';
import { toDeliveryError, uuidOf } from '../sender.js';
import { errorReply, type HandlerContext } from './context.js';

type Message = NonNullable<FeishuMessageEvent['message']>;

export async function onMessage(ctx: HandlerContext, data: FeishuMessageEvent & { event_id?: string }) {
  const openId = data.sender?.sender_id?.open_id;
  const message = data.message;
  if (!openId || !message || data.sender?.sender_type === 'app') return;
  if (!(await ctx.firstTime(`event:${data.event_id ?? message.message_id}`))) return;
  const actor: ActorRef = { platform: 'feishu', userId: openId };
  const requestId = data.event_id ?? message.message_id;
  const text = commandText(message);
  let reply: Reply;
  try {
    reply = await ctx.core.command({ actor, text: text ?? 'help', channelId: message.chat_id, now: ctx.clock.now() });
  } catch (e) {
    reply = errorReply(describeUnexpected(e, await ctx.localeOf(actor), ctx.logger, 'feishu-message'));
  }
  await answerMessage(ctx, openId, requestId, message, reply);
}

/**
 * Answers a message where it was typed. A private answer to a message in a group (a one-time link, a
 * score, someone's findings, a refusal) and a form (what is filled in, evaluation scores; on Slack a modal
 * only the person sees) go to the person as a direct message instead (bots have no ephemeral messages in
 * group chats), and the group only hears that it was sent. A form that could not be sent cannot wait in
 * the outbox, so the group hears that instead and the person asks again. The command already ran with the
 * group's chat id, so what the form reports when it is submitted (an inspection's summary) goes to the group.
 */
async function answerMessage(ctx: HandlerContext, openId: string, requestId: string, message: Message, reply: Reply) {
  const surface = 'feishu-message';
  const privateInGroup = (reply.kind === 'form' || reply.visibility === 'private') && message.chat_type !== 'p2p';
  if (!privateInGroup) {
    await ctx.answer(openId, requestId, reply, surface, (uuid) =>
      ctx.replyTo(message.message_id, message.chat_id, reply, uuid),
    );
    return;
  }
  const delivered = await ctx.answer(openId, requestId, reply, surface, (uuid) => ctx.sendToUser(openId, reply, uuid));
  const formLost = reply.kind === 'form' && !delivered;
  const text = t(
    await ctx.localeOf({ platform: 'feishu', userId: openId }),
    formLost ? 'common.formNotSent' : 'common.sentPrivately',
  );
  const said: Reply = {
    kind: 'message',
    visibility: 'public',
    message: { text, ...(formLost ? { tone: 'danger' as const } : {}), blocks: [{ kind: 'text', text }] },
  };
  await ctx
    .replyTo(
      message.message_id,
      message.chat_id,
      said,
      uuidOf(`${answerKey('feishu', requestId)}:${formLost ? 'formNotSent' : 'pointer'}`),
    )
    .catch((e: unknown) =>
      ctx.logger.warn(
        { err: toDeliveryError(ctx.client, 'reply', e).message, surface, requestId },
        formLost
          ? 'could not say in the group that the form could not be sent'
          : 'could not say in the group that the answer was sent privately',
      ),
    );
}
