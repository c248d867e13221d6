// `my` and `overdue`: short lists answered from the database.

import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { formatDateTime, truncate } from '../shared/format.js';
import { listMessage, noneMessage, type ScopedList } from '../views/lists.js';
import type { MessageView } from '../views/types.js';
import type { FindingRecord } from './types.js';

interface Reader {
  locale: Locale;
  timeZone: string;
}

const sev = (locale: Locale, f: FindingRecord) => t(locale, `severity.${f.severity}`);
const status = (locale: Locale, f: FindingRecord) => t(locale, `status.${f.status}` as MessageKey);

/** My findings, soonest deadline first, and (for supervisors) acceptance checks waiting for me. */
export function myMessage(mine: FindingRecord[], toJudge: FindingRecord[], reader: Reader, now: Date): MessageView {
  const { locale } = reader;
  const title = t(locale, 'my.title');
  if (mine.length === 0 && toJudge.length === 0) return noneMessage(title, t(locale, 'my.none'));
  const line = (f: FindingRecord) =>
    '- ' +
    t(locale, 'my.line', {
      id: f.id,
      severity: sev(locale, f),
      description: truncate(f.description, 100),
      status: status(locale, f),
      due: f.deadline
        ? t(locale, 'my.due', { date: formatDateTime(f.deadline, locale, reader.timeZone) }) +
          (f.deadline < now ? ' ⚠' : '')
        : t(locale, 'my.noDeadline'),
    });
  const blocks: MessageView['blocks'] = [{ kind: 'header', text: title }];
  if (mine.length) blocks.push({ kind: 'text', text: mine.map(line).join('\n') });
  if (toJudge.length)
    blocks.push({ kind: 'text', text: `*${t(locale, 'my.acceptance')}*\n${toJudge.map(line).join('\n')}` });
  return { text: `${title}: ${mine.length + toJudge.length}`, blocks };
}

export function overdueMessage(list: ScopedList<FindingRecord>, reader: Reader, now: Date): MessageView {
  const { locale } = reader;
  const { rows, total, scope, names, depts } = list;
  const title = t(locale, 'overdue.title', { scope });
  if (rows.length === 0) return noneMessage(title, t(locale, 'overdue.none'));
  const lines = rows.map((f) => {
    const owner = f.ownerId ?? f.responsibleMemberId;
    const days = Math.max(1, Math.ceil((now.getTime() - (f.deadline?.getTime() ?? now.getTime())) / 86_400_000));
    return (
      '- ' +
      t(locale, 'overdue.line', {
        id: f.id,
        severity: sev(locale, f),
        description: truncate(f.description, 100),
        owner: names.get(owner) ?? `#${owner}`,
        dept: depts.get(f.departmentId)?.name ?? '?',
        days: t(locale, 'age.days', { n: days }),
      })
    );
  });
  return listMessage(locale, title, lines, total);
}
