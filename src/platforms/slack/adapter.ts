// Slack transport: builds the Bolt app and registers the listeners (listeners/), which turn requests into
// core calls and render the answers. Bolt verifies the signature and the 5-minute window (HTTP mode); the
// listeners ack first, dedupe, and present errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, HTTPReceiver, type Logger, LogLevel } from '@slack/bolt';
import { MAX_BODY_BYTES } from '../../http/body.js';
import { AckFirst } from './ack-first.js';
import { boltLogger } from './bolt-logger.js';
import { type ErrorLogger, presentSlackError } from './errors.js';
import { guardSlackRequests } from './ingress.js';
import { listenToActions } from './listeners/actions.js';
import { listenToCommands } from './listeners/commands.js';
import { createListenerContext, type SlackListenerDeps } from './listeners/context.js';
import { listenToHome } from './listeners/home.js';
import { listenToMessages } from './listeners/messages.js';
import { listenToViews } from './listeners/views.js';
import { SLASH_COMMAND } from './payloads.js';
import { FORM_CALLBACK_ID } from './render.js';
import { slackClientOptions } from './sender.js';
import { TrackedApp } from './tracked-app.js';

export { AckFirst, FORM_CALLBACK_ID, SLASH_COMMAND };

export interface SlackAdapterConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  mode: 'http' | 'socket';
}

export interface SlackAdapterDeps extends SlackListenerDeps {
  config: SlackAdapterConfig;
}

export interface SlackAdapter {
  app: App;
  /** HTTP mode only: the listener for POST /slack/events (Bolt's, behind ingress.ts). */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Resolves when every request received so far has been fully handled (tests, shutdown). */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function createReceiver(config: SlackAdapterConfig, boltLog: Logger): HTTPReceiver | undefined {
  if (config.mode !== 'http') return undefined;
  return new HTTPReceiver({
    signingSecret: config.signingSecret!,
    endpoints: '/slack/events',
    logger: boltLog,
    logLevel: LogLevel.WARN,
    // Events are acked by Bolt before listeners run; keep that so slow work never delays an ack.
    processBeforeResponse: false,
    // Bolt's default is 4 MB; the largest body Slack sends dudao (a submitted modal echoes its view,
    // at most 250 kB, with what was typed) is far below the 1 MB the Feishu webhook takes too.
    bodyLimit: MAX_BODY_BYTES,
  });
}

function createApp(
  config: SlackAdapterConfig,
  receiver: HTTPReceiver | undefined,
  boltLog: Logger,
  logger: ErrorLogger,
): TrackedApp {
  // The WebClient shares Bolt's logger; a logLevel of its own would be ignored.
  const { logLevel: _clientLevel, ...clientOptions } = slackClientOptions(config.apiUrl);
  // In Socket Mode the SocketModeClient calls apps.connections.open with the same options (URL, timeout),
  // but keeps its own retries: with none, one 5xx or network error while reconnecting (Slack asks for that
  // every few hours) rejects where nothing catches it, and the process ends.
  const { retryConfig: _noSocketRetries, ...socketClientOptions } = clientOptions;
  const app = new TrackedApp({
    token: config.botToken,
    ...(receiver
      ? { receiver }
      : { socketMode: true, appToken: config.appToken, installerOptions: { clientOptions: socketClientOptions } }),
    logger: boltLog,
    logLevel: LogLevel.WARN,
    clientOptions,
    deferInitialization: true,
    // dudao keeps its state in the database; Bolt's in-memory conversation store would only cost time per request.
    convoStore: false,
  });
  app.log = logger;
  return app;
}

export async function createSlackAdapter(deps: SlackAdapterDeps): Promise<SlackAdapter> {
  const { config, logger } = deps;
  // The receiver and the app share one logger, and so one log level.
  const boltLog = boltLogger(logger);
  const receiver = createReceiver(config, boltLog);
  const app = createApp(config, receiver, boltLog, logger);

  const ctx = createListenerContext(deps, new AckFirst());
  listenToCommands(app, ctx);
  listenToViews(app, ctx);
  listenToActions(app, ctx);
  listenToMessages(app, ctx);
  listenToHome(app, ctx);
  app.error(async (e) => {
    presentSlackError(e, 'en', logger);
  });

  return {
    app,
    requestListener: receiver
      ? guardSlackRequests(receiver.requestListener, {
          signingSecret: config.signingSecret!,
          logger,
          bodyLimit: MAX_BODY_BYTES,
        })
      : undefined,
    idle: () => app.idle(),
    async start() {
      await app.init();
      if (config.mode === 'socket') await app.start();
    },
    async stop() {
      if (config.mode === 'socket') await app.stop();
      // Handlers still running would otherwise meet a closed database.
      await app.idle();
    },
  };
}
