// The long connection's client (lark.WSClient) logs its state (ready, reconnecting, failures); this puts
// those lines in dudao's structured log instead of on the console. Its debug lines (which include the
// connection URL and its ticket) are dropped.
import type { ErrorLogger } from '../../core/shared/errors.js';
import { sdkLogLine } from '../sdk-log.js';

export function larkLogger(logger: ErrorLogger) {
  return {
    error: (...m: unknown[]) => logger.error({ source: 'lark' }, sdkLogLine(m)),
    warn: (...m: unknown[]) => logger.warn({ source: 'lark' }, sdkLogLine(m)),
    info: (...m: unknown[]) => logger.info({ source: 'lark' }, sdkLogLine(m)),
    debug: () => undefined,
    trace: () => undefined,
  };
}
