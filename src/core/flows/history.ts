// A record's timeline, the same for every flow: one line per step (when, who, what, from → to, the note).
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { formatDateTime, truncate } from '../shared/format.js';
import type { MessageView } from '../views/types.js';
import type { FlowEvent } from './definition.js';

export interface HistoryWords<S extends string> {
  /** The timeline's title, already translated ("Finding #3 — history"). */
  title: string;
  /** A step's name in the reader's language. */
  action: (action: string) => string;
  /** A state's name in the reader's language. */
  state: (state: S) => string;
}

export function flowHistory<S extends string>(
  events: Array<FlowEvent<S>>,
  names: ReadonlyMap<number, string>,
  reader: { locale: Locale; timeZone: string },
  words: HistoryWords<S>,
): MessageView {
  const { locale } = reader;
  const lines = events.map(
    (e) =>
      `- ${t(locale, 'flow.eventLine', {
        at: formatDateTime(e.at, locale, reader.timeZone),
        who: e.actorId === null ? t(locale, 'finding.system') : (names.get(e.actorId) ?? `#${e.actorId}`),
        action: words.action(e.action),
        from: words.state(e.from),
        to: words.state(e.to),
        note: e.note ? ` — ${truncate(e.note, 300)}` : '',
      })}`,
  );
  return {
    text: words.title,
    blocks: [
      { kind: 'header', text: words.title },
      { kind: 'text', text: lines.join('\n') || t(locale, 'finding.none') },
    ],
  };
}
