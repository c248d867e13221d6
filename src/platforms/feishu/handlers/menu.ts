// application.bot.menu_v6: a bot-menu item runs the command its key names, underscores read as spaces.
import type { ActorRef } from '../../../core/ports.js';
import { describeUnexpected } from '../../../core/shared/errors.js';
import type { Reply } from '../../../core/views/types.js';
import { errorReply, type HandlerContext } from './context.js';

export interface MenuEvent {
  event_id?: string;
  event_key?: string;
  operator?: { operator_id?: { open_id?: string } };
}

export async function onMenu(ctx: HandlerContext, data: MenuEvent) {
  const openId = data.operator?.operator_id?.open_id;
  if (!openId || !data.event_key) return;
  const requestId = data.event_id ?? `${openId}:${data.event_key}`;
  if (!(await ctx.firstTime(`event:${requestId}`))) return;
  const actor: ActorRef = { platform: 'feishu', userId: openId };
  let reply: Reply;
  try {
    reply = await ctx.core.command({
      actor,
      text: data.event_key.replace(/_/g, ' '),
      channelId: '',
      now: ctx.clock.now(),
    });
  } catch (e) {
    reply = errorReply(describeUnexpected(e, await ctx.localeOf(actor), ctx.logger, 'feishu-menu'));
  }
  // A menu has no chat: the answer always goes to the person directly.
  await ctx.answer(openId, requestId, reply, 'feishu-menu', (uuid) => ctx.sendToUser(openId, reply, uuid));
}
