import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_CONFIG as CFG, validateEvaluationConfig } from '../../../src/core/evaluations/criteria.js';
import {
  EvaluationError,
  type ExplanationLine,
  gradeFor,
  scoreEvaluation,
} from '../../../src/core/evaluations/scoring.js';

// Keys of the default configuration, in order.
const RESULTS = ['targets', 'projects', 'satisfaction'];
const ABILITY = ['expertise', 'communication', 'learning', 'problem_solving'];
const ATTITUDE = ['responsibility', 'teamwork', 'initiative', 'discipline'];
const ALL = [...RESULTS, ...ABILITY, ...ATTITUDE];
const PEER_ASKED = ['communication', 'problem_solving', 'responsibility', 'teamwork', 'initiative'];
const uniform = (keys: string[], score: number) => ({ scores: Object.fromEntries(keys.map((k) => [k, score])) });
const scoresOf = (values: number[]) => ({ scores: Object.fromEntries(ALL.map((k, i) => [k, values[i]!])) });

const criterionLine = (lines: ExplanationLine[], key: string) =>
  lines.find((l) => l.kind === 'criterion' && l.criterionKey === key);

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EvaluationError) return e.code;
    throw e;
  }
  return 'no error';
};

// Monthly, self 30% / supervisor 70%. Answers on 1-5 become answer × 20.
//                 targets projects satisf. | expert. comm. learn. problem | resp. team init. discipl.
const SELF = scoresOf([4, 4, 5, /*|*/ 4, 4, 5, 4, /*|*/ 5, 5, 4, 5]);
const BOSS = scoresOf([3, 4, 4, /*|*/ 3, 4, 4, 3, /*|*/ 4, 4, 3, 5]);

describe('scoring an evaluation', () => {
  it('monthly, self and supervisor: worked example', () => {
    // targets      0.3 × 80  + 0.7 × 60  = 66.0
    // projects     0.3 × 80  + 0.7 × 80  = 80.0
    // satisfaction 0.3 × 100 + 0.7 × 80  = 86.0
    //   results  = 0.34 × 66 + 0.33 × 80 + 0.33 × 86 = 22.44 + 26.4 + 28.38 = 77.22 → 77.2
    // expertise 66.0, communication 80.0, learning 86.0, problem solving 66.0
    //   ability  = (66 + 80 + 86 + 66) / 4 = 74.5
    // responsibility 86.0, teamwork 86.0, initiative 66.0, discipline 100.0
    //   attitude = (86 + 86 + 66 + 100) / 4 = 84.5
    // overall = 0.6 × 77.2 + 0.3 × 74.5 + 0.1 × 84.5 = 46.32 + 22.35 + 8.45 = 77.12 → 77.1, grade B
    const r = scoreEvaluation(CFG, 'monthly', { self: [SELF], supervisor: [BOSS] });
    expect(r.criteria.map((c) => c.score)).toEqual([66, 80, 86, 66, 80, 86, 66, 86, 86, 66, 100]);
    expect(r.dimensions).toEqual([
      { dimensionKey: 'results', weight: 60, criteriaScore: 77.2, adjustment: null, score: 77.2 },
      { dimensionKey: 'ability', weight: 30, criteriaScore: 74.5, adjustment: null, score: 74.5 },
      { dimensionKey: 'attitude', weight: 10, criteriaScore: 84.5, adjustment: null, score: 84.5 },
    ]);
    expect(r.overall).toBe(77.1);
    expect(r.grade.label).toBe('B');
    expect(r.explanation[0]).toEqual({
      kind: 'raters',
      cycle: 'monthly',
      configured: { self: 30, supervisor: 70 },
      used: { self: 30, supervisor: 70 },
      missing: [],
      counts: { self: 1, supervisor: 1 },
    });
    expect(criterionLine(r.explanation, 'targets')).toEqual({
      kind: 'criterion',
      dimensionKey: 'results',
      criterionKey: 'targets',
      weight: 34,
      parts: [
        { kind: 'self', raters: 1, mean: 4, score: 80, weight: 30 },
        { kind: 'supervisor', raters: 1, mean: 3, score: 60, weight: 70 },
      ],
      score: 66,
    });
    expect(r.explanation.map((l) => l.kind)).toEqual([
      'raters',
      ...RESULTS.map(() => 'criterion'),
      'dimension',
      ...ABILITY.map(() => 'criterion'),
      'dimension',
      ...ATTITUDE.map(() => 'criterion'),
      'dimension',
      'overall',
      'grade',
    ]);
    expect(r.explanation.at(-2)).toEqual({
      kind: 'overall',
      parts: [
        { dimensionKey: 'results', weight: 60, score: 77.2 },
        { dimensionKey: 'ability', weight: 30, score: 74.5 },
        { dimensionKey: 'attitude', weight: 10, score: 84.5 },
      ],
      score: 77.1,
    });
    expect(r.explanation.at(-1)).toEqual({ kind: 'grade', label: 'B', min: 70, score: 77.1 });
  });

  // Annual: self 20, supervisor 50, peer 15, customer 15. Self answers 5 (100) everywhere, the supervisor 4
  // (80); two peers answer 3 and 4 on what they are asked (average 3.5 → 70); one customer answers
  // satisfaction 2 (40) and communication 4 (80).
  const annual = {
    self: [uniform(ALL, 5)],
    supervisor: [uniform(ALL, 4)],
    peer: [uniform(PEER_ASKED, 3), uniform(PEER_ASKED, 4)],
    customer: [{ scores: { satisfaction: 2, communication: 4 } }],
  };

  it('annual, all four rater kinds, peers averaged: worked example', () => {
    // Self and supervisor only (20 + 50 = 70): (20 × 100 + 50 × 80) / 70 = 85.71 → 85.7
    //   targets, projects, expertise, learning, discipline
    // satisfaction, with customers (85): (2000 + 4000 + 15 × 40) / 85 = 6600 / 85 = 77.65 → 77.6
    // communication, everyone (100): (2000 + 4000 + 15 × 70 + 15 × 80) / 100 = 82.5
    // with peers (85): (2000 + 4000 + 15 × 70) / 85 = 7050 / 85 = 82.94 → 82.9
    //   problem solving, responsibility, teamwork, initiative
    // results  = 0.34 × 85.7 + 0.33 × 85.7 + 0.33 × 77.6 = 29.138 + 28.281 + 25.608 = 83.027 → 83.0
    // ability  = (85.7 + 82.5 + 85.7 + 82.9) / 4 = 84.2
    // attitude = (82.9 × 3 + 85.7) / 4 = 83.6
    // overall  = 0.6 × 83.0 + 0.3 × 84.2 + 0.1 × 83.6 = 49.8 + 25.26 + 8.36 = 83.42 → 83.4, grade A
    const r = scoreEvaluation(CFG, 'annual', annual);
    expect(r.criteria.map((c) => c.score)).toEqual([85.7, 85.7, 77.6, 85.7, 82.5, 85.7, 82.9, 82.9, 82.9, 82.9, 85.7]);
    expect(r.dimensions.map((d) => d.score)).toEqual([83, 84.2, 83.6]);
    expect(r.overall).toBe(83.4);
    expect(r.grade.label).toBe('A');
    expect(r.explanation[0]).toMatchObject({ missing: [], counts: { self: 1, supervisor: 1, peer: 2, customer: 1 } });
    expect(criterionLine(r.explanation, 'communication')).toMatchObject({
      parts: [
        { kind: 'self', raters: 1, mean: 5, score: 100, weight: 20 },
        { kind: 'supervisor', raters: 1, mean: 4, score: 80, weight: 50 },
        { kind: 'peer', raters: 2, mean: 3.5, score: 70, weight: 15 },
        { kind: 'customer', raters: 1, mean: 4, score: 80, weight: 15 },
      ],
      score: 82.5,
    });
    // The weights shown for a criterion some kinds are not asked about are the spread ones: 20/85, 50/85, 15/85.
    expect(criterionLine(r.explanation, 'satisfaction')).toMatchObject({
      parts: [{ weight: 23.5 }, { weight: 58.8 }, { kind: 'customer', weight: 17.6 }],
      score: 77.6,
    });
  });

  it('annual without customers spreads their weight over the others in proportion', () => {
    // satisfaction: self and supervisor only → 85.7; communication: self, supervisor, peers → 82.9
    // results  = 85.7
    // ability  = (85.7 + 82.9 + 85.7 + 82.9) / 4 = 84.3
    // attitude = 83.6 (unchanged)
    // overall  = 0.6 × 85.7 + 0.3 × 84.3 + 0.1 × 83.6 = 51.42 + 25.29 + 8.36 = 85.07 → 85.1
    const r = scoreEvaluation(CFG, 'annual', { ...annual, customer: [] });
    expect(r.dimensions.map((d) => d.score)).toEqual([85.7, 84.3, 83.6]);
    expect(r.overall).toBe(85.1);
    // 20 / 85 = 23.5%, 50 / 85 = 58.8%, 15 / 85 = 17.6%
    expect(r.explanation[0]).toEqual({
      kind: 'raters',
      cycle: 'annual',
      configured: { self: 20, supervisor: 50, peer: 15, customer: 15 },
      used: { self: 23.5, supervisor: 58.8, peer: 17.6 },
      missing: ['customer'],
      counts: { self: 1, supervisor: 1, peer: 2, customer: 0 },
    });
  });

  const single = validateEvaluationConfig({
    key: 'single',
    name: { 'zh-CN': '单项', en: 'Single' },
    dimensions: [
      {
        key: 'work',
        name: { 'zh-CN': '工作', en: 'Work' },
        weight: 100,
        criteria: [{ key: 'quality', text: { 'zh-CN': '质量', en: 'Quality' }, weight: 100 }],
      },
    ],
    grades: CFG.grades,
  });

  it('averages several peers within their kind before weighting kinds', () => {
    // peers 5, 4, 2 → 11 / 3 = 3.67 → 73.3; self 4 → 80; supervisor 3 → 60; no customers (85 left)
    // (20 × 80 + 50 × 60 + 15 × 73.3) / 85 = (1600 + 3000 + 1099.5) / 85 = 67.05 → 67.1, grade C
    const r = scoreEvaluation(single, 'annual', {
      self: [{ scores: { quality: 4 } }],
      supervisor: [{ scores: { quality: 3 } }],
      peer: [{ scores: { quality: 5 } }, { scores: { quality: 4 } }, { scores: { quality: 2 } }],
    });
    expect(criterionLine(r.explanation, 'quality')).toMatchObject({
      parts: [{ score: 80 }, { score: 60 }, { kind: 'peer', raters: 3, mean: 3.67, score: 73.3 }],
      score: 67.1,
    });
    expect(r.overall).toBe(67.1);
    expect(r.grade.label).toBe('C');
  });

  it('leaves a rater who skipped a criterion out of that criterion only', () => {
    // One peer says "cannot judge": the other two average (5 + 2) / 2 = 3.5 → 70.
    const r = scoreEvaluation(single, 'annual', {
      supervisor: [{ scores: { quality: 3 } }],
      peer: [{ scores: {} }, { scores: { quality: 5 } }, { scores: { quality: 2 } }],
    });
    // (50 × 60 + 15 × 70) / 65 = 4050 / 65 = 62.31 → 62.3
    expect(criterionLine(r.explanation, 'quality')).toMatchObject({
      parts: [
        { kind: 'supervisor', weight: 76.9 },
        { kind: 'peer', raters: 2, score: 70, weight: 23.1 },
      ],
      score: 62.3,
    });
    expect(r.explanation[0]).toMatchObject({ missing: ['self', 'customer'], counts: { peer: 3 } });
  });

  it('a monthly evaluation with the supervisor alone gives the supervisor the whole weight', () => {
    const r = scoreEvaluation(CFG, 'monthly', { supervisor: [BOSS] });
    expect(r.explanation[0]).toMatchObject({ used: { supervisor: 100 }, missing: ['self'] });
    // targets 60, projects 80, satisfaction 80 → 0.34 × 60 + 0.33 × 80 + 0.33 × 80 = 73.2
    expect(r.dimensions[0]!.score).toBe(73.2);
  });

  it('ignores the submissions of a rater kind whose weight is 0', () => {
    const cfg = validateEvaluationConfig({
      ...single,
      raterWeights: { ...single.raterWeights, monthly: { self: 0, supervisor: 100 } },
    });
    const r = scoreEvaluation(cfg, 'monthly', {
      self: [{ scores: { quality: 5 } }],
      supervisor: [{ scores: { quality: 2 } }],
    });
    expect(r.overall).toBe(40);
    expect(r.explanation[0]).toMatchObject({
      used: { supervisor: 100 },
      missing: [],
      counts: { self: 1, supervisor: 1 },
    });
    expect(codeOf(() => scoreEvaluation(cfg, 'monthly', { self: [{ scores: { quality: 5 } }] }))).toBe('no-raters');
  });

  it('refuses with a typed error what cannot be scored', () => {
    expect(codeOf(() => scoreEvaluation(CFG, 'monthly', {}))).toBe('no-raters');
    expect(codeOf(() => scoreEvaluation(CFG, 'annual', { self: [], peer: [] }))).toBe('no-raters');
    expect(codeOf(() => scoreEvaluation(CFG, 'monthly', { self: [SELF], peer: [uniform(['teamwork'], 4)] }))).toBe(
      'rater-not-in-cycle',
    );
    expect(codeOf(() => scoreEvaluation(CFG, 'monthly', { self: [{ scores: { ...SELF.scores, charm: 5 } }] }))).toBe(
      'unknown-criterion',
    );
    expect(codeOf(() => scoreEvaluation(CFG, 'annual', { self: [SELF], peer: [uniform(['targets'], 4)] }))).toBe(
      'not-asked',
    );
    for (const bad of [0, 6, 3.5, Number.NaN])
      expect(
        codeOf(() => scoreEvaluation(CFG, 'monthly', { self: [{ scores: { ...SELF.scores, targets: bad } }] })),
      ).toBe('invalid-score');
    const { discipline: _, ...noDiscipline } = SELF.scores;
    expect(codeOf(() => scoreEvaluation(CFG, 'monthly', { self: [{ scores: noDiscipline }] }))).toBe(
      'unscored-criterion',
    );
    const error = (() => {
      try {
        scoreEvaluation(CFG, 'annual', { self: [SELF], peer: [uniform(['targets'], 4)] });
      } catch (e) {
        return e as EvaluationError;
      }
    })();
    expect(error).toBeInstanceOf(EvaluationError);
    expect(error?.detail).toEqual({ raterKind: 'peer', index: 0, criterionKey: 'targets' });
    expect(error?.message).toBe('peer[0]: peer raters are not asked about targets');
  });

  it('maps answers linearly: all 5 is 100 (S), all 3 is 60 (C), all 1 is 20 (D)', () => {
    for (const [answer, overall, grade] of [
      [5, 100, 'S'],
      [4, 80, 'A'],
      [3, 60, 'C'],
      [1, 20, 'D'],
    ] as const) {
      const r = scoreEvaluation(CFG, 'monthly', { self: [uniform(ALL, answer)], supervisor: [uniform(ALL, answer)] });
      expect([r.overall, r.grade.label]).toEqual([overall, grade]);
    }
  });

  it('grades at the boundaries: a grade starts at its min', () => {
    const table: Array<[number, string]> = [
      [100, 'S'],
      [90, 'S'],
      [89.9, 'A'],
      [80, 'A'],
      [79.9, 'B'],
      [70, 'B'],
      [69.9, 'C'],
      [60, 'C'],
      [59.9, 'D'],
      [0, 'D'],
    ];
    for (const [score, label] of table) expect([score, gradeFor(CFG, score).label]).toEqual([score, label]);
  });

  it('is deterministic and does not touch its inputs', () => {
    const input = structuredClone(annual);
    const a = scoreEvaluation(CFG, 'annual', input);
    expect(scoreEvaluation(CFG, 'annual', input)).toEqual(a);
    expect(input).toEqual(annual);
  });
});
