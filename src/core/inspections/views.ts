import { pick, t } from '../i18n/t.js';
import type { Department, Locale, Member } from '../ports.js';
import { formatDateTime, formatScore, truncate } from '../shared/format.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import { lit } from '../views/text.js';
import type { Block, MessageView } from '../views/types.js';
import type { SavedFinding } from './types.js';

export interface SummaryInfo {
  inspectionId: number;
  dept: Department;
  supervisor: Member;
  tpl: ChecklistTemplate;
  version: number;
  at: Date;
  findings: SavedFinding[];
  owners: Member[];
  scores: { overall: number | null; dimensions: Array<{ dimensionKey: string; score: number | null }> };
}

export function itemText(tpl: ChecklistTemplate, dimensionKey: string, itemKey: string, locale: Locale) {
  const dim = tpl.dimensions.find((d) => d.key === dimensionKey);
  const item = dim?.items.find((i) => i.key === itemKey);
  return { dimension: dim ? pick(dim.name, locale) : dimensionKey, item: item ? pick(item.text, locale) : itemKey };
}

const MAX_LINES = 25;

/** Posted where the inspection was started: scores per dimension and every finding. */
export function summaryMessage(info: SummaryInfo, locale: Locale, timeZone: string): MessageView {
  const ownerName = (id: number) => info.owners.find((o) => o.id === id)?.displayName ?? `#${id}`;
  const title = t(locale, 'summary.title', { id: info.inspectionId, dept: info.dept.name });
  const blocks: Block[] = [
    { kind: 'header', text: title },
    {
      kind: 'context',
      text: t(locale, 'summary.by', {
        supervisor: info.supervisor.displayName,
        date: formatDateTime(info.at, locale, timeZone),
        template: pick(info.tpl.name, locale),
        version: info.version,
      }),
    },
    {
      kind: 'fields',
      fields: [
        { label: t(locale, 'summary.overall'), value: formatScore(info.scores.overall, locale) },
        ...info.scores.dimensions.map((d) => ({
          label: lit(
            pick(
              info.tpl.dimensions.find((x) => x.key === d.dimensionKey)?.name ?? {
                'zh-CN': d.dimensionKey,
                en: d.dimensionKey,
              },
              locale,
            ),
          ),
          value: formatScore(d.score, locale),
        })),
      ],
    },
    { kind: 'divider' },
  ];
  if (info.findings.length === 0) blocks.push({ kind: 'text', text: t(locale, 'summary.noFindings') });
  else {
    const lines = info.findings.slice(0, MAX_LINES).map((f) => {
      const it = itemText(info.tpl, f.dimensionKey, f.itemKey, locale);
      return (
        '- ' +
        t(locale, 'summary.findingLine', {
          id: f.id,
          severity: t(locale, `severity.${f.severity}`),
          dimension: it.dimension,
          item: truncate(it.item, 60),
          description: truncate(f.description, 200),
          owner: ownerName(f.responsibleMemberId),
        })
      );
    });
    if (info.findings.length > MAX_LINES)
      lines.push(t(locale, 'findings.more', { n: info.findings.length - MAX_LINES }));
    blocks.push({
      kind: 'text',
      text: `*${t(locale, 'summary.findingsTitle', { n: info.findings.length })}*\n${lines.join('\n')}`,
    });
  }
  return {
    text: `${title}: ${t(locale, 'summary.overall')} ${formatScore(info.scores.overall, locale)}`,
    tone: info.findings.length ? 'warning' : 'success',
    blocks,
  };
}
