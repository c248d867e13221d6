import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG } from '../../../src/core/evaluations/criteria.js';
import { summaryCsv } from '../../../src/core/evaluations/export.js';
import {
  computeCycleSummary,
  cycleRefOf,
  cycleSummaryMessage,
  type SummaryParticipant,
  scoresFromStoredResult,
} from '../../../src/core/evaluations/summary.js';
import { monthPeriod, uniformResult } from '../../support/evaluation-seed.js';

const cycle = { id: 3, kind: 'monthly' as const, name: '2026-11', ...monthPeriod(2026, 11), status: 'open' };
let nextId = 1;
const person = (name: string, overall: number | null, o: Partial<SummaryParticipant> = {}): SummaryParticipant => ({
  participantId: nextId,
  memberId: nextId++,
  memberName: name,
  departmentId: 1,
  departmentName: '门店A',
  stage: overall === null ? 'self' : 'done',
  overallScore: overall,
  grade: overall === null ? null : overall >= 60 ? 'C' : 'D',
  dimensions: {},
  supervisionPoints: null,
  ...o,
});

describe('cycle summary', () => {
  it('places a cycle in its month whatever the time zone of its period', () => {
    expect(cycleRefOf('monthly', ...(Object.values(monthPeriod(2026, 1)) as [Date, Date]))).toEqual({
      kind: 'monthly',
      year: 2026,
      month: 1,
    });
    expect(cycleRefOf('monthly', new Date('2026-03-01T05:00:00Z'), new Date('2026-04-01T04:00:00Z'))).toEqual({
      kind: 'monthly',
      year: 2026,
      month: 3,
    });
    expect(cycleRefOf('annual', new Date('2025-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z'))).toEqual({
      kind: 'annual',
      year: 2026,
    });
  });

  it('counts buckets (100 in the last), grades, mean and median, and flags only streaks that end with this cycle', () => {
    const a = person('A', 100);
    const b = person('B', 55);
    const c = person('C', 59.9);
    const d = person('D', null);
    const e = person('E', 90, { departmentId: null, departmentName: null });
    const s = computeCycleSummary({
      cycle,
      config: DEFAULT_EVALUATION_CONFIG,
      participants: [a, b, c, d, e],
      history: [
        { memberId: b.memberId, cycle: { kind: 'monthly', year: 2026, month: 10 }, overall: 40 },
        // C failed in September, not October: a gap breaks the streak.
        { memberId: c.memberId, cycle: { kind: 'monthly', year: 2026, month: 9 }, overall: 40 },
        // D has no score this cycle: nothing to judge yet.
        { memberId: d.memberId, cycle: { kind: 'monthly', year: 2026, month: 10 }, overall: 30 },
        // Other kinds and later cycles are ignored.
        { memberId: a.memberId, cycle: { kind: 'annual', year: 2025 }, overall: 10 },
        { memberId: c.memberId, cycle: { kind: 'monthly', year: 2026, month: 12 }, overall: 10 },
      ],
    });
    expect(s.buckets[9]).toEqual({ from: 90, to: 100, count: 2 });
    expect(s.buckets[5]!.count).toBe(2);
    expect(s.grades.find((g) => g.label === 'D')!.count).toBe(2);
    expect(s.mean).toBe(76.2); // 304.9 / 4
    expect(s.median).toBe(75); // (59.9 + 90) / 2, one decimal
    expect(s.flagged.map((m) => m.memberName)).toEqual(['B']);
    expect(s.flagged[0]!.review).toMatchObject({ streak: 2, cycles: [{ month: 10 }, { month: 11 }] });
    expect(s.byDepartment.map((x) => [x.name, x.total, x.done])).toEqual([
      ['门店A', 4, 3],
      [null, 1, 1],
    ]);
    expect(s.byStage).toMatchObject({ self: 1, done: 4 });
    const view = cycleSummaryMessage(s, DEFAULT_EVALUATION_CONFIG, 'en');
    expect(view.tone).toBe('warning');
    expect(view.blocks.every((bl) => bl.kind !== 'text' || bl.text.length < 3000)).toBe(true);
  });

  it('keeps the chat message short for a large org and reads stored results leniently', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      person(`P${i}`, 30, { departmentId: i, departmentName: `Dept ${i}` }),
    );
    const s = computeCycleSummary({
      cycle,
      config: DEFAULT_EVALUATION_CONFIG,
      participants: many,
      history: many.map((p) => ({
        memberId: p.memberId,
        cycle: { kind: 'monthly', year: 2026, month: 10 },
        overall: 20,
      })),
    });
    expect(s.flagged).toHaveLength(400);
    const view = cycleSummaryMessage(s, DEFAULT_EVALUATION_CONFIG, 'zh-CN');
    for (const bl of view.blocks) if (bl.kind === 'text') expect(bl.text.length).toBeLessThan(3000);
    expect(JSON.stringify(view)).toContain('另有 380 项（见导出文件）');
    expect(summaryCsv(s, DEFAULT_EVALUATION_CONFIG, 'en').toString('utf8').split('\r\n')).toHaveLength(402);

    expect(scoresFromStoredResult('not json')).toEqual({ dimensions: {}, supervisionPoints: null });
    expect(scoresFromStoredResult(null)).toEqual({ dimensions: {}, supervisionPoints: null });
    expect(scoresFromStoredResult(JSON.stringify(uniformResult(4)))).toEqual({
      dimensions: { results: 80, ability: 80, attitude: 80 },
      supervisionPoints: null,
    });
  });
});
