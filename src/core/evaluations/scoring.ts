// Scores one member's evaluation for one cycle. Pure: the same inputs give the same result and explanation.
//
// A 1-5 answer becomes score / 5 × 100 (5 → 100, 3 → 60, 1 → 20), the mapping the inspection checklist
// uses for its 0-5 items, so a default grade boundary reads as an average answer: C (60) = 3 "meets
// expectations". Every number is rounded to one decimal and the next step is computed from the rounded
// number shown, so a reader can check the explanation line by line.
import {
  CYCLE_KINDS,
  type CycleKind,
  type EvaluationConfig,
  type EvaluationCriterion,
  type EvaluationGrade,
  RATERS_BY_CYCLE,
  type RaterKind,
} from './criteria.js';
import {
  round1,
  type SupervisionRecord,
  type SupervisionRuleLine,
  type SupervisionTotalLine,
  supervisionPoints,
} from './supervision.js';

export interface RaterSubmission {
  raterId?: number;
  /** criterion key → 1..5. A criterion left out ("cannot judge") leaves this rater out of its average. */
  scores: Readonly<Record<string, number>>;
  /** Not scored; carried for the views. */
  comments?: Readonly<Record<string, string>>;
}

/** Several peers or customers are averaged within their kind before the kinds are weighted. */
export type Submissions = Partial<Record<RaterKind, readonly RaterSubmission[]>>;

export type EvaluationErrorCode =
  | 'no-raters'
  | 'rater-not-in-cycle'
  | 'unknown-criterion'
  | 'not-asked'
  | 'invalid-score'
  | 'unscored-criterion';

export class EvaluationError extends Error {
  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    readonly detail: { raterKind?: RaterKind; index?: number; criterionKey?: string } = {},
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
}

export type RaterWeights = Partial<Record<RaterKind, number>>;

export interface RaterPart {
  kind: RaterKind;
  /** How many raters of this kind scored the criterion. */
  raters: number;
  /** Their average answer on 1-5 (two decimals). */
  mean: number;
  /** mean / 5 × 100. */
  score: number;
  /** Percent used for this criterion, after spreading the weight of absent kinds. */
  weight: number;
}

export type ExplanationLine =
  | {
      kind: 'raters';
      cycle: CycleKind;
      configured: RaterWeights;
      used: RaterWeights;
      missing: RaterKind[];
      counts: RaterWeights;
    }
  | { kind: 'criterion'; dimensionKey: string; criterionKey: string; weight: number; parts: RaterPart[]; score: number }
  | SupervisionRuleLine
  | SupervisionTotalLine
  | {
      kind: 'dimension';
      dimensionKey: string;
      weight: number;
      criteriaScore: number;
      adjustment: number | null;
      score: number;
      clamped: boolean;
    }
  | { kind: 'overall'; parts: Array<{ dimensionKey: string; weight: number; score: number }>; score: number }
  | { kind: 'grade'; label: string; min: number; score: number };

export interface EvaluationResult {
  cycle: CycleKind;
  criteria: Array<{ dimensionKey: string; criterionKey: string; score: number }>;
  dimensions: Array<{
    dimensionKey: string;
    weight: number;
    criteriaScore: number;
    adjustment: number | null;
    score: number;
  }>;
  overall: number;
  grade: EvaluationGrade;
  /** In reading order: raters, then per dimension its criteria, supervision points, the dimension; overall; grade. */
  explanation: ExplanationLine[];
}

const round2 = (x: number) => Math.round(Number((x * 100).toFixed(6))) / 100;

/** Grades are ordered high → low and the last starts at 0, so every score 0-100 has one. */
export function gradeFor(config: EvaluationConfig, score: number): EvaluationGrade {
  const grade = config.grades.find((g) => score >= g.min) ?? config.grades[config.grades.length - 1];
  if (!grade) throw new Error('evaluation config without grades');
  return grade;
}

function check(config: EvaluationConfig, cycle: CycleKind, submissions: Submissions): void {
  const asked = new Map(config.dimensions.flatMap((d) => d.criteria.map((c) => [c.key, c.raters] as const)));
  for (const [kind, list] of Object.entries(submissions) as Array<
    [RaterKind, readonly RaterSubmission[] | undefined]
  >) {
    if (!list || list.length === 0) continue;
    if (!RATERS_BY_CYCLE[cycle].includes(kind))
      throw new EvaluationError('rater-not-in-cycle', `${kind} raters take no part in ${cycle} evaluations`, {
        raterKind: kind,
      });
    list.forEach((sub, index) => {
      for (const [criterionKey, score] of Object.entries(sub.scores)) {
        const raters = asked.get(criterionKey);
        const detail = { raterKind: kind, index, criterionKey };
        if (!raters)
          throw new EvaluationError(
            'unknown-criterion',
            `${kind}[${index}]: unknown criterion ${criterionKey}`,
            detail,
          );
        if (!raters.includes(kind))
          throw new EvaluationError(
            'not-asked',
            `${kind}[${index}]: ${kind} raters are not asked about ${criterionKey}`,
            detail,
          );
        if (!Number.isInteger(score) || score < 1 || score > 5)
          throw new EvaluationError(
            'invalid-score',
            `${kind}[${index}].${criterionKey}: expected a whole score 1-5, got ${score}`,
            detail,
          );
      }
    });
  }
}

/** Spreads the weight of absent kinds over the present ones in proportion; percent, one decimal. */
function spread(weights: RaterWeights, present: RaterKind[]): RaterWeights {
  const total = present.reduce((n, k) => n + (weights[k] ?? 0), 0);
  return Object.fromEntries(present.map((k) => [k, round1(((weights[k] ?? 0) / total) * 100)]));
}

/** A criterion's score: each kind's mean answer, weighted among the kinds that answered it. */
function scoreCriterion(
  c: EvaluationCriterion,
  present: RaterKind[],
  configured: RaterWeights,
  submissions: Submissions,
): { parts: RaterPart[]; score: number } {
  const answered = present
    .filter((k) => c.raters.includes(k))
    .map((kind) => ({
      kind,
      answers: (submissions[kind] ?? []).flatMap((s) => (s.scores[c.key] === undefined ? [] : [s.scores[c.key]!])),
    }))
    .filter((a) => a.answers.length > 0);
  if (answered.length === 0)
    throw new EvaluationError('unscored-criterion', `nobody scored ${c.key}`, { criterionKey: c.key });
  const used = spread(
    configured,
    answered.map((a) => a.kind),
  );
  const total = answered.reduce((n, a) => n + (configured[a.kind] ?? 0), 0);
  const parts: RaterPart[] = answered.map(({ kind, answers }) => {
    const mean = answers.reduce((n, s) => n + s, 0) / answers.length;
    return {
      kind,
      raters: answers.length,
      mean: round2(mean),
      score: round1((mean / 5) * 100),
      weight: used[kind] ?? 0,
    };
  });
  // The exact share, not the rounded percent shown, so that rounding happens once per line.
  const score = round1(parts.reduce((n, p) => n + (p.score * (configured[p.kind] ?? 0)) / total, 0));
  return { parts, score };
}

export function scoreEvaluation(
  config: EvaluationConfig,
  cycle: CycleKind,
  submissions: Submissions,
  supervision: SupervisionRecord | null = null,
): EvaluationResult {
  if (!CYCLE_KINDS.includes(cycle)) throw new Error(`unknown cycle kind ${String(cycle)}`);
  check(config, cycle, submissions);
  const configured: RaterWeights = { ...config.raterWeights[cycle] };
  const kinds = RATERS_BY_CYCLE[cycle];
  // A kind with weight 0 is switched off: its submissions are shown in the counts and otherwise ignored.
  const weighted = kinds.filter((k) => (configured[k] ?? 0) > 0);
  const present = weighted.filter((k) => (submissions[k]?.length ?? 0) > 0);
  if (present.length === 0)
    throw new EvaluationError('no-raters', `no ${weighted.join(', ')} evaluation was submitted`);

  const counts: RaterWeights = Object.fromEntries(kinds.map((k) => [k, submissions[k]?.length ?? 0]));
  const explanation: ExplanationLine[] = [
    {
      kind: 'raters',
      cycle,
      configured,
      used: spread(configured, present),
      missing: weighted.filter((k) => !present.includes(k)),
      counts,
    },
  ];
  const criteria: EvaluationResult['criteria'] = [];
  const dimensions: EvaluationResult['dimensions'] = [];
  const adjustment = config.supervision && supervision ? supervisionPoints(config.supervision, supervision) : null;

  for (const d of config.dimensions) {
    let criteriaSum = 0;
    for (const c of d.criteria) {
      const { parts, score } = scoreCriterion(c, present, configured, submissions);
      explanation.push({ kind: 'criterion', dimensionKey: d.key, criterionKey: c.key, weight: c.weight, parts, score });
      criteria.push({ dimensionKey: d.key, criterionKey: c.key, score });
      criteriaSum += (c.weight * score) / 100;
    }
    const criteriaScore = round1(criteriaSum);
    let points: number | null = null;
    if (adjustment && adjustment.total.dimensionKey === d.key) {
      explanation.push(...adjustment.lines, adjustment.total);
      points = adjustment.total.points;
    }
    const unclamped = round1(criteriaScore + (points ?? 0));
    const score = Math.min(100, Math.max(0, unclamped));
    explanation.push({
      kind: 'dimension',
      dimensionKey: d.key,
      weight: d.weight,
      criteriaScore,
      adjustment: points,
      score,
      clamped: score !== unclamped,
    });
    dimensions.push({ dimensionKey: d.key, weight: d.weight, criteriaScore, adjustment: points, score });
  }

  const overall = round1(dimensions.reduce((n, d) => n + (d.weight * d.score) / 100, 0));
  explanation.push({
    kind: 'overall',
    parts: dimensions.map((d) => ({ dimensionKey: d.dimensionKey, weight: d.weight, score: d.score })),
    score: overall,
  });
  const grade = gradeFor(config, overall);
  explanation.push({ kind: 'grade', label: grade.label, min: grade.min, score: overall });
  return { cycle, criteria, dimensions, overall, grade, explanation };
}
