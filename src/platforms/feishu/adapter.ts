// Feishu/Lark transport. Webhook mode verifies the raw body itself (the SDK signs a re-serialised body
// and never checks the verification token or the timestamp), decrypts, then hands the event to the real
// Lark EventDispatcher; long-connection mode feeds the same dispatcher through the SDK's WSClient.
import * as lark from '@larksuiteoapi/node-sdk';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DudaoCore } from '../../core/facade.js';
import type { ActorRef, Clock, DeliveryLog, Locale } from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { describeUnexpected } from '../../core/shared/errors.js';
import { t } from '../../core/i18n/t.js';
import type { Reply, Tone } from '../../core/views/types.js';
import { readBody, sendJson } from '../../http/server.js';
import { decryptPayload, verifySignature } from './crypto.js';
import { larkLogger } from './lark-logger.js';
import { errorDigest, fitFormCard, readCardAction, renderCard, renderFormCard, toast, type ToastType } from './render.js';
import { commandText, type FeishuMessageEvent } from './messages.js';
import { domainOf, larkCall } from './sender.js';

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

const toastType = (tone: Tone | undefined): ToastType => (tone === 'success' ? 'success' : tone === 'warning' || tone === 'danger' ? 'error' : 'info');

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

  const cardOf = (reply: Reply) => JSON.stringify(reply.kind === 'form' ? renderFormCard(reply.form) : renderCard(reply.message));
  const errorReply = (text: string): Reply => ({ kind: 'message', visibility: 'private', message: { text, tone: 'danger', blocks: [{ kind: 'text', text }] } });

  async function replyTo(messageId: string | undefined, chatId: string, reply: Reply) {
    const data = { msg_type: 'interactive', content: cardOf(reply) };
    if (messageId) await larkCall(client, 'im.v1.message.reply', () => client.im.v1.message.reply({ path: { message_id: messageId }, data }));
    else await larkCall(client, 'im.v1.message.create', () => client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { ...data, receive_id: chatId } }));
  }

  async function sendToUser(openId: string, reply: Reply) {
    const data = { receive_id: openId, msg_type: 'interactive', content: cardOf(reply) };
    await larkCall(client, 'im.v1.message.create', () => client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data }));
  }

  async function onMessage(data: FeishuMessageEvent & { event_id?: string }) {
    const openId = data.sender?.sender_id?.open_id;
    const message = data.message;
    if (!openId || !message || data.sender?.sender_type === 'app') return;
    if (!(await firstTime(`event:${data.event_id ?? message.message_id}`))) return;
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    const text = commandText(message);
    try {
      const reply = await core.command({ actor, text: text ?? 'help', channelId: message.chat_id, now: clock.now() });
      await replyTo(message.message_id, message.chat_id, reply);
    } catch (e) {
      const msg = describeUnexpected(e, await localeOf(actor), logger, 'feishu-message');
      await replyTo(message.message_id, message.chat_id, errorReply(msg)).catch(() => undefined);
    }
  }

  async function onMenu(data: { event_id?: string; event_key?: string; operator?: { operator_id?: { open_id?: string } } }) {
    const openId = data.operator?.operator_id?.open_id;
    if (!openId || !data.event_key) return;
    if (!(await firstTime(`event:${data.event_id ?? `${openId}:${data.event_key}`}`))) return;
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    let reply: Reply;
    try {
      reply = await core.command({ actor, text: data.event_key.replace(/_/g, ' '), channelId: '', now: clock.now() });
    } catch (e) {
      reply = errorReply(describeUnexpected(e, await localeOf(actor), logger, 'feishu-menu'));
    }
    await sendToUser(openId, reply);
  }

  /** Card clicks are answered synchronously: a toast, the next page, or the card kept as filled. */
  async function onCardAction(data: { operator?: { open_id?: string }; action?: unknown; context?: { open_chat_id?: string } }) {
    const openId = data.operator?.open_id;
    if (!openId) return toast('error', t('zh-CN', 'inspect.err.expired', { dept: '…' }));
    const actor: ActorRef = { platform: 'feishu', userId: openId };
    // The core reads the member itself; the locale is looked up only for an answer the adapter gives.
    try {
      const action = readCardAction(data);
      if (!action) return toast('error', t(await localeOf(actor), 'inspect.err.expired', { dept: '…' }));
      if (action.kind === 'button') {
        const reply = await core.action({ actor, actionId: action.actionId, value: action.value, channelId: data.context?.open_chat_id ?? '', now: clock.now() });
        if (reply.kind === 'form') return { card: { type: 'raw', data: renderFormCard(reply.form) } };
        // A one-line answer (a refusal) is a toast; a whole message (a finding and its history, help) goes
        // to the person as a card of its own, as Slack answers with an ephemeral message, and the clicked
        // card stays as it is.
        const m = reply.message;
        if (m.blocks.length <= 1 && m.blocks.every((b) => b.kind === 'text')) return toast(toastType(m.tone), m.text);
        background(() => sendToUser(openId, reply));
        return {};
      }
      const outcome = await core.submitForm({ actor, formType: action.formType, formId: action.formId, page: action.page, values: action.values, now: clock.now() });
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
          return { ...toast('success', outcome.message.text), card: { type: 'raw', data: renderCard(outcome.message) } };
        case 'refused':
          return toast('error', outcome.message);
      }
    } catch (e) {
      return toast('error', describeUnexpected(e, await localeOf(actor), logger, 'feishu-card'));
    } finally {
      deps.afterChange();
    }
  }

  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.error }).register({
    // Acked at once; the work runs after the ack so Feishu never re-pushes for slowness.
    'im.message.receive_v1': async (data: unknown) => {
      background(() => onMessage(data as FeishuMessageEvent));
    },
    'application.bot.menu_v6': async (data: unknown) => {
      background(() => onMenu(data as Parameters<typeof onMenu>[0]));
    },
    'card.action.trigger': (data: unknown) => onCardAction(data as Parameters<typeof onCardAction>[0]),
  } as never);

  async function webhook(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      return sendJson(res, 400, { error: 'malformed JSON body' });
    }
    let payload = body;
    if (typeof body.encrypt === 'string') {
      if (!config.encryptKey) return sendJson(res, 400, { error: 'encrypted body but FEISHU_ENCRYPT_KEY is not set' });
      try {
        payload = JSON.parse(decryptPayload(config.encryptKey, body.encrypt)) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { error: 'body could not be decrypted with FEISHU_ENCRYPT_KEY' });
      }
    } else if (config.encryptKey) {
      return sendJson(res, 401, { error: 'expected an encrypted body' });
    }
    const header = (payload.header ?? {}) as Record<string, unknown>;
    const token = (header.token ?? payload.token) as string | undefined;
    if (payload.type === 'url_verification') {
      if (token !== config.verificationToken) return sendJson(res, 401, { error: 'invalid verification token' });
      return sendJson(res, 200, { challenge: payload.challenge });
    }
    if (config.encryptKey) {
      const ts = String(req.headers['x-lark-request-timestamp'] ?? '');
      const nonce = String(req.headers['x-lark-request-nonce'] ?? '');
      const sig = String(req.headers['x-lark-signature'] ?? '');
      if (!ts || !sig || !verifySignature(ts, nonce, config.encryptKey, raw, sig)) return sendJson(res, 401, { error: 'invalid signature' });
      if (!/^\d+$/.test(ts) || Math.abs(clock.now().getTime() - Number(ts) * 1000) > MAX_SKEW_MS) return sendJson(res, 401, { error: 'stale request timestamp' });
    }
    if (token !== config.verificationToken) return sendJson(res, 401, { error: 'invalid verification token' });
    const type = (header.event_type ?? (payload.event as { type?: string } | undefined)?.type) as string | undefined;
    if (!type || !dispatcher.handles.has(type)) return sendJson(res, 200, {});
    const result: unknown = await dispatcher.invoke(payload, { needCheck: false });
    sendJson(res, 200, result && typeof result === 'object' ? result : {});
  }

  let ws: lark.WSClient | undefined;
  return {
    dispatcher,
    webhook: config.mode === 'webhook' ? webhook : undefined,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async start() {
      if (config.mode !== 'ws') return;
      ws = new lark.WSClient({ appId: config.appId, appSecret: config.appSecret, domain: domainOf(config.domain), loggerLevel: lark.LoggerLevel.info, logger: larkLogger(logger) });
      await ws.start({ eventDispatcher: dispatcher });
    },
    async stop() {
      ws?.close({ force: true } as never);
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
