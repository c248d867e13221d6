// `dudao eval summary|export` on a database seeded through Prisma: the summary's figures, and the XLSX and
// CSV files opened again (exceljs, csv-parse) and checked cell by cell.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { DEFAULT_EVALUATION_CONFIG } from '../../src/core/evaluations/criteria.js';
import { scoreEvaluation } from '../../src/core/evaluations/scoring.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';
import { HEADER_EN, HEADER_ZH } from '../support/eval-export.js';
import { monthPeriod, seedConfig, seedCycle, seedParticipant } from '../support/evaluation-seed.js';

describe.each(STORE_BACKENDS)('eval summary and export on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  let cycleId: number;
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(
      args,
      { out: (s) => void (out += s), err: (s) => void (err += s) },
      { DATABASE_URL: db.url },
    );
    return { code, out, err };
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'dudao-eval-export-'));
    const p = db.prisma;
    const storeA = await p.department.create({ data: { name: '门店A' } });
    const north = await p.department.create({ data: { name: 'North, Store' } });
    const m = async (displayName: string, departmentId: number | null) =>
      (await p.member.create({ data: { displayName, departmentId, locale: 'zh-CN', timeZone: 'Asia/Shanghai' } })).id;
    const hr = await m('人事张', null);
    const wang = await m('王小明', storeA.id);
    const ann = await m('Ann "Quote" Lee', north.id);
    const formula = await m('=SUM(1,2)', storeA.id);
    const zhao = await m('赵六', null);
    const li = await m('李四', storeA.id);
    const cfg = await seedConfig(p);
    const cycle = (name: string, month: number) =>
      seedCycle(p, {
        name,
        configVersionId: cfg,
        openedById: hr,
        ...monthPeriod(2026, month),
        status: month < 11 ? 'closed' : 'open',
      });
    const sep = await cycle('2026-09', 9);
    const oct = await cycle('2026-10', 10);
    cycleId = await cycle('2026-11', 11);
    const annual = await seedCycle(p, {
      kind: 'annual',
      name: '2025',
      configVersionId: cfg,
      openedById: hr,
      periodStart: new Date('2024-12-31T16:00:00Z'),
      periodEnd: new Date('2025-12-31T16:00:00Z'),
    });

    // 王小明: 60, 40, 40: below 60 in the last two monthly cycles → flagged. Ann: 40, 80, 40 → not.
    await seedParticipant(p, { cycleId: sep, memberId: wang, departmentId: storeA.id, answer: 3 });
    await seedParticipant(p, { cycleId: oct, memberId: wang, departmentId: storeA.id, answer: 2 });
    await seedParticipant(p, { cycleId: cycleId, memberId: wang, departmentId: storeA.id, answer: 2 });
    await seedParticipant(p, { cycleId: sep, memberId: ann, departmentId: north.id, answer: 2 });
    await seedParticipant(p, { cycleId: oct, memberId: ann, departmentId: north.id, answer: 4 });
    await seedParticipant(p, { cycleId: cycleId, memberId: ann, departmentId: north.id, answer: 2 });
    // An annual fail does not make a monthly streak.
    await seedParticipant(p, { cycleId: annual, memberId: zhao, departmentId: null, answer: 1, result: undefined });
    await seedParticipant(p, { cycleId: oct, memberId: zhao, departmentId: null, answer: 5 });
    await seedParticipant(p, { cycleId: cycleId, memberId: zhao, departmentId: null, answer: 5 });
    // Answers of 4 (80) and a clean inspection of the department: results 80 + 2 = 82, overall 81.2.
    const all4 = (rater: 'self' | 'supervisor') =>
      Object.fromEntries(
        DEFAULT_EVALUATION_CONFIG.dimensions.flatMap((d) =>
          d.criteria.filter((c) => c.raters.includes(rater)).map((c) => [c.key, 4]),
        ),
      );
    const withPoints = scoreEvaluation(
      DEFAULT_EVALUATION_CONFIG,
      'monthly',
      { self: [{ scores: all4('self') }], supervisor: [{ scores: all4('supervisor') }] },
      { ...monthPeriod(2026, 11), inspections: 1, findings: [] },
    );
    await seedParticipant(p, { cycleId: cycleId, memberId: formula, departmentId: storeA.id, result: withPoints });
    await seedParticipant(p, { cycleId: cycleId, memberId: li, departmentId: storeA.id, stage: 'supervisor' });
  });
  afterAll(async () => db.destroy());

  it('prints the summary: completion, mean and median, distribution, grades, and who is flagged for a position review', async () => {
    const zh = await run('eval', 'summary', '2026-11');
    expect(zh.code).toBe(0);
    expect(zh.out).toContain('考核汇总 · 2026-11（月度）');
    expect(zh.out).toContain('参评人数: 5');
    expect(zh.out).toContain('已完成: 4 (80%)');
    expect(zh.out).toContain('平均分: 65.3'); // (40 + 40 + 81.2 + 100) / 4
    expect(zh.out).toContain('中位数: 60.6'); // (40 + 81.2) / 2
    expect(zh.out).toContain('门店A：2/3 已完成（66.7%） · 上级评价 1');
    expect(zh.out).toContain('40-49.9: 2');
    expect(zh.out).toContain('S 卓越 1，A 优秀 1，B 良好 0，C 合格 0，D 待改进 2');
    expect(zh.out).toContain('王小明（门店A）：40.0 分，连续 2 个周期（2026-10，2026-11）');
    expect(zh.out).not.toContain('Ann "Quote" Lee（');
    const en = await run('eval', 'summary', String(cycleId), '--lang', 'en');
    expect(en.out).toContain('Evaluation summary · 2026-11 (monthly)');
    expect(en.out).toContain('(no department): 1/1 done (100%)');
    expect(en.out).toContain('王小明 (门店A): 40.0, 2 cycles in a row (2026-10, 2026-11)');
  });

  it('writes an XLSX with the sheets 汇总 and 成员 (Summary and Members in English), numbers as numbers and Chinese intact', async () => {
    const file = join(dir, 'cycle.xlsx');
    const r = await run('eval', 'export', '2026-11', '--out', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(xlsx, 5 member(s)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '成员']);

    const members = wb.getWorksheet('成员')!;
    const row = (n: number) => (members.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(HEADER_ZH);
    expect(members.rowCount).toBe(6);
    const byName = new Map(Array.from({ length: 5 }, (_, i) => row(i + 2)).map((r) => [r[0], r]));
    expect(byName.get('王小明')).toEqual(['王小明', '门店A', '已完成', 40, 40, 40, undefined, 40, 'D', '是']);
    expect(byName.get('=SUM(1,2)')).toEqual(['=SUM(1,2)', '门店A', '已完成', 82, 80, 80, 2, 81.2, 'A', '否']);
    expect(byName.get('Ann "Quote" Lee')).toEqual([
      'Ann "Quote" Lee',
      'North, Store',
      '已完成',
      40,
      40,
      40,
      undefined,
      40,
      'D',
      '否',
    ]);
    expect(byName.get('李四')).toEqual([
      '李四',
      '门店A',
      '上级评价',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      '',
      '否',
    ]);
    expect(byName.get('赵六')!.slice(0, 3)).toEqual(['赵六', '', '已完成']);
    // A text cell, not a formula; a number cell with one decimal shown.
    const formulaRow = [...byName.keys()].indexOf('=SUM(1,2)') + 2;
    expect(members.getCell(formulaRow, 1).type).toBe(ExcelJS.ValueType.String);
    expect(members.getCell(formulaRow, 8).type).toBe(ExcelJS.ValueType.Number);
    expect(members.getCell(formulaRow, 8).numFmt).toBe('0.0');

    const summary = wb.getWorksheet('汇总')!;
    const cells = new Map<string, unknown>();
    summary.eachRow((r) => {
      const v = (r.values as unknown[]).slice(1);
      if (typeof v[0] === 'string' && !cells.has(v[0])) cells.set(v[0], v[1]);
    });
    expect(summary.getCell('A1').value).toBe('考核汇总 · 2026-11（月度）');
    expect(cells.get('参评人数')).toBe(5);
    expect(cells.get('平均分')).toBe(65.3);
    expect(cells.get('中位数')).toBe(60.6);
    expect(cells.get('D 待改进')).toBe(2);
    expect(cells.get('40-49.9')).toBe(2);
    // The cycle's own days (November in Shanghai), not the UTC instants its bounds are stored as.
    expect(cells.get('周期')).toBe('2026-11-01 – 2026-11-30');
  });

  it('writes English headers on request', async () => {
    const file = join(dir, 'cycle-en.xlsx');
    expect((await run('eval', 'export', '2026-11', '--format', 'xlsx', '--lang', 'en', '--out', file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Members']);
    expect((wb.getWorksheet('Members')!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER_EN);
    expect(wb.getWorksheet('Summary')!.getCell('A1').value).toBe('Evaluation summary · 2026-11 (monthly)');
    expect((wb.getWorksheet('Summary')!.getRow(3).values as unknown[]).slice(1)).toEqual([
      'Period',
      '2026-11-01 – 2026-11-30',
    ]);
    // An annual cycle: its first and last day of the year.
    const annual = join(dir, 'annual-en.xlsx');
    expect((await run('eval', 'export', '2025', '--lang', 'en', '--out', annual)).code).toBe(0);
    await wb.xlsx.load(readFileSync(annual) as unknown as ArrayBuffer);
    expect((wb.getWorksheet('Summary')!.getRow(3).values as unknown[]).slice(1)).toEqual([
      'Period',
      '2025-01-01 – 2025-12-31',
    ]);
  });

  it('writes an RFC 4180 CSV in UTF-8 with a byte-order mark', async () => {
    const file = join(dir, 'cycle.csv');
    expect((await run('eval', 'export', '2026-11', '--out', file)).code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('"Ann ""Quote"" Lee","North, Store"');
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual(HEADER_ZH);
    expect(rows).toHaveLength(6);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byName.get('王小明')).toEqual(['王小明', '门店A', '已完成', '40', '40', '40', '', '40', 'D', '是']);
    expect(byName.get('Ann "Quote" Lee')!.slice(0, 2)).toEqual(['Ann "Quote" Lee', 'North, Store']);
    // A spreadsheet must not run a member's name as a formula.
    expect(byName.get("'=SUM(1,2)")).toEqual([
      "'=SUM(1,2)",
      '门店A',
      '已完成',
      '82',
      '80',
      '80',
      '2',
      '81.2',
      'A',
      '否',
    ]);
    const en = join(dir, 'cycle-en.csv');
    await run('eval', 'export', '2026-11', '--format', 'csv', '--lang', 'en', '--out', en);
    expect((parse(readFileSync(en), { bom: true }) as string[][])[0]).toEqual(HEADER_EN);
  });

  it('explains an unknown cycle, a bad option and a missing --out', async () => {
    expect(await run('eval', 'summary', '2030-01')).toMatchObject({ code: 1, err: 'no evaluation cycle 2030-01\n' });
    expect((await run('eval', 'export', '2026-11', '--format', 'pdf', '--out', join(dir, 'x.pdf'))).err).toContain(
      '--format must be csv or xlsx, not pdf',
    );
    expect(await run('eval', 'summary', '2026-11', '--lang', 'fr')).toMatchObject({
      code: 2,
      err: '--lang must be zh-CN or en, not fr\n',
    });
    expect(await run('eval', 'export', '2026-11')).toMatchObject({
      code: 2,
      err: 'dudao eval export needs --out FILE\n',
    });
    const list = await run('eval', 'list');
    expect(list.out).toMatch(/^ID +KIND +NAME +STATUS +PARTICIPANTS\n/);
    expect(list.out).toMatch(new RegExp(`^${cycleId} +monthly +2026-11 +open +5$`, 'm'));
    expect(JSON.parse((await run('eval', 'list', '--json')).out)).toContainEqual({
      id: cycleId,
      kind: 'monthly',
      name: '2026-11',
      status: 'open',
      participants: 5,
    });
  });
});
