// Bolt and its WebClient log through this, so that their warnings (rejected signatures, failed API calls,
// requests not acknowledged in time) land in dudao's structured log instead of on the console.
import { type Logger, LogLevel } from '@slack/bolt';
import type { ErrorLogger } from '../../core/shared/errors.js';
import { sdkLogLine } from '../sdk-log.js';

const text = sdkLogLine;

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

export function boltLogger(logger: ErrorLogger, initial: LogLevel = LogLevel.WARN): Logger {
  let level = initial;
  const on = (l: LogLevel) => RANK[l] >= RANK[level];
  return {
    // Bolt's debug and info lines describe its own plumbing; they are not worth a log line each.
    debug: () => undefined,
    info: (...m: unknown[]) => void (on(LogLevel.INFO) && logger.info({ source: 'bolt' }, text(m))),
    warn: (...m: unknown[]) => void (on(LogLevel.WARN) && logger.warn({ source: 'bolt' }, text(m))),
    error: (...m: unknown[]) => void (on(LogLevel.ERROR) && logger.error({ source: 'bolt' }, text(m))),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
