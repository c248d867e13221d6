import { randomBytes } from 'node:crypto';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';

export interface ErrorLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

/** Short id that a user can quote and an operator can grep for in the logs. */
export function correlationId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Logs an unexpected error under a fresh correlation id and returns the localized sentence to show.
 * Shared by both platforms' presenters, which only choose the surface.
 */
export function describeUnexpected(e: unknown, locale: Locale, logger: ErrorLogger, surface: string): string {
  const ref = correlationId();
  logger.error(
    { ref, surface, err: e instanceof Error ? { message: e.message, stack: e.stack, name: e.name } : String(e) },
    'unexpected error',
  );
  return t(locale, 'common.unknownError', { ref });
}
