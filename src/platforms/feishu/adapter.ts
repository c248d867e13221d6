// Feishu/Lark transport: builds the Lark EventDispatcher and registers the handlers (handlers/). Webhook
// mode feeds it through webhook.ts, which verifies and decrypts the raw body; long-connection mode through
// the SDK's WSClient (connection.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { checkCredentials, openLongConnection } from './connection.js';
import { onCardAction } from './handlers/card-actions.js';
import { createHandlerContext, type FeishuHandlerDeps } from './handlers/context.js';
import { onMenu } from './handlers/menu.js';
import { onMessage } from './handlers/messages.js';
import { larkLogger } from './lark-logger.js';
import type { FeishuMessageEvent } from './messages.js';
import { cardActionShape, menuEventShape, messageEventShape, readEvent } from './payloads.js';
import { createWebhook } from './webhook.js';

export interface FeishuAdapterConfig {
  appId: string;
  appSecret: string;
  verificationToken?: string;
  encryptKey?: string;
  domain: string;
  mode: 'webhook' | 'ws';
}

export interface FeishuAdapterDeps extends FeishuHandlerDeps {
  config: FeishuAdapterConfig;
}

export interface FeishuAdapter {
  dispatcher: lark.EventDispatcher;
  webhook?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Resolves when background work started by earlier events has finished (tests, shutdown). */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createFeishuAdapter(deps: FeishuAdapterDeps): FeishuAdapter {
  const { config, clock, logger, client } = deps;
  const ctx = createHandlerContext(deps);

  // Its warnings (an event type nothing is registered for, on the long connection) go to dudao's log.
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn, logger: larkLogger(logger) });
  dispatcher.register({
    // Acked at once; the work runs after the ack so Feishu never re-pushes for slowness. A malformed event is
    // acked too (with a warn line): Feishu would push it again, no different, for hours.
    'im.message.receive_v1': async (data: unknown) => {
      const event = readEvent(messageEventShape, data, 'im.message.receive_v1', logger);
      if (event) ctx.background(() => onMessage(ctx, event as FeishuMessageEvent));
    },
    'application.bot.menu_v6': async (data: unknown) => {
      const event = readEvent(menuEventShape, data, 'application.bot.menu_v6', logger);
      if (event) ctx.background(() => onMenu(ctx, event));
    },
    // Answered in the callback's response: a toast, the next page, or the card kept as filled.
    'card.action.trigger': async (data: unknown) => {
      const event = readEvent(cardActionShape, data, 'card.action.trigger', logger);
      return event ? onCardAction(ctx, event) : {};
    },
  } as never);

  let ws: lark.WSClient | undefined;
  return {
    dispatcher,
    webhook: config.mode === 'webhook' ? createWebhook({ config, dispatcher, clock, logger }) : undefined,
    idle: () => ctx.idle(),
    async start() {
      await checkCredentials(client, config, logger);
      if (config.mode !== 'ws') return;
      const connection = openLongConnection(config, dispatcher, logger);
      ws = connection.ws;
      await connection.ready;
    },
    async stop() {
      ws?.close({ force: true } as never);
      await ctx.idle();
    },
  };
}
