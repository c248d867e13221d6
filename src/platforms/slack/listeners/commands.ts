// The slash command: acked at once, then run by the core; the answer goes to response_url or opens a modal.
import type { App } from '@slack/bolt';
import { clipCommandText } from '../../../core/commands/limits.js';
import type { ActorRef } from '../../../core/ports.js';
import { SLASH_COMMAND } from '../payloads.js';
import type { ListenerContext } from './context.js';

export function listenToCommands(app: App, ctx: ListenerContext): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    await ctx.acksFirst.turn();
    if (!(await ctx.firstTime(`trigger:${command.trigger_id}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: command.user_id };
    await ctx.guarded(
      actor,
      (text) => respond({ response_type: 'ephemeral', text }),
      async () => {
        const reply = await ctx.core.command({
          actor,
          text: clipCommandText(command.text ?? ''),
          channelId: command.channel_id,
          now: ctx.clock.now(),
        });
        await ctx.deliver(
          reply,
          respond,
          (view) => client.views.open({ trigger_id: command.trigger_id, view: view as never }),
          { userId: command.user_id, requestId: command.trigger_id },
        );
      },
    );
  });
}
