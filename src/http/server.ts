// One HTTP server for everything: Slack and Feishu webhooks and the health check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './body.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpRoutes {
  slack?: Handler;
  feishu?: Handler;
  /** GET and POST /eval/c/<token>: a customer's one-time evaluation form (src/http/customer-eval.ts). */
  customerEval?: Handler;
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
}

export function createHttpServer(routes: HttpRoutes, onError: (e: unknown) => void): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const run = async () => {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        // The error's own text (a database path, a driver's message) is for the log, not for whoever polls.
        const h = await routes.health().catch((e) => {
          onError(e);
          return { ok: false, error: 'health check failed; the reason is in the log' };
        });
        return sendJson(res, h.ok ? 200 : 503, h);
      }
      if (path === '/slack/events') {
        if (!routes.slack)
          return sendJson(res, 404, { error: 'Slack is not configured on this server (see .env.example)' });
        return routes.slack(req, res);
      }
      if (path === '/feishu/events') {
        if (!routes.feishu)
          return sendJson(res, 404, {
            error: 'Feishu webhook mode is not configured on this server (see .env.example)',
          });
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
        return routes.feishu(req, res);
      }
      if (path?.startsWith('/eval/c/') && routes.customerEval) return routes.customerEval(req, res);
      sendJson(res, 404, { error: 'not found' });
    };
    Promise.resolve()
      .then(run)
      .catch((e) => {
        onError(e);
        sendJson(res, (e as { status?: number }).status ?? 500, { error: 'internal error' });
      });
  });
}

/** A start that cannot go on, with the one sentence an operator needs (en, then zh-CN); `cause` is for the log. */
export class StartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}

/** Listens on `port`; resolves with the port bound, or rejects with a StartError saying what to change. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new StartError(listenProblem(e, port), { cause: e }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port);
  });
}

function listenProblem(e: NodeJS.ErrnoException, port: number): string {
  if (e.code === 'EADDRINUSE')
    return (
      `port ${port} is already in use (another dudao, or another program); stop it or set PORT to a free port. ` +
      `端口 ${port} 已被占用（另一个 dudao 或其他程序）：请停止它，或将 PORT 设为空闲端口。`
    );
  if (e.code === 'EACCES')
    return (
      `port ${port} needs privileges this user does not have; set PORT to 1024 or above. ` +
      `端口 ${port} 需要当前用户没有的权限：请将 PORT 设为 1024 或以上。`
    );
  return `cannot listen on port ${port} (${e.code ?? e.message}); check PORT. 无法监听端口 ${port}：请检查 PORT。`;
}
