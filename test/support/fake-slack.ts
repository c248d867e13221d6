// A loopback stand-in for the Slack Web API and response_url endpoints. It answers the methods dudao
// calls, records every call with its decoded body, and can be told to fail the next calls of a method
// the way Slack does (429 with Retry-After, 5xx, or ok:false with an error code). File uploads work as
// files.uploadV2 does them: files.getUploadURLExternal, the bytes posted to its upload_url (method
// 'upload' here, for failNext), files.completeUploadExternal into a conversation; sharedFiles() holds the
// bytes of every file that was shared.
// Like Slack it keeps what chat.postMessage posted, with its metadata, and serves it back through
// conversations.history (newest first, `oldest`, cursor pages; metadata only with include_all_metadata);
// `refuse` makes a method fail every time (a scope the workspace did not grant), and `slow` makes a method
// answer late (the call is carried out at once, as on Slack, and its answer is held back).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { sendJson } from '../../src/http/body.js';
import { parseMultipart } from './multipart.js';

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  /** IANA zone, as users.info returns it in `tz`. */
  tz?: string;
  /** e.g. 'zh-CN', 'en-US'; only returned when the caller asks with include_locale. */
  locale?: string;
  isBot?: boolean;
}

export interface FakeSlackCall {
  /** Web API method ('chat.postMessage'…) or 'response' for a response_url post. */
  method: string;
  /** Form or JSON body; JSON-encoded fields (blocks, view, attachments…) are decoded. */
  body: Record<string, any>;
  /** Bearer token sent, if any. */
  token?: string;
  /** For 'response': the id at the end of the response_url. */
  responseId?: string;
  /**
   * Where a call that names a channel (chat.postMessage, chat.update…) landed: the channel sent, or for a
   * user id the bot's DM with that user (D…), as Slack resolves it.
   */
  channel?: string;
  /** What the fake answered (set before the answer is sent): HTTP status and JSON body. */
  answer?: { status: number; body: Record<string, unknown> };
}

export type FakeSlackFailure =
  | { kind: 'ratelimited'; retryAfterSec: number }
  | { kind: 'http'; status: number }
  | { kind: 'error'; error: string };

/** A message chat.postMessage posted, as conversations.history returns it. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
}

/** A file shared by files.completeUploadExternal, with the bytes posted to its upload_url. */
export interface FakeSlackFile {
  id: string;
  filename: string;
  title?: string;
  /** The conversation it was shared in (channel_id). */
  channel: string;
  initialComment?: string;
  bytes: Buffer;
}

export interface FakeSlackOptions {
  users?: FakeSlackUser[];
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

// Values that WebClient JSON-encodes into form fields.
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'options', 'files']);

export class FakeSlack {
  readonly calls: FakeSlackCall[] = [];
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly failures = new Map<string, FakeSlackFailure[]>();
  private seq = 0;
  private waiters: Array<() => void> = [];
  /** Files asked for with files.getUploadURLExternal, by id, with their bytes once uploaded. */
  private readonly uploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  private readonly shared: FakeSlackFile[] = [];
  /** Answers for methods the fake does not know itself (see answerMethod). */
  private readonly extraMethods = new Map<string, (call: FakeSlackCall) => Record<string, unknown>>();
  private readonly posted: FakeSlackMessage[] = [];
  private readonly refusals = new Map<string, string>();
  private readonly delays = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: Required<Omit<FakeSlackOptions, 'users'>>,
  ) {}

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = new FakeSlack(server, url, {
      botUserId: opts.botUserId ?? 'UBOT',
      botId: opts.botId ?? 'BBOT',
      teamId: opts.teamId ?? 'T0001',
    });
    for (const u of opts.users ?? []) fake.users.set(u.id, u);
    return fake;
  }

  /** Base URL for WebClient's slackApiUrl / SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url that records what is posted to it. */
  responseUrl(id: string = `r${++this.seq}`): string {
    return `${this.url}/response/${id}`;
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /**
   * Answers `method` with `answer(call)` (HTTP 200), for methods other fakes serve through this one, such as
   * apps.connections.open for the Socket Mode fake. Scripted failures still come first.
   */
  answerMethod(method: string, answer: (call: FakeSlackCall) => Record<string, unknown>): void {
    this.extraMethods.set(method, answer);
  }

  /** The next `times` calls of `method` ('response' for response_url posts) fail as described. */
  failNext(method: string, failure: FakeSlackFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Every call of `method` from now on answers ok:false with `error` (e.g. missing_scope); undefined stops it. */
  refuse(method: string, error: string | undefined): void {
    if (error === undefined) this.refusals.delete(method);
    else this.refusals.set(method, error);
  }

  /** Calls of `method` are carried out at once and answered `ms` later. */
  slow(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Messages posted with chat.postMessage, in order, as the conversation holds them. */
  messages(): FakeSlackMessage[] {
    return [...this.posted];
  }

  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls of `method` that Slack would have accepted (HTTP 200, ok: true), not the scripted failures. */
  acceptedCalls(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method && c.answer?.status === 200 && c.answer.body.ok === true);
  }

  /** Posts to response_url, optionally only those for one id. */
  responses(id?: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === 'response' && (id === undefined || c.responseId === id));
  }

  /** Files shared into conversations, in order (an upload never completed is not one). */
  sharedFiles(): FakeSlackFile[] {
    return [...this.shared];
  }

  /** Forgets recorded calls (scripted failures stay). */
  reset(): void {
    this.calls.length = 0;
  }

  /** Resolves once a recorded call matches; for work that nothing else lets a test await. */
  async waitFor(match: (c: FakeSlackCall) => boolean): Promise<FakeSlackCall> {
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const uploadMatch = /^\/upload\/([^/]+)$/.exec(path);
    const contentType = String(req.headers['content-type'] ?? '');
    const body = uploadMatch ? { fileId: uploadMatch[1], length: bytes.length } : parseBody(raw, contentType);
    const responseMatch = /^\/response\/([^/]+)$/.exec(path);
    const method = responseMatch ? 'response' : uploadMatch ? 'upload' : path.replace(/^\/api\//, '');
    const call: FakeSlackCall = { method, body };
    if (typeof body.channel === 'string') call.channel = dmChannelOf(body.channel);
    const sentToken = token ?? (typeof body.token === 'string' ? body.token : undefined);
    if (sentToken) call.token = sentToken;
    if (responseMatch) call.responseId = responseMatch[1];
    this.calls.push(call);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();

    const delay = this.delays.get(method) ?? 0;
    const reply = (status: number, answer: Record<string, unknown>, headers?: Record<string, string>) => {
      call.answer = { status, body: answer };
      if (delay > 0) setTimeout(() => sendJson(res, status, answer, headers), delay);
      else sendJson(res, status, answer, headers);
    };
    const failure = this.failures.get(method)?.shift();
    if (failure) return this.fail(reply, failure);
    const refusal = this.refusals.get(method);
    if (refusal) return reply(200, { ok: false, error: refusal });
    if (method === 'response') return reply(200, { ok: true });
    if (uploadMatch) return this.receiveUpload(uploadMatch[1]!, bytes, contentType, call, res);
    if (!path.startsWith('/api/')) return reply(404, { ok: false, error: 'not_found' });
    const extra = this.extraMethods.get(method);
    reply(200, extra ? extra(call) : this.answer(method, body));
  }

  /** The bytes of a file, posted to its upload_url (raw, or as the one file part of a multipart body). */
  private receiveUpload(
    id: string,
    bytes: Buffer,
    contentType: string,
    call: FakeSlackCall,
    res: ServerResponse,
  ): void {
    const upload = this.uploads.get(id);
    const parts = parseMultipart(bytes, contentType);
    const data = parts.length ? (parts.find((p) => p.filename !== undefined) ?? parts[0]!).data : bytes;
    const status = upload ? 200 : 404;
    if (upload) upload.bytes = data;
    call.answer = { status, body: { ok: status === 200 } };
    const text = upload ? `OK - ${data.length}` : 'Not Found';
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(
    reply: (status: number, answer: Record<string, unknown>, headers?: Record<string, string>) => void,
    failure: FakeSlackFailure,
  ): void {
    if (failure.kind === 'ratelimited')
      reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSec) });
    else if (failure.kind === 'http') reply(failure.status, { ok: false, error: 'http_error' });
    else reply(200, { ok: false, error: failure.error });
  }

  private answer(method: string, body: Record<string, any>): Record<string, unknown> {
    // Seconds now, and a counter for uniqueness: `oldest` compares with real time, as on Slack.
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++this.seq % 1_000_000).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'dudao',
          team_id: this.opts.teamId,
          user_id: this.opts.botUserId,
          bot_id: this.opts.botId,
        };
      case 'chat.postMessage': {
        // Like Slack, a user id as the channel posts in the bot's DM with that user and answers with the
        // DM's channel id (the same D… id conversations.open gives).
        const channel = dmChannelOf(String(body.channel ?? ''));
        const message: FakeSlackMessage = {
          channel,
          ts: ts(),
          text: body.text,
          ...(body.metadata ? { metadata: body.metadata } : {}),
        };
        this.posted.push(message);
        return {
          ok: true,
          channel,
          ts: message.ts,
          message: { text: body.text, blocks: body.blocks, user: this.opts.botUserId, bot_id: this.opts.botId },
        };
      }
      case 'conversations.history': {
        const channel = String(body.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const oldest = Number(body.oldest ?? 0);
        const limit = Math.min(999, Number(body.limit ?? 100) || 100);
        const start = Number(body.cursor ?? 0) || 0;
        const withMeta = body.include_all_metadata === true || body.include_all_metadata === 'true';
        const found = this.posted.filter((m) => m.channel === channel && Number(m.ts) > oldest).reverse();
        const page = found.slice(start, start + limit).map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          bot_id: this.opts.botId,
          ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
        }));
        const more = start + limit < found.length;
        return {
          ok: true,
          messages: page,
          has_more: more,
          ...(more ? { response_metadata: { next_cursor: String(start + limit) } } : {}),
        };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'files.getUploadURLExternal': {
        const length = Number(body.length);
        if (!body.filename || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        this.uploads.set(id, { filename: String(body.filename), length });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(body.files) ? (body.files as Array<{ id?: string; title?: string }>) : [];
        const channel = typeof body.channel_id === 'string' ? body.channel_id : undefined;
        // As on Slack, channel_id must be a conversation (C/G/D/Z…), never a user id.
        if (files.length === 0 || (channel !== undefined && !/^[CGDZ][A-Z0-9]+$/.test(channel)))
          return { ok: false, error: 'invalid_arguments' };
        const found = files.map((f) => ({ f, upload: this.uploads.get(String(f.id)) }));
        if (found.some((x) => !x.upload?.bytes)) return { ok: false, error: 'file_not_found' };
        for (const { f, upload } of found) {
          this.uploads.delete(String(f.id));
          if (channel)
            this.shared.push({
              id: String(f.id),
              filename: upload!.filename,
              title: f.title,
              channel,
              ...(body.initial_comment ? { initialComment: String(body.initial_comment) } : {}),
              bytes: upload!.bytes!,
            });
        }
        return {
          ok: true,
          files: found.map(({ f, upload }) => ({
            id: f.id,
            name: upload!.filename,
            title: f.title ?? upload!.filename,
          })),
        };
      }
      case 'conversations.open': {
        const user = String(body.users ?? '').split(',')[0];
        return user
          ? { ok: true, channel: { id: dmChannelOf(user) } }
          : { ok: false, error: 'users_list_not_supplied' };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: body.view_id ?? `V${++this.seq}`, ...(body.view ?? {}) } };
      case 'users.info': {
        const u = this.users.get(String(body.user));
        if (!u) return { ok: false, error: 'user_not_found' };
        const withLocale = body.include_locale === true || body.include_locale === 'true';
        return {
          ok: true,
          user: {
            id: u.id,
            team_id: this.opts.teamId,
            name: u.name,
            real_name: u.realName ?? u.name,
            tz: u.tz,
            is_bot: u.isBot ?? false,
            ...(withLocale && u.locale ? { locale: u.locale } : {}),
            profile: { real_name: u.realName ?? u.name, display_name: u.displayName ?? '' },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** The fake's DM channel with a user (U… or W…); any other channel id is itself. */
/** The error the Web API client throws when Slack answers `{ ok: false, error: code }`. */
export function slackRefusal(code: string): Error {
  return new webApi.WebAPIPlatformError({ ok: false, error: code });
}

export function dmChannelOf(channel: string): string {
  return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel}` : channel;
}

function parseBody(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, any>;
    } catch {
      return { _raw: raw };
    }
  }
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // left as the string Slack would have rejected
      }
    }
    out[k] = v;
  }
  return out;
}

/** Every piece of visible text in a message body, view or block list, joined by newlines (for assertions). */
export function textOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key === 'text') out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
      return;
    }
    if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) if (k !== 'private_metadata' && k !== 'value') walk(x, k);
  };
  walk(value);
  return out.join('\n');
}
