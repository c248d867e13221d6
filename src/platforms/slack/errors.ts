// Slack's error presenter: unexpected errors become a localized sentence with a correlation id, shown
// as an ephemeral message, or as the modal itself when a form submission failed.

import { t } from '../../core/i18n/t.js';
import type { Locale } from '../../core/ports.js';
import { describeUnexpected, type ErrorLogger } from '../../core/shared/errors.js';
import { clip, SLACK_LIMITS, toMrkdwn } from './render.js';

export type { ErrorLogger };

export function presentSlackError(e: unknown, locale: Locale, logger: ErrorLogger): string {
  return describeUnexpected(e, locale, logger, 'slack');
}

/** A closable modal that only says something (refusals, saved confirmations, errors). */
export function noticeModal(text: string, locale: Locale): object {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clip(t(locale, 'app.name'), SLACK_LIMITS.viewTitle) },
    close: { type: 'plain_text', text: clip(t(locale, 'common.ok'), SLACK_LIMITS.viewTitle) },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(toMrkdwn(text), SLACK_LIMITS.sectionText) } }],
  };
}
