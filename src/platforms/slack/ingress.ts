// POST /slack/events in HTTP mode: verifies and reads the body the way Bolt's HTTPReceiver does (its own
// functions, so the bytes Bolt then reuses are the ones checked here), and hands Bolt only bodies of a kind
// dudao handles, well formed. Everything else signed is answered here, at once, with one warn line: a body
// Bolt would have read a property of null in (a 500, or for `null` itself a rejection that ended the
// process), and one nothing listens for (Bolt waits 3 s and answers 404, which Slack takes for a failure).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BufferedIncomingMessage,
  defaultBodyLimit,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
} from '@slack/bolt';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { sendJson } from '../../http/body.js';
import { classifySlackBody, type SlackBodyVerdict } from './payloads.js';

const FORM = 'application/x-www-form-urlencoded';

export interface SlackIngressOptions {
  signingSecret: string;
  logger: ErrorLogger;
  bodyLimit?: number;
}

type Refusal = Exclude<SlackBodyVerdict, { ok: true }>;

/**
 * A malformed body gets 400; a well-formed one of a kind dudao has no listener for gets 404, except on the
 * Events API, where Slack redelivers anything but a 2xx (and, past 5 % failures an hour, turns the
 * subscription off): there it is acknowledged. X-Slack-No-Retry asks Slack not to send a refused body again.
 */
function answer(res: ServerResponse, verdict: Refusal): number {
  const status = verdict.reason === 'malformed' ? 400 : verdict.retried ? 200 : 404;
  if (status === 200) sendJson(res, 200, {});
  else
    sendJson(
      res,
      status,
      { error: verdict.reason === 'malformed' ? 'malformed payload' : 'no handler for this request' },
      { 'x-slack-no-retry': '1' },
    );
  return status;
}

export function guardSlackRequests(listener: HTTPReceiver['requestListener'], o: SlackIngressOptions) {
  const bodyLimit = o.bodyLimit ?? defaultBodyLimit;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Bolt throws for any other method, which would surface as a 500.
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { enabled: true, signingSecret: o.signingSecret, bodyLimit },
        req,
      );
    } catch (e) {
      if (isRawBodyError(e) && (e as { statusCode?: number }).statusCode === 413) {
        o.logger.warn(
          { source: 'slack', status: 413, limit: bodyLimit },
          'refused a Slack request larger than the body limit',
        );
        // The rest of the body is not read: the connection closes, so that nothing else waits behind it.
        return sendJson(res, 413, { error: 'body too large' }, { connection: 'close' });
      }
      // The body could not be read at all (the client went away): there is nothing for Bolt to look at.
      if (!HTTPModuleFunctions.isBufferedIncomingMessage(req))
        return sendJson(res, 400, { error: 'the body could not be read' });
      // A forged or stale signature: Bolt refuses it (401) and logs it, as it always has.
      return listener(req, res);
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      // Not JSON (or a payload= that is not): Bolt answers 400 and logs it.
      return listener(req, res);
    }
    const record =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    // Bolt answers these two itself, before any listener.
    if (record && (record.ssl_check === '1' || record.type === 'url_verification')) return listener(req, res);
    const verdict = classifySlackBody(body, { json: req.headers['content-type'] !== FORM });
    if (verdict.ok) return listener(req, res);
    const status = answer(res, verdict);
    o.logger.warn(
      {
        source: 'slack',
        status,
        kind: verdict.kind,
        ...(verdict.reason === 'malformed' ? { problem: verdict.problem } : {}),
      },
      verdict.reason === 'malformed'
        ? 'refused a signed Slack request whose payload is malformed'
        : 'a signed Slack request dudao has no handler for',
    );
  };
}
