// The bot's Home tab shows the help for whoever opens it.
import type { App } from '@slack/bolt';
import type { ActorRef } from '../../../core/ports.js';
import { renderMessage } from '../render.js';
import type { ListenerContext } from './context.js';

export function listenToHome(app: App, ctx: ListenerContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    const e = event as { user: string; tab?: string };
    if (e.tab && e.tab !== 'home') return;
    await ctx.acksFirst.turn();
    if (!(await ctx.firstTime(`event:${(body as { event_id?: string }).event_id ?? ''}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: e.user };
    await ctx.guarded(
      actor,
      async () => undefined,
      async () => {
        const reply = await ctx.core.command({ actor, text: 'help', channelId: '', now: ctx.clock.now() });
        if (reply.kind === 'message')
          await client.views.publish({
            user_id: e.user,
            view: { type: 'home', blocks: renderMessage(reply.message).blocks } as never,
          });
      },
    );
  });
}
