// Button clicks on messages: acked at once, then run by the core; the answer never replaces the clicked
// message.
import type { App } from '@slack/bolt';
import type { ActorRef } from '../../../core/ports.js';
import type { ListenerContext } from './context.js';

export function listenToActions(app: App, ctx: ListenerContext): void {
  app.action(/.*/, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !('action_id' in action)) return;
    await ctx.acksFirst.turn();
    if (!(await ctx.firstTime(`trigger:${body.trigger_id}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: body.user.id };
    await ctx.guarded(
      actor,
      (text) => respond({ response_type: 'ephemeral', replace_original: false, text }),
      async () => {
        const reply = await ctx.core.action({
          actor,
          // render.ts numbers each button (`:n`) because Slack wants action ids unique within a block.
          actionId: action.action_id.replace(/:\d+$/, ''),
          value: 'value' in action && typeof action.value === 'string' ? action.value : '',
          channelId: body.channel?.id ?? '',
          now: ctx.clock.now(),
        });
        await ctx.deliver(
          reply,
          (m) => respond({ replace_original: false, ...m }),
          (view) => client.views.open({ trigger_id: body.trigger_id, view: view as never }),
          { userId: body.user.id, requestId: body.trigger_id },
        );
      },
    );
  });
}
