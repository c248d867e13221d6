// Starting up against Feishu: the app credentials checked, and in long-connection mode the WSClient that
// feeds the same dispatcher as the webhook.
import * as lark from '@larksuiteoapi/node-sdk';
import { DeliveryError } from '../../core/ports.js';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { larkLogger } from './lark-logger.js';
import { domainOf, larkCall, toDeliveryError } from './sender.js';

/** How long start() waits for the long connection's first answer before letting it connect in the background. */
const WS_READY_WAIT_MS = 15_000;

export interface AppCredentials {
  appId: string;
  appSecret: string;
}

/**
 * Asks for a tenant access token, as Slack's auth.test checks its token: a refusal (wrong app id or secret)
 * fails the start with Feishu's own words, never the secret. Feishu being briefly unreachable does not:
 * the outbox retries, and the client asks again on its first call.
 */
export async function checkCredentials(client: lark.Client, config: AppCredentials, logger: ErrorLogger) {
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

/**
 * Opens the long connection: `ws` at once (so that stop() can close it whatever happens), and `ready`.
 * WSClient.start() returns before the connection is up; a refusal of /callback/ws/endpoint (wrong
 * credentials, long connection not enabled) only reaches onError. So `ready` waits for the first answer and
 * rejects on a refusal; a connection still trying (network) goes on in the background.
 */
export function openLongConnection(
  config: AppCredentials & { domain: string },
  dispatcher: lark.EventDispatcher,
  logger: ErrorLogger,
): { ws: lark.WSClient; ready: Promise<void> } {
  let settle: (e?: Error) => void = () => undefined;
  const first = new Promise<Error | undefined>((resolve) => (settle = resolve));
  let started = false;
  const ws = new lark.WSClient({
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
  const ready = (async () => {
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
  })();
  return { ws, ready };
}
