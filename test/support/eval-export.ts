// What the `eval export` chat tests share: an org with HR in both languages, a monthly cycle seeded through
// Prisma, and the exported files opened again (exceljs, csv-parse) next to the summary's own member table.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { type ExportCell, memberTable } from '../../src/core/evaluations/export.js';
import { computeCycleSummary } from '../../src/core/evaluations/summary.js';
import type { Locale, Member } from '../../src/core/ports.js';
import type { Db } from '../../src/store/database.js';
import { PrismaEvaluationSummaryRepo } from '../../src/store/evaluation-summary-repo.js';
import type { TestDbKind } from './db.js';
import { monthPeriod, seedConfig, seedCycle, seedParticipant } from './evaluation-seed.js';
import { type PersonSpec, STANDARD_ORG } from './org.js';

export const EXPORT_ORG: PersonSpec[] = [
  ...STANDARD_ORG,
  { name: 'Helen HR', slack: 'UHR', feishu: 'ou_hr', role: 'hr', locale: 'en' },
  { name: '人事张', slack: 'UHRZH', feishu: 'ou_hrzh', role: 'hr', locale: 'zh-CN' },
];

export const HEADER_EN = [
  'Name',
  'Department',
  'Stage',
  'Results (60%)',
  'Ability (30%)',
  'Attitude (10%)',
  'Supervision points',
  'Overall score',
  'Grade',
  'Position review',
];
export const HEADER_ZH = [
  '姓名',
  '部门',
  '阶段',
  '工作业绩 (60%)',
  '工作能力 (30%)',
  '工作态度 (10%)',
  '督导积分',
  '综合得分',
  '等级',
  '岗位调整评估',
];

/** The monthly cycle 2026-11: 李员工 done at 80, Bob Staff done at 40, 王经理 waiting for the supervisor. */
export async function seedExportCycle(p: Db, people: Record<string, Member>): Promise<number> {
  const cfg = await seedConfig(p);
  const cycleId = await seedCycle(p, {
    name: '2026-11',
    configVersionId: cfg,
    openedById: people['Helen HR']!.id,
    ...monthPeriod(2026, 11),
  });
  const add = (name: string, o: { answer?: number; stage?: string }) =>
    seedParticipant(p, { cycleId, memberId: people[name]!.id, departmentId: people[name]!.departmentId, ...o });
  await add('李员工', { answer: 4 });
  await add('Bob Staff', { answer: 2 });
  await add('王经理', { stage: 'supervisor' });
  return cycleId;
}

/** The Members table the summary gives (the export's source), for comparing with a file's rows. */
export async function expectedMembers(
  p: Db,
  cycleId: number,
  locale: Locale,
): Promise<{ header: string[]; rows: ExportCell[][] }> {
  const input = await new PrismaEvaluationSummaryRepo(p).summaryInput(cycleId);
  return memberTable(computeCycleSummary(input), input.config, locale);
}

/**
 * The XLSX's sheet names, Members rows (empty cells as null, as in the member table), and from the summary
 * sheet its title and the value of its period row (the sheets are named in the file's language: found by place).
 */
export async function readXlsx(
  bytes: Buffer,
): Promise<{ sheets: string[]; members: unknown[][]; summaryA1: unknown; period: unknown }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const [summary, sheet] = [wb.worksheets[0]!, wb.worksheets[1]!];
  const members: unknown[][] = [];
  sheet.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    members.push(Array.from({ length: sheet.columnCount }, (_, i) => values[i] ?? null));
  });
  let period: unknown = null;
  summary.eachRow((row) => {
    const [label, value] = (row.values as unknown[]).slice(1);
    if ((label === 'Period' || label === '周期') && period === null) period = value;
  });
  return { sheets: wb.worksheets.map((w) => w.name), members, summaryA1: summary.getCell('A1').value, period };
}

/** The CSV's rows (after its byte-order mark), every cell as text. */
export function readCsv(bytes: Buffer): string[][] {
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  return parse(bytes.subarray(3).toString('utf8')) as string[][];
}

/** A member-table row as the CSV writes it: numbers as digits, null as empty. */
export const asCsvRow = (row: ExportCell[]) => row.map((v) => (v === null ? '' : String(v)));

/**
 * The XLSX of the seeded November cycle as HR receives it on either platform: its two sheets, the cycle's own
 * days (it was opened in Shanghai, not the UTC instants it is stored as), and the summary's member table cell by
 * cell. Returns the file and its member rows by name, for what each test checks besides.
 */
export async function expectNovemberXlsx(bytes: Buffer, p: Db, cycleId: number) {
  const xlsx = await readXlsx(bytes);
  expect(xlsx.sheets).toEqual(['Summary', 'Members']);
  expect(xlsx.period).toBe('2026-11-01 – 2026-11-30');
  expect(xlsx.members[0]).toEqual(HEADER_EN);
  expect(xlsx.members.slice(1)).toEqual((await expectedMembers(p, cycleId, 'en')).rows);
  return { xlsx, byName: new Map(xlsx.members.slice(1).map((r) => [r[0], r])) };
}

/** The CSV asked for in Chinese: the Chinese header, then the summary's member table as the CSV writes it. */
export async function expectChineseCsv(bytes: Buffer, p: Db, cycleId: number): Promise<string[][]> {
  const rows = readCsv(bytes);
  expect(rows[0]).toEqual(HEADER_ZH);
  expect(rows.slice(1)).toEqual((await expectedMembers(p, cycleId, 'zh-CN')).rows.map(asCsvRow));
  return rows;
}

/** What an export test needs of a started bot, Slack's or Feishu's. */
interface ExportBot {
  dudao: { db: { prisma: Db } };
  people: Record<string, Member>;
}

/** A bot from `start` with the export org and reminders off, and the November cycle seeded in its database. */
export async function startExportBot<B extends ExportBot>(
  start: (o: { kind: TestDbKind; people: PersonSpec[]; env: Record<string, string> }) => Promise<B>,
  kind: TestDbKind,
): Promise<{ bot: B; cycleId: number }> {
  const bot = await start({ kind, people: EXPORT_ORG, env: { DUDAO_REMINDER_CRON: 'off' } });
  return { bot, cycleId: await seedExportCycle(bot.dudao.db.prisma, bot.people) };
}
