// Feishu/Lark transport. Webhook mode verifies the raw body itself (the SDK signs a re-serialised body
// and never checks the verification token or the timestamp), decrypts, then hands the event to the real
// Lark EventDispatcher; long-connection mode feeds the same dispatcher through the SDK's WSClient.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import type { DudaoCore } from '../../core/facade.js';
import { t } from '../../core/i18n/t.js';
import {
  type ActorRef,
  type Clock,
  DeliveryError,
  type DeliveryLog,
  type Locale,
  type OutboxRepo,
} from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { describeUnexpected } from '../../core/shared/errors.js';
import type { Reply, Tone } from '../../core/views/types.js';
import { readBody, sendJson } from '../../http/server.js';
import { decryptPayload, verifySignature } from './crypto.js';
import { larkLogger } from './lark-logger.js';
import { commandText, type FeishuMessageEvent } from './messages.js';
import { cardActionShape, menuEventShape, messageEventShape, readEvent } from './payloads.js';
import {
  errorDigest,
  fitFormCard,
  readCardAction,
  renderCard,
  renderFormCard,
  type ToastType,
  toast,
} from './render.js';
import { domainOf, larkCall, toDeliveryError, uuidOf } from './sender.js';

export interface FeishuAdapterConfig {
  appId: string;
  appSecret: string;
  verificationToken?: string;
  encryptKey?: string;
  domain: string;
  mode: 'webhook' | 'ws';
}

export interface FeishuAdapterDeps {
  config: FeishuAdapterConfig;
  client: lark.Client;
  core: DudaoCore;
  deliveries: DeliveryLog;
  clock: Clock;
  logger: ErrorLogger;
  localeOf: (actor: ActorRef) => Promise<Locale>;
  afterChange: () => void;
  /** Where an answer Feishu did not take at once (429, 5xx, timeout) is queued as a direct message. */
  outbox: Pick<OutboxRepo, 'enqueue'>;
}

export interface FeishuAdapter {
  dispatcher: lark.EventDispatcher;
  webhook?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Resolves when background work started by earlier events has finished (tests, shutdown). */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_SKEW_MS = 5 * 60_000;
/** How long start() waits for the long connection's first answer before letting it connect in the background. */
const WS_READY_WAIT_MS = 15_000;

const toastType = (tone: Tone | undefined): ToastType =>
  tone === 'success' ? 'success' : tone === 'warning' || tone === 'danger' ? 'error' : 'info';

export function createFeishuAdapter(deps: FeishuAdapterDeps): FeishuAdapter {
  const { config, core, clock, logger, client } = deps;
  const pending = new Set<Promise<unknown>>();
  const background = (work: () => Promise<void>) => {
    const p = work()
      .catch((e) => describeUnexpected(e, 'en', logger, 'feishu-background'))
      .finally(() => {
        pending.delete(p);
        deps.afterChange();
      });
    pending.add(p);
  };
  const localeOf = (actor: ActorRef) => deps.localeOf(actor).catch(() => 'zh-CN' as Locale);
  const firstTime = (key: string) => deps.deliveries.firstSeen(`feishu:${key}`, clock.now());

  const cardOf = (reply: Reply) =>
    JSON.stringify(reply.kind === 'form' ? renderFormCard(reply.form) : renderCard(reply.message));
  const errorReply = (text: string): Reply => ({
    kind: 'message',
    visibility: 'private',
    message: { text, tone: 'danger', blocks: [{ kind: 'text', text }] },
  });

  // `uuid` is Feishu's idempotency key: a send repeating it posts nothing new.
  async function replyTo(messageId: string | undefined, chatId: string, reply: Reply, uuid?: string) {
    const data = { msg_type: 'interactive', content: cardOf(reply), ...(uuid ? { uuid } : {}) };
    if (messageId)
      await larkCall(client, 'im.v1.message.reply', () =>
        client.im.v1.message.reply({ path: { message_id: messageId }, data }),
      );
    else
      await larkCall(client, 'im.v1.message.create', () =>
        client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { ...data, receive_id: chatId } }),
      );
  }

  async function sendToUser(openId: string, reply: Reply, uuid?: string) {
    const data = { receive_id: openId, msg_type: 'interactive', content: cardOf(reply), ...(uuid ? { uuid } : {}) };
    await larkCall(client, 'im.v1.message.create', () =>
      client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data }),
    );
  }

  /**
   * Sends the answer to a request now. The change it reports is already saved, so when Feishu does not take
   * it (429, 5xx, timeout) it goes through the outbox instead, as a direct message to the person, retried on
   * the dispatcher's rules. The outbox key derives from the request's id (a re-pushed event queues nothing
   * new), and the direct send carries the uuid the outbox send will carry, so an answer Feishu took but whose
   * acknowledgement was lost is not posted a second time. Resolves false when the answer was neither sent
   * nor queued.
   */
  async function answer(
    openId: string,
    requestId: string,
    reply: Reply,
    surface: string,
    send: (uuid: string) => Promise<unknown>,
  ): Promise<boolean> {
    const dedupeKey = `reply:feishu:${requestId}`;
    try {
      await send(uuidOf(dedupeKey));
      return true;
    } catch (e) {
      const err = toDeliveryError(client, 'reply', e);
      // A form card cannot wait in the outbox (it holds messages); the person can ask for it again.
      if (!err.retryable || reply.kind !== 'message') {
        logger.error({ err: err.message, surface, userId: openId, requestId }, 'the answer could not be sent');
        return false;
      }
      await deps.outbox.enqueue(
        [{ platform: 'feishu', target: { kind: 'user', id: openId }, message: reply.message, dedupeKey }],
        clock.now(),
      );
      logger.warn(
        { err: err.message, surface, userId: openId, dedupeKey },
        'the answer could not be sent now; queued as a direct message',
      );
      return true;
    }
  }

  /**
   * Answers a message where it was typed. A private answer to a message in a group (a one-time link, a
   * score, someone's findings, a refusal) and a form (what is filled in, evaluation scores; on Slack a modal
   * only the person sees) go to the person as a direct message instead (bots have no ephemeral messages in
   * group chats), and the group only hears that it was sent. A form that could not be sent cannot wait in
   * the outbox, so the group hears that instead and the person asks again. The command already ran with the
   * group's chat id, so what the form reports when it is submitted (an inspection's summary) goes to the group.
   */
  async function answerMessage(
    openId: string,
    requestId: string,
    message: NonNullable<FeishuMessageEvent['message']>,
    reply: Reply,
    surface: string,
  ) {
    const privateInGroup = (reply.kind === 'form' || reply.visibility === 'private') && message.chat_type !== 'p2p';
    if (!privateInGroup) {
      await answer(openId, requestId, reply, surface, (uuid) =>
        replyTo(message.message_id, message.chat_id, reply, uuid),
      );
      return;
    }
    const delivered = await answer(openId, requestId, reply, surface, (uuid) => sendToUser(openId, reply, uuid));
    const formLost = reply.kind === 'form' && !delivered;
    const text = t(
      await localeOf({ platform: 'feishu', userId: openId }),
      formLost ? 'common.formNotSent' : 'common.sentPrivately',
    );
    const said: Reply = {
      kind: 'message',
      visibility: 'public',
      message: { text, ...(formLost ? { tone: 'danger' as const } : {}), blocks: [{ kind: 'text', text }] },
    };
    await replyTo(
      message.message_id,
      message.chat_id,
      said,
      uuidOf(`reply:feishu:${requestId}:${formLost ? 'formNotSent' : 'pointer'}`),
    ).catch((e: unknown) =>
      logger.warn(
        { err: toDeliveryError(client, 'reply', e).message, surface, requestId },
        formLost
          ? 'could not say in the group that the form could not be sent'
          : 'could not say in the group that the answer was sent privately',
      ),
    );
  }

  async function onMessage(data: FeishuMessageEvent & { event_id?: string }) {
    const openId = data.sender?.sender_id?.open_id;
    const message = data.message;
    if (!openId || !message || data.sender?.sender_type === 'app') return;
    if (!(await firstTime(`event:${data.event_id ?? message.message_id}`))) return;
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    const requestId = data.event_id ?? message.message_id;
    const text = commandText(message);
    let reply: Reply;
    try {
      reply = await core.command({ actor, text: text ?? 'help', channelId: message.chat_id, now: clock.now() });
    } catch (e) {
      reply = errorReply(describeUnexpected(e, await localeOf(actor), logger, 'feishu-message'));
    }
    await answerMessage(openId, requestId, message, reply, 'feishu-message');
  }

  async function onMenu(data: {
    event_id?: string;
    event_key?: string;
    operator?: { operator_id?: { open_id?: string } };
  }) {
    const openId = data.operator?.operator_id?.open_id;
    if (!openId || !data.event_key) return;
    const requestId = data.event_id ?? `${openId}:${data.event_key}`;
    if (!(await firstTime(`event:${requestId}`))) return;
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    let reply: Reply;
    try {
      reply = await core.command({ actor, text: data.event_key.replace(/_/g, ' '), channelId: '', now: clock.now() });
    } catch (e) {
      reply = errorReply(describeUnexpected(e, await localeOf(actor), logger, 'feishu-menu'));
    }
    // A menu has no chat: the answer always goes to the person directly.
    await answer(openId, requestId, reply, 'feishu-menu', (uuid) => sendToUser(openId, reply, uuid));
  }

  /** Card clicks are answered synchronously: a toast, the next page, or the card kept as filled. */
  async function onCardAction(data: {
    event_id?: string;
    token?: string;
    operator?: { open_id?: string };
    action?: unknown;
    context?: { open_chat_id?: string };
  }) {
    const openId = data.operator?.open_id;
    if (!openId) return toast('error', t('zh-CN', 'inspect.err.expired', { dept: '…' }));
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    // The core reads the member itself; the locale is looked up only for an answer the adapter gives.
    try {
      const action = readCardAction(data);
      if (!action) return toast('error', t(await localeOf(actor), 'inspect.err.expired', { dept: '…' }));
      if (action.kind === 'button') {
        const reply = await core.action({
          actor,
          actionId: action.actionId,
          value: action.value,
          channelId: data.context?.open_chat_id ?? '',
          now: clock.now(),
        });
        if (reply.kind === 'form') return { card: { type: 'raw', data: renderFormCard(reply.form) } };
        // A one-line answer (a refusal) is a toast; a whole message (a finding and its history, help) goes
        // to the person as a card of its own, as Slack answers with an ephemeral message, and the clicked
        // card stays as it is.
        const m = reply.message;
        if (m.blocks.length <= 1 && m.blocks.every((b) => b.kind === 'text')) return toast(toastType(m.tone), m.text);
        const requestId = data.event_id ?? data.token ?? randomUUID();
        background(async () => {
          await answer(openId, requestId, reply, 'feishu-card', (uuid) => sendToUser(openId, reply, uuid));
        });
        return {};
      }
      const outcome = await core.submitForm({
        actor,
        formType: action.formType,
        formId: action.formId,
        page: action.page,
        values: action.values,
        now: clock.now(),
      });
      switch (outcome.kind) {
        case 'errors': {
          // Long answers can push the refilled card past 30 KB; then the card stays as the user typed it.
          const card = fitFormCard(outcome.form);
          if (!card) return toast('error', errorDigest(outcome.summary, outcome.form));
          return { ...toast('error', outcome.summary), card: { type: 'raw', data: card } };
        }
        case 'next':
          return { card: { type: 'raw', data: renderFormCard(outcome.form) } };
        case 'done':
          return {
            ...toast('success', outcome.message.text),
            card: { type: 'raw', data: renderCard(outcome.message) },
          };
        case 'refused':
          return toast('error', outcome.message);
      }
    } catch (e) {
      return toast('error', describeUnexpected(e, await localeOf(actor), logger, 'feishu-card'));
    } finally {
      deps.afterChange();
    }
  }

  // Its warnings (an event type nothing is registered for, on the long connection) go to dudao's log.
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn, logger: larkLogger(logger) });
  dispatcher.register({
    // Acked at once; the work runs after the ack so Feishu never re-pushes for slowness. A malformed event is
    // acked too (with a warn line): Feishu would push it again, no different, for hours.
    'im.message.receive_v1': async (data: unknown) => {
      const event = readEvent(messageEventShape, data, 'im.message.receive_v1', logger);
      if (event) background(() => onMessage(event as FeishuMessageEvent));
    },
    'application.bot.menu_v6': async (data: unknown) => {
      const event = readEvent(menuEventShape, data, 'application.bot.menu_v6', logger);
      if (event) background(() => onMenu(event));
    },
    'card.action.trigger': async (data: unknown) => {
      const event = readEvent(cardActionShape, data, 'card.action.trigger', logger);
      return event ? onCardAction(event) : {};
    },
  } as never);

  /** Why a request's X-Lark-* signature is refused (only checked when an Encrypt Key is set), or undefined. */
  function signatureProblem(req: IncomingMessage, raw: Buffer): string | undefined {
    if (!config.encryptKey) return undefined;
    const ts = String(req.headers['x-lark-request-timestamp'] ?? '');
    const nonce = String(req.headers['x-lark-request-nonce'] ?? '');
    const sig = String(req.headers['x-lark-signature'] ?? '');
    if (!ts || !sig || !verifySignature(ts, nonce, config.encryptKey, raw, sig)) return 'invalid signature';
    if (!/^\d+$/.test(ts) || Math.abs(clock.now().getTime() - Number(ts) * 1000) > MAX_SKEW_MS)
      return 'stale request timestamp';
    return undefined;
  }

  /** Answers a request dudao will not act on, with one warn line saying why (never the body: it holds tokens). */
  function refuse(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}) {
    logger.warn({ source: 'feishu', status, error, ...extra }, 'refused a Feishu webhook request');
    sendJson(res, status, { error });
  }

  async function webhook(req: IncomingMessage, res: ServerResponse) {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      return refuse(
        res,
        (e as { status?: number }).status ?? 400,
        e instanceof Error ? e.message : 'the body could not be read',
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      return refuse(res, 400, 'malformed JSON body');
    }
    let payload = body;
    if (typeof body.encrypt === 'string') {
      if (!config.encryptKey) return refuse(res, 400, 'encrypted body but FEISHU_ENCRYPT_KEY is not set');
      let decrypted: unknown;
      try {
        decrypted = JSON.parse(decryptPayload(config.encryptKey, body.encrypt));
      } catch {
        return refuse(res, 400, 'body could not be decrypted with FEISHU_ENCRYPT_KEY');
      }
      // JSON that is not an object (null, a number, a list) carries no event to acknowledge: refused, once
      // the signature shows it is Feishu's, so that a forgery still reads as one.
      if (typeof decrypted !== 'object' || decrypted === null || Array.isArray(decrypted)) {
        const refused = signatureProblem(req, raw);
        if (refused) return refuse(res, 401, refused);
        const kind = Array.isArray(decrypted) ? 'array' : decrypted === null ? 'null' : typeof decrypted;
        return refuse(res, 400, 'malformed payload', { kind });
      }
      payload = decrypted as Record<string, unknown>;
    } else if (config.encryptKey) {
      return refuse(res, 401, 'expected an encrypted body');
    }
    const header = (typeof payload.header === 'object' && payload.header !== null ? payload.header : {}) as Record<
      string,
      unknown
    >;
    const token = header.token ?? payload.token;
    if (payload.type === 'url_verification') {
      if (token !== config.verificationToken) return refuse(res, 401, 'invalid verification token');
      return sendJson(res, 200, { challenge: payload.challenge });
    }
    const refused = signatureProblem(req, raw);
    if (refused) return refuse(res, 401, refused);
    if (token !== config.verificationToken) return refuse(res, 401, 'invalid verification token');
    const event = payload.event as { type?: unknown } | null | undefined;
    const type = header.event_type ?? (typeof event === 'object' && event !== null ? event.type : undefined);
    // Feishu pushes again whatever is not answered 200, for hours: an event dudao does not handle is acked.
    if (typeof type !== 'string' || !dispatcher.handles.has(type)) {
      const named = typeof type === 'string' ? type.slice(0, 60) : '(none)';
      logger.warn(
        { source: 'feishu', status: 200, type: named },
        'acknowledged a Feishu event dudao has no handler for',
      );
      return sendJson(res, 200, {});
    }
    const result: unknown = await dispatcher.invoke(payload, { needCheck: false });
    sendJson(res, 200, result && typeof result === 'object' ? result : {});
  }

  /**
   * Asks for a tenant access token, as Slack's auth.test checks its token: a refusal (wrong app id or secret)
   * fails the start with Feishu's own words, never the secret. Feishu being briefly unreachable does not:
   * the outbox retries, and the client asks again on its first call.
   */
  async function checkCredentials() {
    try {
      // The endpoint itself, not the SDK's token manager: that one would fetch a token to call it with, and
      // turns a refusal into a bare Error without Feishu's status.
      await larkCall(client, 'auth.v3.tenant_access_token.internal', () =>
        client.httpInstance.post<{ code?: number; msg?: string }>(
          `${client.domain}/open-apis/auth/v3/tenant_access_token/internal`,
          { app_id: config.appId, app_secret: config.appSecret },
        ),
      );
    } catch (e) {
      const err = e instanceof DeliveryError ? e : toDeliveryError(client, 'auth.v3.tenant_access_token.internal', e);
      if (!err.retryable) throw new Error(`Feishu refused the app credentials: ${err.message}`);
      logger.warn({ err: err.message }, 'could not check the Feishu app credentials at start; going on');
    }
  }

  let ws: lark.WSClient | undefined;
  return {
    dispatcher,
    webhook: config.mode === 'webhook' ? webhook : undefined,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async start() {
      await checkCredentials();
      if (config.mode !== 'ws') return;
      // WSClient.start() returns before the connection is up; a refusal of /callback/ws/endpoint (wrong
      // credentials, long connection not enabled) only reaches onError. Wait for the first answer, so a
      // refusal fails the start; a connection still trying (network) goes on in the background.
      let settle: (e?: Error) => void = () => undefined;
      const first = new Promise<Error | undefined>((resolve) => (settle = resolve));
      let started = false;
      ws = new lark.WSClient({
        appId: config.appId,
        appSecret: config.appSecret,
        domain: domainOf(config.domain),
        loggerLevel: lark.LoggerLevel.info,
        logger: larkLogger(logger),
        onReady: () => settle(),
        onError: (e: Error) => {
          if (started) logger.error({ err: e.message }, 'the Feishu long connection stopped for good');
          settle(e);
        },
      });
      await ws.start({ eventDispatcher: dispatcher });
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        first,
        new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), WS_READY_WAIT_MS))),
      ]);
      clearTimeout(timer);
      started = true;
      if (outcome instanceof Error) throw new Error(`Feishu refused the long connection: ${outcome.message}`);
      if (outcome === 'waiting')
        logger.warn({}, 'the Feishu long connection is not up yet; still trying in the background');
    },
    async stop() {
      ws?.close({ force: true } as never);
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
