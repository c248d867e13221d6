import { pick, t } from '../i18n/t.js';
import type { Locale, Member } from '../ports.js';
import { formatAge, formatDateTime, formatScore, truncate } from '../shared/format.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import { listMessage, noneMessage, type ScopedList } from '../views/lists.js';
import { lit } from '../views/text.js';
import type { MessageView } from '../views/types.js';
import type { DepartmentStatus, FindingRow } from './types.js';

export interface Reader {
  locale: Locale;
  timeZone: string;
}

function dimName(tpl: ChecklistTemplate | null, key: string, locale: Locale): string {
  const d = tpl?.dimensions.find((x) => x.key === key);
  return lit(d ? pick(d.name, locale) : key);
}

export function statusMessage(
  s: DepartmentStatus,
  scope: string,
  tpl: ChecklistTemplate | null,
  names: Map<number, string>,
  reader: Reader,
  now: Date,
): MessageView {
  const { locale } = reader;
  const title = t(locale, 'status.title', { scope });
  if (s.inspections === 0 && s.openBySeverity.length === 0)
    return noneMessage(title, t(locale, 'status.noInspections'));
  const severityOrder = ['critical', 'high', 'medium', 'low'];
  const open = [...s.openBySeverity].sort(
    (a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity),
  );
  const oldest = s.oldestOpen;
  return {
    text: `${title}: ${s.inspections}`,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'fields',
        fields: [
          { label: t(locale, 'status.inspections'), value: String(s.inspections) },
          { label: t(locale, 'status.avgOverall'), value: formatScore(s.averageOverall, locale) },
          {
            label: t(locale, 'status.lastInspection'),
            value: s.lastInspectionAt
              ? formatDateTime(s.lastInspectionAt, locale, reader.timeZone)
              : t(locale, 'common.none'),
          },
        ],
      },
      {
        kind: 'text',
        text:
          `*${t(locale, 'status.byDimension')}*\n` +
          (s.dimensionAverages
            .map((d) => `- ${dimName(tpl, d.dimensionKey, locale)}: ${formatScore(d.average, locale)}`)
            .join('\n') || t(locale, 'common.none')),
      },
      {
        kind: 'text',
        text:
          `*${t(locale, 'status.openBySeverity')}*\n` +
          (open.map((o) => `- ${t(locale, `severity.${o.severity}` as never)}: ${o.count}`).join('\n') ||
            t(locale, 'common.none')),
      },
      {
        kind: 'text',
        text:
          `*${t(locale, 'status.oldestOpen')}*\n` +
          (oldest
            ? t(locale, 'status.oldestLine', {
                id: oldest.id,
                description: truncate(oldest.description, 200),
                owner: names.get(oldest.responsibleMemberId) ?? `#${oldest.responsibleMemberId}`,
                age: formatAge(oldest.createdAt, now, locale),
              })
            : t(locale, 'common.none')),
      },
    ],
  };
}

export function findingsMessage(
  list: ScopedList<FindingRow>,
  filter: 'open' | 'all',
  reader: Reader,
  now: Date,
): MessageView {
  const { locale } = reader;
  const { rows, total, scope, names, depts } = list;
  const title = t(locale, 'findings.title', {
    scope,
    filter: t(locale, filter === 'open' ? 'findings.filterOpen' : 'findings.filterAll'),
  });
  if (rows.length === 0) return noneMessage(title, t(locale, 'findings.none'));
  const lines = rows.map(
    (f) =>
      '- ' +
      t(locale, 'findings.line', {
        id: f.id,
        severity: t(locale, `severity.${f.severity}` as never),
        description: truncate(f.description, 120),
        owner: names.get(f.responsibleMemberId) ?? `#${f.responsibleMemberId}`,
        dept: depts.get(f.departmentId)?.name ?? '?',
        age: formatAge(f.createdAt, now, locale),
        status: t(locale, `status.${f.status}` as never),
      }),
  );
  return listMessage(locale, title, lines, total);
}

export type { Member };
