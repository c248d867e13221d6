// The cycle summary as files for HR: CSV (the members table) and XLSX (sheets "Summary" and "Members", 汇总 and
// 成员 in Chinese). Headers follow the locale asked for; numbers stay numbers (XLSX numeric cells; CSV plain
// digits). The period is said as the cycle's own days (its first and last day where it was opened), not in UTC.
import { DateTime } from 'luxon';
import { pick } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { plainText } from '../views/text.js';
import type { EvaluationConfig } from './criteria.js';
import type { CycleRef } from './position-review.js';
import { bucketLabel, type CycleSummary, type SummaryWord, stageLabel, summaryWord } from './summary.js';

export type ExportCell = string | number | null;
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The Members table: a header row, then one row per participant in the summary's order. */
export function memberTable(
  s: CycleSummary,
  config: EvaluationConfig,
  locale: Locale,
): { header: string[]; rows: ExportCell[][] } {
  const w = (k: SummaryWord) => plainText(summaryWord(locale, k));
  const header = [
    w('col.name'),
    w('col.department'),
    w('col.stage'),
    ...config.dimensions.map((d) => `${pick(d.name, locale)} (${d.weight}%)`),
    w('col.supervision'),
    w('col.overall'),
    w('col.grade'),
    w('col.flagged'),
  ];
  const rows = s.members.map((m) => [
    m.memberName,
    m.departmentName ?? '',
    stageLabel(locale, m.stage),
    ...config.dimensions.map((d) => m.dimensions[d.key] ?? null),
    m.supervisionPoints,
    m.overallScore,
    m.grade ?? '',
    m.review?.flagged ? w('yes') : w('no'),
  ]);
  return { header, rows };
}

// ---- CSV (RFC 4180) ----

/**
 * A text cell that a spreadsheet would read as a formula (=, +, -, @, or a control character first) gets a
 * leading apostrophe, so that a member named "=HYPERLINK(…)" stays text. Numbers are written as they are.
 */
function csvField(v: ExportCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${plainText(v)}` : plainText(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark, so that Excel opens Chinese correctly; CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly ExportCell[][]): Buffer {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export function summaryCsv(s: CycleSummary, config: EvaluationConfig, locale: Locale): Buffer {
  const { header, rows } = memberTable(s, config, locale);
  return toCsv(header, rows);
}

// ---- XLSX ----

/** "2026-11-01 – 2026-11-30": the first and the last day (inclusive) of the cycle's month or year. */
export function periodDays(ref: CycleRef): string {
  const start = DateTime.utc(ref.year, ref.kind === 'monthly' ? (ref.month ?? 1) : 1, 1);
  const last = (ref.kind === 'monthly' ? start.plus({ months: 1 }) : start.plus({ years: 1 })).minus({ days: 1 });
  return `${start.toISODate()} – ${last.toISODate()}`;
}

const SCORE_FORMAT = '0.0';

export async function summaryXlsx(
  s: CycleSummary,
  config: EvaluationConfig,
  locale: Locale,
  now: Date = new Date(),
): Promise<Buffer> {
  // A file shows text as it is: no markup, so no literal marks (views/text.ts) either.
  const w: Words = (k, p) => plainText(summaryWord(locale, k, p));
  // Loaded on the first export only: exceljs is about 20 MB of memory a bot that never exports need not hold.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dudao';
  wb.created = now;
  wb.modified = now;

  const summary = wb.addWorksheet(w('sheet.summary'));
  summary.columns = [{ width: 34 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 40 }];
  for (const { heading, header, rows } of summarySections(s, config, locale, w)) {
    summary.addRow([heading]).font = { bold: true };
    summary.addRow(header).font = { bold: true };
    for (const r of rows) summary.addRow(r);
    summary.addRow([]);
  }

  const members = wb.addWorksheet(w('sheet.members'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const { header, rows } = memberTable(s, config, locale);
  members.columns = header.map((_, i) => ({ width: i < 2 ? 18 : 14 }));
  members.addRow(header).font = { bold: true };
  for (const r of rows) members.addRow(r);
  // Scores and points: one decimal, as shown everywhere else.
  for (let c = 4; c <= 3 + config.dimensions.length + 2; c++) members.getColumn(c).numFmt = SCORE_FORMAT;
  members.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Words = (k: SummaryWord, p?: Record<string, string | number>) => string;

/** The Summary sheet's tables, each under its heading. */
function summarySections(
  s: CycleSummary,
  config: EvaluationConfig,
  locale: Locale,
  w: Words,
): Array<{ heading: string; header: string[]; rows: ExportCell[][] }> {
  const status =
    s.cycle.status === 'open' || s.cycle.status === 'closed' ? w(`status.${s.cycle.status}`) : s.cycle.status;
  return [
    {
      heading: w('title', { name: s.cycle.name, kind: w(`kind.${s.cycle.kind}`) }),
      header: [w('item'), w('value')],
      rows: [
        [w('period'), periodDays(s.cycle.ref)],
        [w('status'), status],
        [w('participants'), s.participants],
        [w('done'), s.done],
        [w('scored'), s.scored],
        [w('mean'), s.mean],
        [w('median'), s.median],
        [w('min'), s.min],
        [w('max'), s.max],
        [w('belowScore'), s.belowScore],
        [w('consecutive'), s.consecutiveCycles],
      ],
    },
    {
      heading: w('grades'),
      header: [w('col.grade'), w('count')],
      rows: s.grades.map((g) => {
        const cfg = config.grades.find((x) => x.label === g.label);
        return [cfg ? `${g.label} ${pick(cfg.description, locale)}` : g.label, g.count];
      }),
    },
    {
      heading: w('distribution'),
      header: [w('range'), w('count')],
      rows: s.buckets.map((b) => [bucketLabel(b), b.count]),
    },
    {
      heading: w('byStage'),
      header: [w('col.stage'), w('count')],
      rows: Object.entries(s.byStage).map(([st, n]) => [stageLabel(locale, st), n]),
    },
    {
      heading: w('byDepartment'),
      header: [w('col.department'), w('total'), w('done'), w('pct')],
      rows: s.byDepartment.map((d) => [
        d.name ?? w('noDepartment'),
        d.total,
        d.done,
        d.total ? Math.round((d.done / d.total) * 1000) / 10 : 0,
      ]),
    },
    {
      heading: w('flagged', { below: s.belowScore, n: s.consecutiveCycles, kind: w(`kind.${s.cycle.kind}`) }),
      header: [w('col.name'), w('col.department'), w('col.overall'), w('col.streak')],
      rows: s.flagged.map((m) => [m.memberName, m.departmentName ?? '', m.overallScore, m.review?.streak ?? null]),
    },
  ];
}

export async function exportSummary(
  s: CycleSummary,
  config: EvaluationConfig,
  format: ExportFormat,
  locale: Locale,
  now?: Date,
): Promise<Buffer> {
  return format === 'csv' ? summaryCsv(s, config, locale) : summaryXlsx(s, config, locale, now);
}
