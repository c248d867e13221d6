// A loopback Feishu Open API for tests: tenant tokens, message create/reply/patch and contact users, every
// call recorded, and failures scripted per route for the next N calls. Point the bot at it with FEISHU_DOMAIN.
// Like Feishu it keeps the messages it accepted: a create or reply repeating an earlier request's `uuid`
// answers with the first message and sends nothing (Feishu's window is about an hour; the fake's is its
// lifetime), and a PATCH replaces the card of a message it holds. Files are uploaded (multipart) to
// im/v1/files and sent as msg_type "file" with their file_key; files() holds the uploaded bytes. `slow` makes
// a route answer late (carried out at once, its answer held back).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipart } from './multipart.js';

export type Route = 'token' | 'message.create' | 'message.reply' | 'message.patch' | 'user.get' | 'file.create';

export const ROUTES: Record<Route, { method: string; pattern: RegExp }> = {
  token: { method: 'POST', pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/ },
  'message.create': { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/ },
  'message.reply': { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/ },
  'message.patch': { method: 'PATCH', pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/ },
  'user.get': { method: 'GET', pattern: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/ },
  'file.create': { method: 'POST', pattern: /^\/open-apis\/im\/v1\/files$/ },
};

/** A file uploaded to im/v1/files. */
export interface UploadedFile {
  fileKey: string;
  fileType: string;
  fileName: string;
  bytes: Buffer;
}

const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];

export interface RecordedCall {
  route: Route | null;
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** Parsed JSON body; a string `content` is JSON-decoded in place (cards arrive as objects). */
  body: Record<string, unknown> | undefined;
  /** The HTTP status the fake answered with (0 when the connection was dropped without an answer). */
  status: number;
  /** A create or reply whose uuid an earlier accepted request had: answered with that message, nothing sent. */
  deduped?: boolean;
}

export type Failure =
  | { kind: 'rateLimited'; resetSeconds?: number }
  | { kind: 'serverError'; status?: number }
  | { kind: 'code'; code: number; msg?: string; status?: number }
  /** The request is carried out (the message is sent), then the connection drops before the answer. */
  | { kind: 'lostResponse' };

export type FakeUser = { name?: string; en_name?: string; nickname?: string; time_zone?: string } | 'forbidden';

/** A message the bot sent: create or reply, with the card decoded as it was first sent. */
export interface SentMessage {
  via: 'create' | 'reply';
  receiveIdType?: string;
  receiveId?: string;
  replyTo?: string;
  msgType: string;
  card: Record<string, unknown>;
  messageId: string;
  chatId: string;
  uuid?: string;
}

/** Answers a request to a path served with FakeFeishu.serve: its parsed JSON body, and the request. */
export type ExtraRoute = (
  body: Record<string, unknown> | undefined,
  req: IncomingMessage,
) => { status?: number; body: unknown };

/** A PATCH of a message's card that Feishu accepted. */
export interface PatchedMessage {
  messageId: string;
  card: Record<string, unknown>;
}

/** Feishu's answer when a message can no longer be patched: recalled or deleted. */
export const CODE_MESSAGE_RECALLED = 230011;

export class FakeFeishu {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly failures = new Map<Route, Failure[]>();
  private readonly tokens = new Set<string>();
  /** Every message accepted, by message_id, with its current card (after PATCHes). */
  private readonly messages = new Map<string, SentMessage & { current: Record<string, unknown>; recalled?: boolean }>();
  private readonly byUuid = new Map<string, string>();
  private accepted: SentMessage[] = [];
  private patched: PatchedMessage[] = [];
  private readonly uploaded = new Map<string, UploadedFile>();
  private server: Server | undefined;
  private seq = 0;
  /** Paths other fakes serve through this one (see serve), by "METHOD /path". */
  private readonly extraRoutes = new Map<string, ExtraRoute>();
  private readonly delays = new Map<Route, number>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /**
   * Answers `method path` with `handler` (recorded with route null), for endpoints outside the Open API that
   * live on the same domain, such as the long connection's POST /callback/ws/endpoint.
   */
  serve(method: string, path: string, handler: ExtraRoute): void {
    this.extraRoutes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  /** The next `times` calls of `route` fail this way (queued after failures already scripted). */
  fail(route: Route, failure: Failure, times = 1): void {
    const queue = this.failures.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(route, queue);
  }

  /** Calls of `route` are carried out at once and answered `ms` later. */
  slow(route: Route, ms: number): void {
    this.delays.set(route, ms);
  }

  /** Invalidates every issued tenant token, as Feishu does when a token is revoked early. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  callsTo(route: Route): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  /** Messages Feishu accepted, in order (a request deduplicated by its uuid adds none). */
  sent(): SentMessage[] {
    return [...this.accepted];
  }

  /** Files uploaded, in order (whether or not a message sent them). */
  files(): UploadedFile[] {
    return [...this.uploaded.values()];
  }

  /** An uploaded file by its file_key. */
  file(fileKey: string): UploadedFile | undefined {
    return this.uploaded.get(fileKey);
  }

  /** Card updates Feishu accepted, in order. */
  patches(): PatchedMessage[] {
    return [...this.patched];
  }

  /** A message as its recipients see it now: the card of its last accepted PATCH, or as sent. */
  message(messageId: string): (SentMessage & { current: Record<string, unknown> }) | undefined {
    return this.messages.get(messageId);
  }

  /** Recalls (withdraws) a message: PATCHes of it fail from now on, as on Feishu. */
  recall(messageId: string): void {
    const m = this.messages.get(messageId);
    if (m) m.recalled = true;
  }

  /** Forgets recorded calls, sent messages and patches (scripted failures, users and known messages stay). */
  clearCalls(): void {
    this.calls.length = 0;
    this.accepted = [];
    this.patched = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const parts = parseMultipart(bytes, String(req.headers['content-type'] ?? ''));
    let body: Record<string, unknown> | undefined;
    try {
      // A multipart upload is recorded by its text fields; the file part is kept as bytes below.
      body = parts.length
        ? Object.fromEntries(
            parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]),
          )
        : raw
          ? (JSON.parse(raw) as Record<string, unknown>)
          : undefined;
      if (body && typeof body.content === 'string') body.content = JSON.parse(body.content) as unknown;
    } catch {
      body = { unparsed: raw };
    }
    const route =
      (Object.keys(ROUTES) as Route[]).find(
        (r) => ROUTES[r].method === req.method && ROUTES[r].pattern.test(url.pathname),
      ) ?? null;
    const call: RecordedCall = {
      route,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
      status: 0,
    };
    this.calls.push(call);
    const delay = route ? (this.delays.get(route) ?? 0) : 0;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const answer = () => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    };
    if (!route) {
      const extra = this.extraRoutes.get(`${req.method} ${url.pathname}`);
      if (extra) {
        const answer = extra(body, req);
        return send(answer.status ?? 200, answer.body);
      }
      return send(404, { code: 404, msg: `fake-feishu has no ${req.method} ${url.pathname}` });
    }

    const failure = this.failures.get(route)?.shift();
    if (failure && failure.kind !== 'lostResponse') {
      if (failure.kind === 'rateLimited')
        return send(
          429,
          { code: 99991400, msg: 'request trigger frequency limit' },
          { 'x-ogw-ratelimit-limit': '100', 'x-ogw-ratelimit-reset': String(failure.resetSeconds ?? 1) },
        );
      if (failure.kind === 'serverError') return send(failure.status ?? 500, { code: 1000, msg: 'internal error' });
      return send(failure.status ?? 400, { code: failure.code, msg: failure.msg ?? 'scripted failure' });
    }
    // Message routes: carried out below, but the caller never hears the answer.
    const reply: typeof send =
      failure?.kind === 'lostResponse'
        ? () => {
            call.status = 0;
            res.socket?.destroy();
          }
        : send;

    if (route === 'token') {
      const token = `t-fake${String(++this.seq).padStart(4, '0')}`;
      this.tokens.add(token);
      return send(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token))
      return send(400, {
        code: 99991663,
        msg: 'Invalid access token for authorization. Please make a request with token attached.',
      });

    if (route === 'user.get') {
      const id = decodeURIComponent(ROUTES['user.get'].pattern.exec(url.pathname)![1]!);
      const user = this.users.get(id);
      if (user === 'forbidden')
        return send(400, {
          code: 99991672,
          msg: 'Access denied. One of the following scopes is required: [contact:user.base:readonly]',
        });
      if (!user) return send(400, { code: 41050, msg: 'no user authority error' });
      return send(200, { code: 0, msg: 'success', data: { user: { open_id: id, ...user } } });
    }
    if (route === 'file.create') {
      const file = parts.find((p) => p.name === 'file');
      const fileType = String(body?.file_type ?? '');
      const fileName = String(body?.file_name ?? '');
      if (!FILE_TYPES.includes(fileType) || !fileName)
        return send(400, { code: 99992402, msg: 'field validation failed: file_type, file_name' });
      if (!file || file.data.length === 0) return send(400, { code: 234010, msg: 'file is empty or missing' });
      const fileKey = `file_v3_fake${String(++this.seq).padStart(4, '0')}`;
      this.uploaded.set(fileKey, { fileKey, fileType, fileName, bytes: file.data });
      return send(200, { code: 0, msg: 'success', data: { file_key: fileKey } });
    }
    if (route === 'message.patch') {
      const id = decodeURIComponent(ROUTES['message.patch'].pattern.exec(url.pathname)![1]!);
      const m = this.messages.get(id);
      if (!m)
        return send(400, {
          code: 230001,
          msg: 'Your request contains an invalid request parameter, ext=invalid message_id.',
        });
      if (m.recalled) return send(400, { code: CODE_MESSAGE_RECALLED, msg: 'The message was recalled.' });
      const card = body?.content as Record<string, unknown> | undefined;
      if (!card || typeof card !== 'object')
        return send(400, { code: 230001, msg: 'Your request contains an invalid request parameter, ext=content.' });
      // Only shared cards can be updated for everyone: update_multi before and after.
      const shared = (c: Record<string, unknown>) =>
        (c.config as { update_multi?: unknown } | undefined)?.update_multi === true;
      if (!shared(m.current) || !shared(card))
        return send(400, { code: 230099, msg: 'Failed to update card content: config.update_multi must be true.' });
      m.current = card;
      this.patched.push({ messageId: id, card });
      return reply(200, { code: 0, msg: 'success', data: {} });
    }

    if (
      route === 'message.create' &&
      !['chat_id', 'open_id', 'user_id', 'union_id', 'email'].includes(url.searchParams.get('receive_id_type') ?? '')
    )
      return send(400, { code: 99992402, msg: 'field validation failed: receive_id_type' });
    if (
      body?.msg_type === 'file' &&
      !this.uploaded.has(String((body.content as { file_key?: unknown } | undefined)?.file_key))
    )
      return send(400, {
        code: 230001,
        msg: 'Your request contains an invalid request parameter, ext=invalid file_key.',
      });
    const uuid = typeof body?.uuid === 'string' ? body.uuid : undefined;
    if (uuid !== undefined && uuid.length > 50)
      return send(400, { code: 99992402, msg: 'field validation failed: uuid' });
    const first = uuid ? this.messages.get(this.byUuid.get(uuid) ?? '') : undefined;
    if (first) {
      call.deduped = true;
      return reply(200, {
        code: 0,
        msg: 'success',
        data: { message_id: first.messageId, msg_type: first.msgType, chat_id: first.chatId },
      });
    }
    const messageId = `om_fake${String(++this.seq).padStart(4, '0')}`;
    const replyTo = route === 'message.reply' ? ROUTES['message.reply'].pattern.exec(url.pathname)?.[1] : undefined;
    const receiveIdType =
      route === 'message.create' ? (url.searchParams.get('receive_id_type') ?? undefined) : undefined;
    const receiveId = body?.receive_id as string | undefined;
    // A direct message lands in the bot's p2p chat with that person; a reply in the chat of the message.
    const chatId = receiveIdType === 'chat_id' ? receiveId! : receiveId ? `oc_p2p_${receiveId}` : `oc_of_${replyTo}`;
    const card = (body?.content ?? {}) as Record<string, unknown>;
    const sent: SentMessage = {
      via: route === 'message.create' ? 'create' : 'reply',
      receiveIdType,
      receiveId,
      replyTo,
      msgType: String(body?.msg_type ?? ''),
      card,
      messageId,
      chatId,
      ...(uuid ? { uuid } : {}),
    };
    this.messages.set(messageId, { ...sent, current: card });
    if (uuid) this.byUuid.set(uuid, messageId);
    this.accepted.push(sent);
    return reply(200, {
      code: 0,
      msg: 'success',
      data: { message_id: messageId, msg_type: body?.msg_type, chat_id: chatId },
    });
  }
}

export async function startFakeFeishu(): Promise<FakeFeishu> {
  return new FakeFeishu().start();
}
