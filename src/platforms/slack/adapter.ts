// Slack transport: turns Bolt requests into core calls and renders the answers. Bolt verifies the
// signature and the 5-minute window (HTTP mode); this file acks first, dedupes, and presents errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel, type ReceiverEvent, RespondError } from '@slack/bolt';
import { clipCommandText, MAX_COMMAND_CHARS } from '../../core/commands/limits.js';
import type { DudaoCore } from '../../core/facade.js';
import { t } from '../../core/i18n/t.js';
import type { ActorRef, Clock, DeliveryLog, Locale, OutboxRepo } from '../../core/ports.js';
import type { FormOutcome, Reply } from '../../core/views/types.js';
import { MAX_BODY_BYTES } from '../../http/server.js';
import { boltLogger } from './bolt-logger.js';
import { type ErrorLogger, noticeModal, presentSlackError } from './errors.js';
import { guardSlackRequests } from './ingress.js';
import { classifySlackBody, SLASH_COMMAND } from './payloads.js';
import {
  FORM_CALLBACK_ID,
  readModalValues,
  readPrivateMetadata,
  renderFieldErrors,
  renderMessage,
  renderModal,
  toMrkdwn,
} from './render.js';
import { slackClientOptions } from './sender.js';

export { FORM_CALLBACK_ID, SLASH_COMMAND };

export interface SlackAdapterConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  mode: 'http' | 'socket';
}

export interface SlackAdapterDeps {
  config: SlackAdapterConfig;
  core: DudaoCore;
  deliveries: DeliveryLog;
  clock: Clock;
  logger: ErrorLogger;
  /** Locale for error messages, from the member record when there is one. */
  localeOf: (actor: ActorRef) => Promise<Locale>;
  /** Called after a request may have queued outbox messages. */
  afterChange: () => void;
  /** Where an answer response_url did not take (429, 5xx, timeout) is queued as a direct message. */
  outbox: Pick<OutboxRepo, 'enqueue'>;
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

type Respond = (msg: object) => Promise<unknown>;

/** How long a post to response_url may take before the answer goes through the outbox instead. */
const RESPOND_TIMEOUT_MS = 10_000;

class RespondTimeout extends Error {
  constructor() {
    super(`no answer from response_url within ${RESPOND_TIMEOUT_MS} ms`);
  }
}

/** A failure that says "try later": a 429, a 5xx, a timeout or a network error (no status at all). */
function transientRespondFailure(e: unknown): boolean {
  if (e instanceof RespondError) return e.statusCode === 429 || e.statusCode === 408 || e.statusCode >= 500;
  return true;
}

async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RespondTimeout()), RESPOND_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Work that follows an ack waits its turn: one waiting listener goes on per turn of the event loop, so
 * requests that arrived meanwhile are read, verified and acked first. Without this, the database work of
 * the commands already acked (better-sqlite3 answers synchronously, so their promise chains never wait for
 * I/O) runs to the end before the next request is even read, and a burst of commands delays every ack.
 */
export class AckFirst {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on a later turn of the event loop, in arrival order. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate queued while immediates run waits for the next turn, after pending I/O has been polled.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}

/** Listeners keep working after the ack (HTTP response); this tracks that work so it can be awaited. */
class TrackedApp extends App {
  private readonly inflight = new Set<Promise<void>>();
  /** Set by createSlackAdapter; see processEvent. */
  log?: ErrorLogger;

  override processEvent(event: ReceiverEvent): Promise<void> {
    // Socket Mode hands Bolt whatever the envelope carried; a payload Bolt cannot route safely (it would read
    // a property of null, or wait for a listener that never comes) is acknowledged here instead, so Slack
    // does not send it again. HTTP mode refuses such bodies before Bolt (ingress.ts), so none arrive here.
    const verdict = classifySlackBody(event.body, { json: false });
    if (!verdict.ok) {
      const malformed = verdict.reason === 'malformed';
      this.log?.warn(
        { source: 'slack', kind: verdict.kind, ...(malformed ? { problem: verdict.problem } : {}) },
        malformed
          ? 'acknowledged a malformed Slack payload, without handling it'
          : 'acknowledged a Slack payload dudao has no handler for',
      );
      return event.ack().then(() => undefined);
    }
    const p = super.processEvent(event);
    this.inflight.add(p);
    const done = () => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}

export async function createSlackAdapter(deps: SlackAdapterDeps): Promise<SlackAdapter> {
  const { config, core, clock, logger } = deps;
  // The WebClient shares Bolt's logger; a logLevel of its own would be ignored.
  const { logLevel: _clientLevel, ...clientOptions } = slackClientOptions(config.apiUrl);
  const boltLog = boltLogger(logger);
  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.signingSecret!,
          endpoints: '/slack/events',
          logger: boltLog,
          logLevel: LogLevel.WARN,
          // Events are acked by Bolt before listeners run; keep that so slow work never delays an ack.
          processBeforeResponse: false,
          // Bolt's default is 4 MB; the largest body Slack sends dudao (a submitted modal echoes its view,
          // at most 250 kB, with what was typed) is far below the 1 MB the Feishu webhook takes too.
          bodyLimit: MAX_BODY_BYTES,
        })
      : undefined;
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

  const acksFirst = new AckFirst();

  /** Slack sends no id on commands and clicks, but trigger_id is unique per invocation. */
  const firstTime = (key: string | undefined) =>
    key ? deps.deliveries.firstSeen(`slack:${key}`, clock.now()) : Promise.resolve(true);

  async function guarded(actor: ActorRef, show: (text: string) => Promise<unknown>, work: () => Promise<void>) {
    try {
      await work();
    } catch (e) {
      const text = presentSlackError(e, await deps.localeOf(actor).catch(() => 'en' as Locale), logger);
      await show(toMrkdwn(text)).catch((err) => logger.error({ err }, 'could not show the error to the user'));
    } finally {
      deps.afterChange();
    }
  }

  /**
   * The change a reply reports is already saved, so a reply response_url does not take (429, 5xx, timeout)
   * is not lost: it is queued through the outbox as a direct message to the person, retried on the
   * dispatcher's rules, keyed by the request's trigger_id so that handling it again queues nothing new.
   */
  async function deliver(
    reply: Reply,
    respond: Respond,
    openForm: (view: object) => Promise<unknown>,
    to: { userId: string; requestId: string },
  ) {
    if (reply.kind === 'form') {
      await openForm(renderModal(reply.form));
      return;
    }
    const { text, blocks } = renderMessage(reply.message);
    try {
      await withinTimeout(
        respond({ response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', text, blocks }),
      );
    } catch (e) {
      if (!transientRespondFailure(e)) throw e;
      const dedupeKey = `reply:slack:${to.requestId}`;
      await deps.outbox.enqueue(
        [{ platform: 'slack', target: { kind: 'user', id: to.userId }, message: reply.message, dedupeKey }],
        clock.now(),
      );
      logger.warn(
        { err: e instanceof Error ? e.message : String(e), userId: to.userId, dedupeKey },
        'the answer could not be sent now; queued as a direct message',
      );
    }
  }

  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    await acksFirst.turn();
    if (!(await firstTime(`trigger:${command.trigger_id}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: command.user_id };
    await guarded(
      actor,
      (text) => respond({ response_type: 'ephemeral', text }),
      async () => {
        const reply = await core.command({
          actor,
          text: clipCommandText(command.text ?? ''),
          channelId: command.channel_id,
          now: clock.now(),
        });
        await deliver(
          reply,
          respond,
          (view) => client.views.open({ trigger_id: command.trigger_id, view: view as never }),
          { userId: command.user_id, requestId: command.trigger_id },
        );
      },
    );
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const actor: ActorRef = { platform: 'slack', userId: body.user.id };
    const meta = readPrivateMetadata(view.private_metadata);
    // The member's locale only frames a notice (errors, done, refused); the core reads the member itself, so
    // a page that goes on to the next one costs no second lookup.
    const locale = () => deps.localeOf(actor).catch(() => 'en' as Locale);
    const notice = async (text: (l: Locale) => string) => {
      const l = await locale();
      await ack({ response_action: 'update', view: noticeModal(text(l), l) as never });
    };
    if (!meta) {
      await notice((l) => presentSlackError(new Error('malformed private_metadata'), l, logger));
      return;
    }
    let outcome: FormOutcome;
    try {
      outcome = await core.submitForm({ actor, ...meta, values: readModalValues(view.state.values), now: clock.now() });
    } catch (e) {
      await notice((l) => presentSlackError(e, l, logger));
      return;
    }
    switch (outcome.kind) {
      case 'errors':
        await ack({ response_action: 'errors', errors: renderFieldErrors(outcome.errors) } as never);
        break;
      case 'next':
        await ack({ response_action: 'update', view: renderModal(outcome.form) as never });
        break;
      case 'done': {
        const { text } = outcome.message;
        await notice(() => text);
        break;
      }
      case 'refused': {
        const { message } = outcome;
        await notice(() => message);
        break;
      }
    }
    deps.afterChange();
  });

  app.action(/.*/, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !('action_id' in action)) return;
    await acksFirst.turn();
    if (!(await firstTime(`trigger:${body.trigger_id}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: body.user.id };
    await guarded(
      actor,
      (text) => respond({ response_type: 'ephemeral', replace_original: false, text }),
      async () => {
        const reply = await core.action({
          actor,
          actionId: action.action_id.replace(/:\d+$/, ''),
          value: 'value' in action && typeof action.value === 'string' ? action.value : '',
          channelId: body.channel?.id ?? '',
          now: clock.now(),
        });
        await deliver(
          reply,
          (m) => respond({ replace_original: false, ...m }),
          (view) => client.views.open({ trigger_id: body.trigger_id, view: view as never }),
          {
            userId: body.user.id,
            requestId: body.trigger_id,
          },
        );
      },
    );
  });

  // Direct messages to the bot work like the slash command (handy on mobile).
  app.event('message', async ({ event, body, client }) => {
    const e = event as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
    };
    if (e.channel_type !== 'im' || e.subtype || e.bot_id || !e.user) return;
    // Bolt acked the event before this listener ran.
    await acksFirst.turn();
    // Slack re-delivers an event it thinks failed; the event_id stays the same (X-Slack-Retry-Num).
    if (!(await firstTime(`event:${(body as { event_id?: string }).event_id ?? ''}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: e.user };
    const post = (m: object) => client.chat.postMessage({ channel: e.channel, ...m } as never);
    await guarded(
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
              t(await deps.localeOf(actor), 'help.formNeedsSlash', { command: `${SLASH_COMMAND} ${text}` }),
            ),
          });
          return;
        }
        await post(renderMessage(reply.message));
      },
    );
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    const e = event as { user: string; tab?: string };
    if (e.tab && e.tab !== 'home') return;
    await acksFirst.turn();
    if (!(await firstTime(`event:${(body as { event_id?: string }).event_id ?? ''}`))) return;
    const actor: ActorRef = { platform: 'slack', userId: e.user };
    await guarded(
      actor,
      async () => undefined,
      async () => {
        const reply = await core.command({ actor, text: 'help', channelId: '', now: clock.now() });
        if (reply.kind === 'message')
          await client.views.publish({
            user_id: e.user,
            view: { type: 'home', blocks: renderMessage(reply.message).blocks } as never,
          });
      },
    );
  });

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
