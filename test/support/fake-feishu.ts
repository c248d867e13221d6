// A loopback Feishu Open API for tests: tenant tokens, message create/reply and contact users, every call
// recorded, and failures scripted per route for the next N calls. Point the bot at it with FEISHU_DOMAIN.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = 'token' | 'message.create' | 'message.reply' | 'user.get';

export const ROUTES: Record<Route, { method: string; pattern: RegExp }> = {
  token: { method: 'POST', pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/ },
  'message.create': { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/ },
  'message.reply': { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/ },
  'user.get': { method: 'GET', pattern: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/ },
};

export interface RecordedCall {
  route: Route | null;
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** Parsed JSON body; a string `content` is JSON-decoded in place (cards arrive as objects). */
  body: Record<string, unknown> | undefined;
  /** The HTTP status the fake answered with. */
  status: number;
}

export type Failure =
  | { kind: 'rateLimited'; resetSeconds?: number }
  | { kind: 'serverError'; status?: number }
  | { kind: 'code'; code: number; msg?: string; status?: number };

export type FakeUser = { name?: string; en_name?: string; nickname?: string; time_zone?: string } | 'forbidden';

/** A message the bot sent: create or reply, with the card decoded. */
export interface SentMessage {
  via: 'create' | 'reply';
  receiveIdType?: string;
  receiveId?: string;
  replyTo?: string;
  msgType: string;
  card: Record<string, unknown>;
}

export class FakeFeishu {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly failures = new Map<Route, Failure[]>();
  private readonly tokens = new Set<string>();
  private server: Server | undefined;
  private seq = 0;
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

  /** The next `times` calls of `route` fail this way (queued after failures already scripted). */
  fail(route: Route, failure: Failure, times = 1): void {
    const queue = this.failures.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(route, queue);
  }

  /** Invalidates every issued tenant token, as Feishu does when a token is revoked early. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  callsTo(route: Route): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  /** Messages Feishu accepted (status 200), in order. */
  sent(): SentMessage[] {
    return this.calls
      .filter((c) => (c.route === 'message.create' || c.route === 'message.reply') && c.status === 200)
      .map((c) => ({
        via: c.route === 'message.create' ? 'create' : 'reply',
        receiveIdType: c.query.receive_id_type,
        receiveId: c.body?.receive_id as string | undefined,
        replyTo: c.route === 'message.reply' ? ROUTES['message.reply'].pattern.exec(c.path)?.[1] : undefined,
        msgType: String(c.body?.msg_type ?? ''),
        card: (c.body?.content ?? {}) as Record<string, unknown>,
      }));
  }

  /** Forgets recorded calls (scripted failures and users stay). */
  clearCalls(): void {
    this.calls.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      if (body && typeof body.content === 'string') body.content = JSON.parse(body.content) as unknown;
    } catch {
      body = { unparsed: raw };
    }
    const route = (Object.keys(ROUTES) as Route[]).find((r) => ROUTES[r].method === req.method && ROUTES[r].pattern.test(url.pathname)) ?? null;
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
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (!route) return send(404, { code: 404, msg: `fake-feishu has no ${req.method} ${url.pathname}` });

    const failure = this.failures.get(route)?.shift();
    if (failure) {
      if (failure.kind === 'rateLimited')
        return send(429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '100', 'x-ogw-ratelimit-reset': String(failure.resetSeconds ?? 1) });
      if (failure.kind === 'serverError') return send(failure.status ?? 500, { code: 1000, msg: 'internal error' });
      return send(failure.status ?? 400, { code: failure.code, msg: failure.msg ?? 'scripted failure' });
    }

    if (route === 'token') {
      const token = `t-fake${String(++this.seq).padStart(4, '0')}`;
      this.tokens.add(token);
      return send(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return send(400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });

    if (route === 'user.get') {
      const id = decodeURIComponent(ROUTES['user.get'].pattern.exec(url.pathname)![1]!);
      const user = this.users.get(id);
      if (user === 'forbidden') return send(400, { code: 99991672, msg: 'Access denied. One of the following scopes is required: [contact:user.base:readonly]' });
      if (!user) return send(400, { code: 41050, msg: 'no user authority error' });
      return send(200, { code: 0, msg: 'success', data: { user: { open_id: id, ...user } } });
    }
    const messageId = `om_fake${String(++this.seq).padStart(4, '0')}`;
    if (route === 'message.create' && !['chat_id', 'open_id', 'user_id', 'union_id', 'email'].includes(url.searchParams.get('receive_id_type') ?? ''))
      return send(400, { code: 99992402, msg: 'field validation failed: receive_id_type' });
    return send(200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: body?.msg_type, chat_id: body?.receive_id } });
  }
}

export async function startFakeFeishu(): Promise<FakeFeishu> {
  return new FakeFeishu().start();
}
