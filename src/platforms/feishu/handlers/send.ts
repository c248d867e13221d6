// How a Feishu handler answers: a card as a reply where the person typed, or as a direct message, now or
// through the outbox (src/platforms/shared/answer.ts).
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Reply } from '../../../core/views/types.js';
import { type AnswerDeps, answerNowOrQueue } from '../../shared/answer.js';
import { renderCard, renderFormCard } from '../render.js';
import { larkCall, toDeliveryError, uuidOf } from '../sender.js';

export interface FeishuReplies {
  /** Replies to a message (or, without one, posts in the chat); `uuid` makes a repeated send post nothing new. */
  replyTo(messageId: string | undefined, chatId: string, reply: Reply, uuid?: string): Promise<void>;
  sendToUser(openId: string, reply: Reply, uuid?: string): Promise<void>;
  /**
   * Sends the answer to a request now, or queues it in the outbox when Feishu does not take it. `send` gets
   * the uuid the outbox send will carry too, so an answer Feishu took but whose acknowledgement was lost is
   * not posted a second time. Resolves false when the answer was neither sent nor queued (logged here).
   */
  answer(
    openId: string,
    requestId: string,
    reply: Reply,
    surface: string,
    send: (uuid: string) => Promise<unknown>,
  ): Promise<boolean>;
}

const cardOf = (reply: Reply) =>
  JSON.stringify(reply.kind === 'form' ? renderFormCard(reply.form) : renderCard(reply.message));

export function feishuReplies(client: lark.Client, deps: AnswerDeps): FeishuReplies {
  return {
    // `uuid` is Feishu's idempotency key: a send repeating it posts nothing new.
    async replyTo(messageId, chatId, reply, uuid) {
      const data = { msg_type: 'interactive', content: cardOf(reply), ...(uuid ? { uuid } : {}) };
      if (messageId)
        await larkCall(client, 'im.v1.message.reply', () =>
          client.im.v1.message.reply({ path: { message_id: messageId }, data }),
        );
      else
        await larkCall(client, 'im.v1.message.create', () =>
          client.im.v1.message.create({
            params: { receive_id_type: 'chat_id' },
            data: { ...data, receive_id: chatId },
          }),
        );
    },
    async sendToUser(openId, reply, uuid) {
      const data = { receive_id: openId, msg_type: 'interactive', content: cardOf(reply), ...(uuid ? { uuid } : {}) };
      await larkCall(client, 'im.v1.message.create', () =>
        client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data }),
      );
    },
    async answer(openId, requestId, reply, surface, send) {
      const outcome = await answerNowOrQueue(
        deps,
        { platform: 'feishu', userId: openId, requestId },
        reply,
        (key) => send(uuidOf(key)),
        (e) => toDeliveryError(client, 'reply', e),
        { surface },
      );
      if (outcome.kind !== 'failed') return true;
      // A refusal, or a form card (which cannot wait in the outbox, it holds messages): the person can ask again.
      deps.logger.error({ err: outcome.message, surface, userId: openId, requestId }, 'the answer could not be sent');
      return false;
    },
  };
}
