// One HTTP server for everything: Slack and Feishu webhooks and the health check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
        const h = await routes.health().catch((e) => ({ ok: false, error: String(e) }));
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
