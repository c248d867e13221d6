import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG as CFG } from '../../../src/core/evaluations/criteria.js';
import { type CycleOutcome, positionReview } from '../../../src/core/evaluations/position-review.js';

const month = (ym: string, overall: number): CycleOutcome => {
  const [year, m] = ym.split('-').map(Number);
  return { cycle: { kind: 'monthly', year: year!, month: m! }, overall };
};
const year = (y: number, overall: number): CycleOutcome => ({ cycle: { kind: 'annual', year: y }, overall });

describe('position review (below 60 in 2 consecutive cycles by default)', () => {
  it('flags two or more consecutive months below the threshold, ending with the latest', () => {
    const r = positionReview(CFG, 'monthly', [month('2026-11', 59.9), month('2026-09', 55), month('2026-10', 58)]);
    expect(r).toMatchObject({ flagged: true, streak: 3, belowScore: 60, consecutiveCycles: 2 });
    expect(r.cycles.map((c) => c.month)).toEqual([9, 10, 11]);
  });

  it('does not flag a single cycle, a score exactly at the threshold, or a streak the latest cycle ended', () => {
    expect(positionReview(CFG, 'monthly', [month('2026-10', 70), month('2026-11', 50)])).toMatchObject({
      flagged: false,
      streak: 1,
    });
    expect(positionReview(CFG, 'monthly', [month('2026-10', 50), month('2026-11', 60)])).toMatchObject({
      flagged: false,
      streak: 0,
    });
    expect(positionReview(CFG, 'monthly', [])).toMatchObject({ flagged: false, streak: 0, cycles: [] });
  });

  it('counts across a year end, and a month without an evaluation breaks the streak', () => {
    expect(positionReview(CFG, 'monthly', [month('2026-12', 40), month('2027-01', 40)])).toMatchObject({
      flagged: true,
      streak: 2,
    });
    expect(positionReview(CFG, 'monthly', [month('2026-09', 40), month('2026-11', 40)])).toMatchObject({
      flagged: false,
      streak: 1,
    });
  });

  it('keeps monthly and annual cycles apart', () => {
    const history = [month('2026-12', 40), year(2025, 50), year(2026, 55)];
    expect(positionReview(CFG, 'annual', history)).toMatchObject({ flagged: true, streak: 2 });
    expect(positionReview(CFG, 'monthly', history)).toMatchObject({ flagged: false, streak: 1 });
  });

  it('follows the configured rule', () => {
    const strict = { ...CFG, positionReview: { belowScore: 70, consecutiveCycles: 3 } };
    const history = [month('2026-09', 65), month('2026-10', 65), month('2026-11', 65)];
    expect(positionReview(strict, 'monthly', history)).toMatchObject({ flagged: true, streak: 3 });
    expect(positionReview(strict, 'monthly', history.slice(1))).toMatchObject({ flagged: false, streak: 2 });
  });
});
