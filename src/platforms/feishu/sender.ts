// Outbound Feishu calls: one Lark client per app with its own token cache, and the outbox sender.
// The SDK resolves HTTP 200 bodies whatever their `code` and rethrows axios errors for everything else,
// so both paths are mapped to DeliveryError here.
import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import {
  DeliveryError,
  type MessageSender,
  type OutboxFile,
  type OutboxTarget,
  type SentRef,
} from '../../core/ports.js';
import type { MessageView } from '../../core/views/types.js';
import { renderCard } from './render.js';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  /** feishu | lark | a base URL (tests point it at a fake). */
  domain: string;
  timeoutMs?: number;
}

export function domainOf(domain: string): string | lark.Domain {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/+$/, '');
}

/**
 * The SDK's default cache is module-level, so two clients for the same app id (tests, or a restart of the
 * adapter in one process) would share a token, and it is never dropped when Feishu calls it invalid.
 */
// The Lark SDK's Cache interface types its keys with the `Symbol` wrapper type; the methods must accept it.
type CacheKey = string | symbol | Parameters<lark.Cache['get']>[0];

export class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();
  private key(key: CacheKey, namespace?: string) {
    return `${namespace ?? ''}/${key.toString()}`;
  }
  async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
    const hit = this.values.get(this.key(key, options?.namespace));
    if (!hit || (hit.expiresAt !== undefined && hit.expiresAt <= Date.now())) return undefined;
    return hit.value;
  }
  async set(key: CacheKey, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(this.key(key, options?.namespace), { value, expiresAt });
    return true;
  }
  clear(): void {
    this.values.clear();
  }
}

const caches = new WeakMap<lark.Client, TokenCache>();
const quiet = () => undefined;
const SILENT: lark.Logger = { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };

/** The SDK's axios instance has no timeout; a hung connection would hold an outbox lease forever. */
function withTimeout(base: lark.HttpInstance, timeout: number): lark.HttpInstance {
  return {
    request: (opts) => base.request({ timeout, ...opts }),
    get: (url, opts) => base.get(url, { timeout, ...opts }),
    delete: (url, opts) => base.delete(url, { timeout, ...opts }),
    head: (url, opts) => base.head(url, { timeout, ...opts }),
    options: (url, opts) => base.options(url, { timeout, ...opts }),
    post: (url, data, opts) => base.post(url, data, { timeout, ...opts }),
    put: (url, data, opts) => base.put(url, data, { timeout, ...opts }),
    patch: (url, data, opts) => base.patch(url, data, { timeout, ...opts }),
  };
}

export function createFeishuClient(opts: FeishuClientOptions): lark.Client {
  const cache = new TokenCache();
  const client = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: domainOf(opts.domain),
    cache,
    // The default instance's interceptor resolves to the body, which is what HttpInstance promises.
    httpInstance: withTimeout(lark.defaultHttpInstance as unknown as lark.HttpInstance, opts.timeoutMs ?? 10_000),
    // Every SDK error is rethrown to our callers, which log it once with context; the SDK's own console
    // logging would print each failure again, request bodies included. (LoggerLevel.fatal is 0, which
    // the SDK reads as "unset", hence a silent logger rather than a level.)
    logger: SILENT,
  });
  caches.set(client, cache);
  return client;
}

/** Drops the client's cached tenant token so the next call fetches a fresh one. */
export function forgetToken(client: lark.Client): void {
  caches.get(client)?.clear();
}

export const CODE_RATE_LIMITED = 99991400;
/** Per-chat and per-user send frequency limit. */
export const CODE_CHAT_RATE_LIMITED = 230020;
export const CODES_INVALID_TOKEN = new Set([99991661, 99991663]);

interface LarkBody {
  code?: number;
  msg?: string;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  return v === undefined || v === null ? undefined : String(v);
}

/** Seconds in x-ogw-ratelimit-reset → milliseconds; undefined when absent or not a number. */
export function resetMs(headers: unknown): number | undefined {
  const raw = header(headers, 'x-ogw-ratelimit-reset');
  const s = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(s) && s >= 0 ? Math.ceil(s * 1000) : undefined;
}

/** Classifies a failed call: rate limits and transient failures are retried, the rest is permanent. */
export function toDeliveryError(client: lark.Client, what: string, e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const err = e as {
    response?: { status?: number; headers?: unknown; data?: unknown };
    code?: string;
    message?: string;
  };
  const res = err?.response;
  if (!res) return new DeliveryError(`feishu ${what}: ${err?.code ?? ''} ${err?.message ?? String(e)}`.trim(), true);
  const body = (res.data && typeof res.data === 'object' ? res.data : {}) as LarkBody;
  return classify(client, what, res.status ?? 0, body, res.headers);
}

function classify(client: lark.Client, what: string, status: number, body: LarkBody, headers: unknown): DeliveryError {
  const text = `feishu ${what}: HTTP ${status}${body.code !== undefined ? ` code ${body.code}` : ''}${body.msg ? ` ${body.msg}` : ''}`;
  if (status === 429 || body.code === CODE_RATE_LIMITED || body.code === CODE_CHAT_RATE_LIMITED)
    return new DeliveryError(text, true, resetMs(headers));
  if (body.code !== undefined && CODES_INVALID_TOKEN.has(body.code)) {
    forgetToken(client);
    return new DeliveryError(text, true);
  }
  if (status >= 500 || status === 0) return new DeliveryError(text, true);
  return new DeliveryError(text, false);
}

/** Runs one SDK call; a non-zero `code` in a 200 answer fails like an HTTP error does. */
export async function larkCall<T extends LarkBody>(
  client: lark.Client,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  let res: T;
  try {
    res = await call();
  } catch (e) {
    throw toDeliveryError(client, what, e);
  }
  if (res && typeof res.code === 'number' && res.code !== 0) throw classify(client, what, 200, res, undefined);
  return res;
}

/**
 * Feishu's request idempotency key for a message create: at most one message per uuid within its dedupe
 * window, and a repeat answers with the first message_id. At most 50 characters, so a digest of the key.
 */
export function uuidOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40);
}

export class FeishuSender implements MessageSender {
  readonly platform = 'feishu' as const;
  /** Feishu allows 50 message calls per second per app. */
  readonly minIntervalMs = 20;
  readonly rateLimitScope = 'platform' as const;

  constructor(private readonly client: lark.Client) {}

  /**
   * Posts a card. With the outbox row's key as uuid, a send repeated after a crash between sending and
   * marking sent is dropped by Feishu and answers with the first message, so it is delivered once.
   */
  async send(target: OutboxTarget, message: MessageView, key?: string): Promise<SentRef | void> {
    const receiveIdType = target.kind === 'channel' ? 'chat_id' : 'open_id';
    const res = await larkCall(this.client, 'im.v1.message.create', () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: receiveIdType },
        data: {
          receive_id: target.id,
          msg_type: 'interactive',
          content: JSON.stringify(renderCard(message)),
          ...(key ? { uuid: uuidOf(key) } : {}),
        },
      }),
    );
    const messageId = res?.data?.message_id;
    if (!messageId) return;
    return { channelId: res.data?.chat_id ?? (target.kind === 'channel' ? target.id : ''), messageId };
  }

  /**
   * Uploads the file (POST im/v1/files, multipart: file_type xls for spreadsheets, stream for anything else;
   * 30 MB at most), then sends the caption card and a msg_type "file" message with its file_key. Both sends
   * carry a uuid derived from the row's key, so a retry after a 429 or a lost answer uploads again but does
   * not repeat a message Feishu already accepted.
   */
  async sendFile(target: OutboxTarget, file: OutboxFile, message: MessageView, key?: string): Promise<void> {
    const receiveIdType = target.kind === 'channel' ? 'chat_id' : 'open_id';
    const fileType = /\.xlsx?$/i.test(file.filename) ? 'xls' : 'stream';
    // The SDK's im.v1.file.create answers with the body's `data` only and null on an error code, hiding
    // which error it was; the generic request gives the whole body, so a refusal (missing im:resource, a
    // file too large) fails for good at once and a rate limit waits, like every other call.
    const uploaded = await larkCall(
      this.client,
      'im.v1.file.create',
      () =>
        this.client.request({
          method: 'POST',
          url: '/open-apis/im/v1/files',
          data: { file_type: fileType, file_name: file.filename, file: file.bytes },
          headers: { 'Content-Type': 'multipart/form-data' },
        }) as Promise<{ code?: number; msg?: string; data?: { file_key?: string } }>,
    );
    const fileKey = uploaded?.data?.file_key;
    if (!fileKey) throw new DeliveryError('feishu im.v1.file.create: no file_key in the answer', true);
    const send = (msgType: string, content: string, suffix: string) =>
      larkCall(this.client, 'im.v1.message.create', () =>
        this.client.im.v1.message.create({
          params: { receive_id_type: receiveIdType },
          data: {
            receive_id: target.id,
            msg_type: msgType,
            content,
            ...(key ? { uuid: uuidOf(`${key}:${suffix}`) } : {}),
          },
        }),
      );
    await send('interactive', JSON.stringify(renderCard(message)), 'caption');
    await send('file', JSON.stringify({ file_key: fileKey }), 'file');
  }

  /**
   * Replaces a card the bot sent (PATCH im/v1/messages/:message_id; the card has update_multi, so everyone
   * who sees it sees the new version). A message older than 14 days (230031), recalled or deleted can no
   * longer be updated: a permanent failure, like any other 4xx.
   */
  async update(ref: SentRef, message: MessageView): Promise<void> {
    await larkCall(this.client, 'im.v1.message.patch', () =>
      this.client.im.v1.message.patch({
        path: { message_id: ref.messageId },
        data: { content: JSON.stringify(renderCard(message)) },
      }),
    );
  }
}
