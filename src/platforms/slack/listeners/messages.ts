// Direct messages to the bot work like the slash command (handy on mobile), except that they cannot open a
// modal.
import type { App } from '@slack/bolt';
import { clipCommandText, MAX_COMMAND_CHARS } from '../../../core/commands/limits.js';
import { t } from '../../../core/i18n/t.js';
import type { ActorRef } from '../../../core/ports.js';
import { SLASH_COMMAND } from '../payloads.js';
import { renderMessage, toMrkdwn } from '../render.js';
import type { ListenerContext } from './context.js';

interface MessageEvent {
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
}

export function listenToMessages(app: App, ctx: ListenerContext): void {
  const { core, clock } = ctx;
  app.event('message', async ({ event, body, client }) => {
    const e = event as MessageEvent;
    if (e.channel_type !== 'im' || e.subtype || e.bot_id || !e.user) return;
    // Bolt acked the event before this listener ran.
    await ctx.acksFirst.turn();
    // Slack re-delivers an event it thinks failed; the event_id stays the same (X-Slack-Retry-Num).
    if (!(await ctx.firstTime(`event:${(body as { event_id?: string }).event_id ?? ''}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: e.user };
    const post = (m: object) => client.chat.postMessage({ channel: e.channel, ...m } as never);
    await ctx.guarded(
      actor,
      (text) => post({ text }),
      async () => {
        const raw = e.text ?? '';
        // An over-long text goes to the core as it is (cut), for the core to say so; nothing else reads it.
        const text = raw.length > MAX_COMMAND_CHARS ? clipCommandText(raw) : raw.replace(/^\/dudao\s*/i, '').trim();
        // A modal needs a trigger_id, which only slash commands and clicks carry: the core answers a command
        // that would open one (inspect) with how to run it, before saving a draft.
        const reply = await core.command({ actor, text, channelId: e.channel, now: clock.now(), forms: false });
        if (reply.kind === 'form') {
          await post({
            text: toMrkdwn(
              t(await ctx.localeOf(actor), 'help.formNeedsSlash', { command: `${SLASH_COMMAND} ${text}` }),
            ),
          });
          return;
        }
        await post(renderMessage(reply.message));
      },
    );
  });
}
