import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG as CFG } from '../../../src/core/evaluations/criteria.js';
import { scoreEvaluation } from '../../../src/core/evaluations/scoring.js';
import {
  type FindingFact,
  type SupervisionRecord,
  supervisionPoints,
} from '../../../src/core/evaluations/supervision.js';

const RULES = CFG.supervision!;
const d = (iso: string) => new Date(`${iso}T10:00:00Z`);
// The November 2026 cycle.
const period = { periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z') };
const finding = (f: Partial<FindingFact> & Pick<FindingFact, 'id'>): FindingFact => ({
  severity: 'medium',
  status: 'open',
  createdAt: d('2026-11-02'),
  deadline: null,
  closedAt: null,
  rejectionCount: 0,
  ...f,
});

// Default rules: critical -3, high -2, medium -1, low 0; accepted on time +1, late 0; open past the deadline
// -2; per failed acceptance check -1; inspected and nothing found +2; the sum kept within -15 … +10.
const NOVEMBER: SupervisionRecord = {
  ...period,
  inspections: 2,
  findings: [
    // recorded critical -3; still open past its deadline at the end of November -2
    finding({ id: 1, severity: 'critical', createdAt: d('2026-11-03'), deadline: d('2026-11-20') }),
    // recorded high -2; accepted before its deadline +1; rejected once -1
    finding({
      id: 2,
      severity: 'high',
      createdAt: d('2026-11-05'),
      status: 'accepted',
      deadline: d('2026-11-18'),
      closedAt: d('2026-11-15'),
      rejectionCount: 1,
    }),
    // recorded in October: no severity points now; accepted late (0 points, no line); rejected twice -2
    finding({
      id: 3,
      createdAt: d('2026-10-20'),
      status: 'accepted',
      deadline: d('2026-11-05'),
      closedAt: d('2026-11-10'),
      rejectionCount: 2,
    }),
    // recorded low (0 points, no line); its deadline is in December: nothing else
    finding({ id: 4, severity: 'low', createdAt: d('2026-11-25'), status: 'in_progress', deadline: d('2026-12-05') }),
    // recorded medium -1; accepted only on 3 December, so open past its deadline at the end of November -2
    finding({
      id: 5,
      createdAt: d('2026-11-02'),
      status: 'accepted',
      deadline: d('2026-11-28'),
      closedAt: d('2026-12-03'),
    }),
    // closed in October: not part of November
    finding({
      id: 6,
      severity: 'high',
      createdAt: d('2026-10-01'),
      status: 'accepted',
      deadline: d('2026-10-25'),
      closedAt: d('2026-10-20'),
    }),
  ],
};

describe('supervision points', () => {
  it('explains each rule as count × points with the findings it counted', () => {
    const { lines, total } = supervisionPoints(RULES, NOVEMBER);
    const base = { kind: 'supervision-rule', dimensionKey: 'results' };
    expect(lines).toEqual([
      { ...base, rule: 'severity', severity: 'critical', count: 1, pointsEach: -3, points: -3, findingIds: [1] },
      { ...base, rule: 'severity', severity: 'high', count: 1, pointsEach: -2, points: -2, findingIds: [2] },
      { ...base, rule: 'severity', severity: 'medium', count: 1, pointsEach: -1, points: -1, findingIds: [5] },
      { ...base, rule: 'acceptedOnTime', count: 1, pointsEach: 1, points: 1, findingIds: [2] },
      { ...base, rule: 'openOverdue', count: 2, pointsEach: -2, points: -4, findingIds: [1, 5] },
      { ...base, rule: 'rejection', count: 3, pointsEach: -1, points: -3, findingIds: [2, 3] },
    ]);
    // -3 - 2 - 1 + 1 - 4 - 3 = -12, within the cap
    expect(total).toEqual({
      kind: 'supervision-total',
      dimensionKey: 'results',
      inspections: 2,
      raw: -12,
      points: -12,
      capped: false,
      cap: { min: -15, max: 10 },
    });
  });

  it('caps the deduction and the bonus', () => {
    // Four critical findings open past their deadline: 4 × -3 + 4 × -2 = -20 → -15
    const bad = supervisionPoints(RULES, {
      ...period,
      inspections: 1,
      findings: [1, 2, 3, 4].map((id) => finding({ id, severity: 'critical', deadline: d('2026-11-10') })),
    });
    expect(bad.total).toMatchObject({ raw: -20, points: -15, capped: true });
    // Twelve October findings all accepted on time in November: 12 × +1 = +12 → +10
    const good = supervisionPoints(RULES, {
      ...period,
      inspections: 0,
      findings: Array.from({ length: 12 }, (_, i) =>
        finding({
          id: i + 1,
          createdAt: d('2026-10-15'),
          status: 'accepted',
          deadline: d('2026-11-30'),
          closedAt: d('2026-11-20'),
        }),
      ),
    });
    expect(good.total).toMatchObject({ raw: 12, points: 10, capped: true });
  });

  it('rewards a clean inspection once, and not a month without inspections', () => {
    expect(supervisionPoints(RULES, { ...period, inspections: 3, findings: [] })).toEqual({
      lines: [
        {
          kind: 'supervision-rule',
          dimensionKey: 'results',
          rule: 'cleanInspections',
          count: 1,
          pointsEach: 2,
          points: 2,
          findingIds: [],
        },
      ],
      total: expect.objectContaining({ raw: 2, points: 2, inspections: 3 }),
    });
    expect(supervisionPoints(RULES, { ...period, inspections: 0, findings: [] }).lines).toEqual([]);
  });

  it('counts a finding accepted exactly at its deadline as on time, and one without a deadline as well', () => {
    const { lines } = supervisionPoints(
      { ...RULES, perFindingAcceptedLate: -1 },
      {
        ...period,
        inspections: 0,
        findings: [
          finding({
            id: 1,
            createdAt: d('2026-10-01'),
            status: 'accepted',
            deadline: d('2026-11-10'),
            closedAt: d('2026-11-10'),
          }),
          finding({ id: 2, createdAt: d('2026-10-01'), status: 'accepted', closedAt: d('2026-11-10') }),
          finding({
            id: 3,
            createdAt: d('2026-10-01'),
            status: 'accepted',
            deadline: d('2026-11-10'),
            closedAt: new Date('2026-11-10T10:00:01Z'),
          }),
        ],
      },
    );
    expect(lines.map((l) => [l.rule, l.findingIds])).toEqual([
      ['acceptedOnTime', [1, 2]],
      ['acceptedLate', [3]],
    ]);
  });

  it('moves the results dimension and the overall score, and explains it in order', () => {
    // Monthly: self answers 4 everywhere (80), the supervisor 3 (60): every criterion 0.3 × 80 + 0.7 × 60 = 66.0
    // results 66.0 - 12 = 54.0; overall 0.6 × 54 + 0.3 × 66 + 0.1 × 66 = 32.4 + 19.8 + 6.6 = 58.8 → D (C without it)
    const all = CFG.dimensions.flatMap((x) => x.criteria.map((c) => c.key));
    const subs = {
      self: [{ scores: Object.fromEntries(all.map((k) => [k, 4])) }],
      supervisor: [{ scores: Object.fromEntries(all.map((k) => [k, 3])) }],
    };
    expect(scoreEvaluation(CFG, 'monthly', subs).grade.label).toBe('C');
    const r = scoreEvaluation(CFG, 'monthly', subs, NOVEMBER);
    expect(r.dimensions[0]).toEqual({
      dimensionKey: 'results',
      weight: 60,
      criteriaScore: 66,
      adjustment: -12,
      score: 54,
    });
    expect(r.dimensions[1]).toMatchObject({ adjustment: null, score: 66 });
    expect(r.overall).toBe(58.8);
    expect(r.grade.label).toBe('D');
    expect(r.explanation.map((l) => l.kind).slice(0, 13)).toEqual([
      'raters',
      'criterion',
      'criterion',
      'criterion',
      'supervision-rule',
      'supervision-rule',
      'supervision-rule',
      'supervision-rule',
      'supervision-rule',
      'supervision-rule',
      'supervision-total',
      'dimension',
      'criterion',
    ]);
    expect(r.explanation[11]).toEqual({
      kind: 'dimension',
      dimensionKey: 'results',
      weight: 60,
      criteriaScore: 66,
      adjustment: -12,
      score: 54,
      clamped: false,
    });
  });

  it('keeps the adjusted dimension within 0-100 and says so', () => {
    // All 5: results 100 + 2 (a clean inspection) = 102 → 100
    const all = CFG.dimensions.flatMap((x) => x.criteria.map((c) => c.key));
    const r = scoreEvaluation(
      CFG,
      'monthly',
      { supervisor: [{ scores: Object.fromEntries(all.map((k) => [k, 5])) }] },
      { ...period, inspections: 1, findings: [] },
    );
    expect(r.explanation.find((l) => l.kind === 'dimension')).toMatchObject({
      criteriaScore: 100,
      adjustment: 2,
      score: 100,
      clamped: true,
    });
    expect(r.overall).toBe(100);
  });

  it('without a supervision block in the configuration the record changes nothing', () => {
    const { supervision: _, ...noRules } = CFG;
    const all = CFG.dimensions.flatMap((x) => x.criteria.map((c) => c.key));
    const r = scoreEvaluation(
      noRules,
      'monthly',
      { supervisor: [{ scores: Object.fromEntries(all.map((k) => [k, 3])) }] },
      NOVEMBER,
    );
    expect(r.dimensions[0]).toMatchObject({ adjustment: null, score: 60 });
    expect(r.explanation.some((l) => l.kind.startsWith('supervision'))).toBe(false);
  });
});

describe('supervision points judged at the scoring time (min(asOf, periodEnd))', () => {
  // Scored on 18 November 10:00 Shanghai, mid-period.
  const asOf = new Date('2026-11-18T02:00:00Z');
  const MID: SupervisionRecord = {
    ...period,
    asOf,
    zone: 'Asia/Shanghai',
    inspections: 1,
    findings: [
      // Due on 25 November, after the scoring time: open, but not overdue (only its severity counts, -1).
      finding({ id: 7, createdAt: d('2026-11-02'), deadline: d('2026-11-25') }),
      // Due on 10 November and still open when scored: overdue, -2 (and -1 for its severity).
      finding({ id: 8, createdAt: d('2026-11-03'), deadline: d('2026-11-10') }),
      // Recorded after the scoring time: does not count at all yet.
      finding({ id: 9, severity: 'critical', createdAt: d('2026-11-20'), deadline: d('2026-11-22') }),
    ],
  };

  it('counts as overdue only deadlines before the scoring time, and only findings recorded by then', () => {
    const { lines, total } = supervisionPoints(RULES, MID);
    expect(lines).toEqual([
      {
        kind: 'supervision-rule',
        dimensionKey: 'results',
        rule: 'severity',
        severity: 'medium',
        count: 2,
        pointsEach: -1,
        points: -2,
        findingIds: [7, 8],
      },
      {
        kind: 'supervision-rule',
        dimensionKey: 'results',
        rule: 'openOverdue',
        count: 1,
        pointsEach: -2,
        points: -2,
        findingIds: [8],
        asOfDate: '2026-11-18',
      },
    ]);
    expect(total).toMatchObject({ raw: -4, points: -4 });
    // Without asOf (or scored after the period) it is judged at periodEnd, as before: every deadline in November is past.
    const atEnd = supervisionPoints(RULES, { ...MID, asOf: new Date('2026-12-05T00:00:00Z') });
    expect(atEnd.lines.find((l) => l.rule === 'openOverdue')).toEqual({
      kind: 'supervision-rule',
      dimensionKey: 'results',
      rule: 'openOverdue',
      count: 3,
      pointsEach: -2,
      points: -6,
      findingIds: [7, 8, 9],
    });
  });

  it('says in the explanation when the overdue findings were judged', async () => {
    const { evaluationResultMessage } = await import('../../../src/core/evaluations/views.js');
    const all = (answer: number, rater: 'self' | 'supervisor') =>
      Object.fromEntries(
        CFG.dimensions.flatMap((x) => x.criteria.filter((c) => c.raters.includes(rater)).map((c) => [c.key, answer])),
      );
    const result = scoreEvaluation(
      CFG,
      'monthly',
      { self: [{ scores: all(4, 'self') }], supervisor: [{ scores: all(4, 'supervisor') }] },
      MID,
    );
    const text = (l: 'en' | 'zh-CN') =>
      JSON.stringify(evaluationResultMessage(CFG, result, { memberName: 'Li', period: '2026-11' }, l));
    expect(text('en')).toContain(
      'Findings past their deadline and not accepted when scored (2026-11-18): 1 × -2 = -2 (#8)',
    );
    expect(text('zh-CN')).toContain('评分时（2026-11-18）已逾期仍未验收的问题：1 × -2 = -2（#8）');
    expect(text('en')).not.toContain('at the end of the cycle');
  });
});
