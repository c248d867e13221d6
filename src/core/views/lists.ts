// The short lists answered to a command (`my`, `overdue`, `findings`, `eval mine`, `status`) share one shape:
// a header, one paragraph, and a notification line `title: summary` that a person reads in the platform's
// preview before opening the message.

import { t } from '../i18n/t.js';
import type { Department, Locale } from '../ports.js';
import type { Block, MessageView } from './types.js';

/** A header and one paragraph (and any blocks after them), previewed by its title. */
export function headedMessage(title: string, text: string, extra: Block[] = []): MessageView {
  return { text: title, blocks: [{ kind: 'header', text: title }, { kind: 'text', text }, ...extra] };
}

/** The same, previewed as `title: summary` (a count, or the paragraph itself when it says "none"). */
export function titledMessage(title: string, summary: string | number, text: string, extra: Block[] = []): MessageView {
  return { ...headedMessage(title, text, extra), text: `${title}: ${summary}` };
}

/** A page of a scope's rows (a department's, or every department's), with who and where its lines mention. */
export interface ScopedList<R> {
  rows: R[];
  /** How many there are in all: the rows are the first of them. */
  total: number;
  scope: string;
  names: Map<number, string>;
  depts: Map<number, Department>;
}

/** The answer when there is nothing to list: the "none" sentence is both the preview and the body. */
export const noneMessage = (title: string, none: string): MessageView => titledMessage(title, none, none);

/** A list cut to the rows shown, with a last line saying how many of `total` were left out. */
export function listMessage(locale: Locale, title: string, lines: string[], total: number): MessageView {
  const more = total > lines.length ? [t(locale, 'findings.more', { n: total - lines.length })] : [];
  return titledMessage(title, total, [...lines, ...more].join('\n'));
}
