// POST /feishu/events in webhook mode. The raw body is verified here (the SDK signs a re-serialised body and
// never checks the verification token or the timestamp) and decrypted, then handed to the Lark dispatcher.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { readBody, sendJson } from '../../http/body.js';
import { decryptPayload, verifySignature } from './crypto.js';

const MAX_SKEW_MS = 5 * 60_000;

export interface WebhookConfig {
  verificationToken?: string;
  encryptKey?: string;
}

export interface WebhookDeps {
  config: WebhookConfig;
  dispatcher: lark.EventDispatcher;
  clock: Clock;
  logger: ErrorLogger;
}

type Body = Record<string, unknown>;
/** A request refused: the status and why, with anything else worth a log field. */
type Refusal = { status: number; error: string; extra?: Record<string, unknown> };

/** A request as read: its headers, raw body and parsed JSON body. */
interface Incoming {
  req: IncomingMessage;
  raw: Buffer;
  body: Body;
}

function verifier({ config, clock }: Pick<WebhookDeps, 'config' | 'clock'>) {
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

  /** The event in a body, decrypted when it is encrypted, or why it is refused. */
  function payloadOf({ req, raw, body }: Incoming): { payload: Body } | { refusal: Refusal } {
    const refuse = (status: number, error: string, extra?: Record<string, unknown>) => ({
      refusal: { status, error, extra },
    });
    if (typeof body.encrypt !== 'string') {
      if (config.encryptKey) return refuse(401, 'expected an encrypted body');
      return { payload: body };
    }
    if (!config.encryptKey) return refuse(400, 'encrypted body but FEISHU_ENCRYPT_KEY is not set');
    let decrypted: unknown;
    try {
      decrypted = JSON.parse(decryptPayload(config.encryptKey, body.encrypt));
    } catch {
      return refuse(400, 'body could not be decrypted with FEISHU_ENCRYPT_KEY');
    }
    // JSON that is not an object (null, a number, a list) carries no event to acknowledge: refused, once
    // the signature shows it is Feishu's, so that a forgery still reads as one.
    if (typeof decrypted !== 'object' || decrypted === null || Array.isArray(decrypted)) {
      const refused = signatureProblem(req, raw);
      if (refused) return refuse(401, refused);
      const kind = Array.isArray(decrypted) ? 'array' : decrypted === null ? 'null' : typeof decrypted;
      return refuse(400, 'malformed payload', { kind });
    }
    return { payload: decrypted as Body };
  }

  return { signatureProblem, payloadOf };
}

export function createWebhook(deps: WebhookDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, dispatcher, logger } = deps;
  const { signatureProblem, payloadOf } = verifier(deps);

  /** Answers a request dudao will not act on, with one warn line saying why (never the body: it holds tokens). */
  function refuse(res: ServerResponse, { status, error, extra = {} }: Refusal) {
    logger.warn({ source: 'feishu', status, error, ...extra }, 'refused a Feishu webhook request');
    sendJson(res, status, { error });
  }

  return async function webhook(req, res) {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      return refuse(res, { status, error: e instanceof Error ? e.message : 'the body could not be read' });
    }
    let body: Body;
    try {
      body = JSON.parse(raw.toString('utf8')) as Body;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      return refuse(res, { status: 400, error: 'malformed JSON body' });
    }
    const read = payloadOf({ req, raw, body });
    if ('refusal' in read) return refuse(res, read.refusal);
    const { payload } = read;
    const header = (typeof payload.header === 'object' && payload.header !== null ? payload.header : {}) as Body;
    const token = header.token ?? payload.token;
    if (payload.type === 'url_verification') {
      if (token !== config.verificationToken) return refuse(res, { status: 401, error: 'invalid verification token' });
      return sendJson(res, 200, { challenge: payload.challenge });
    }
    const refused = signatureProblem(req, raw);
    if (refused) return refuse(res, { status: 401, error: refused });
    if (token !== config.verificationToken) return refuse(res, { status: 401, error: 'invalid verification token' });
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
  };
}
