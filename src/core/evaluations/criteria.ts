// The performance-evaluation configuration (business department policy, section 4), as a YAML or JSON
// document. Like checklist templates it is stored as numbered versions of a key, so an evaluation keeps
// scoring against the version it started with.
import { z } from 'zod';
import { parseOrThrow } from '../shared/validation.js';
import { strictKeys, uniqueKeys } from '../shared/zod-rules.js';
import { bilingual, key } from '../templates/schema.js';
import { type DocFormat, parseDocument } from '../templates/service.js';

export const CYCLE_KINDS = ['monthly', 'annual'] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];

export const RATER_KINDS = ['self', 'supervisor', 'peer', 'customer'] as const;
export type RaterKind = (typeof RATER_KINDS)[number];

/** The policy asks peers and customers only in the annual cycle. */
export const RATERS_BY_CYCLE: Record<CycleKind, readonly RaterKind[]> = {
  monthly: ['self', 'supervisor'],
  annual: ['self', 'supervisor', 'peer', 'customer'],
};

const percent = (min: 0 | 1) =>
  z
    .number({ error: 'expected a whole percentage' })
    .int('expected a whole percentage')
    .min(min, `expected ${min}-100`)
    .max(100, `expected ${min}-100`);

const points = z
  .number({ error: 'expected a number of points' })
  .min(-20, 'expected -20 to 20 points')
  .max(20, 'expected -20 to 20 points');

const criterionSchema = z.strictObject(
  {
    key,
    text: bilingual,
    weight: percent(1),
    /**
     * Who is asked about this criterion. The policy has peers judge teamwork and communication and
     * customers judge service and satisfaction, so not every rater kind answers every criterion.
     */
    raters: z
      .array(z.enum(RATER_KINDS, { error: 'expected self, supervisor, peer or customer' }), {
        error: 'expected a list of rater kinds',
      })
      .min(1, 'expected at least one rater kind')
      .default([...RATER_KINDS]),
  },
  strictKeys,
);

const dimensionSchema = z.strictObject(
  {
    key,
    name: bilingual,
    weight: percent(1),
    criteria: z
      .array(criterionSchema, { error: 'expected a list of criteria' })
      .min(1, 'expected at least one criterion')
      .max(20, 'expected at most 20 criteria'),
  },
  strictKeys,
);

const gradeSchema = z.strictObject(
  {
    label: z
      .string({ error: 'expected a label' })
      .trim()
      .min(1, 'expected a label')
      .max(8, 'expected at most 8 characters'),
    description: bilingual,
    /** Lowest overall score (0-100) that earns this grade. */
    min: z
      .number({ error: 'expected a score 0-100' })
      .min(0, 'expected a score 0-100')
      .max(100, 'expected a score 0-100'),
  },
  strictKeys,
);

const supervisionSchema = z.strictObject(
  {
    /** The dimension whose 0-100 score takes the points (policy A section 5: performance points). */
    dimension: key.default('results'),
    /** Every finding recorded in the department during the cycle ("many problems"). */
    perFindingBySeverity: z
      .strictObject(
        { low: points.default(0), medium: points.default(-1), high: points.default(-2), critical: points.default(-3) },
        strictKeys,
      )
      .prefault({}),
    /** Every finding accepted during the cycle no later than its deadline ("well-handled rectification"). */
    perFindingAcceptedOnTime: points.default(1),
    /** Every finding accepted during the cycle after its deadline. */
    perFindingAcceptedLate: points.default(0),
    /** Every finding not yet accepted at the cycle's end although its deadline has passed ("poor rectification"). */
    perFindingOpenOverdue: points.default(-2),
    /** Every failed acceptance check, counted once: in the cycle where the finding is finally accepted. */
    perRejection: points.default(-1),
    /** Once, when the department was inspected during the cycle and nothing was found. */
    cleanInspections: points.default(2),
    /** Limits on the sum of all rule points, before the dimension score is kept within 0-100. */
    cap: z
      .strictObject(
        {
          min: z
            .number({ error: 'expected a number of points' })
            .min(-100, 'expected -100 to 0')
            .max(0, 'expected -100 to 0')
            .default(-15),
          max: z
            .number({ error: 'expected a number of points' })
            .min(0, 'expected 0 to 100')
            .max(100, 'expected 0 to 100')
            .default(10),
        },
        strictKeys,
      )
      .prefault({}),
  },
  strictKeys,
);

const configShape = z.strictObject(
  {
    key,
    name: bilingual,
    dimensions: z
      .array(dimensionSchema, { error: 'expected a list of dimensions' })
      .min(1, 'expected at least one dimension')
      .max(12),
    /**
     * Percent per rater kind. When a kind has no submission (no customer raters for staff who do not face
     * customers, no peer who answered a criterion), its weight is spread over the kinds present in
     * proportion to theirs.
     */
    raterWeights: z
      .strictObject(
        {
          monthly: z
            .strictObject({ self: percent(0).default(30), supervisor: percent(0).default(70) }, strictKeys)
            .prefault({}),
          annual: z
            .strictObject(
              {
                self: percent(0).default(20),
                supervisor: percent(0).default(50),
                peer: percent(0).default(15),
                customer: percent(0).default(15),
              },
              strictKeys,
            )
            .prefault({}),
        },
        strictKeys,
      )
      .prefault({}),
    /** Highest first; the last one starts at 0 so that every score has a grade. */
    grades: z.array(gradeSchema, { error: 'expected a list of grades' }).min(1, 'expected at least one grade').max(10),
    /** HR flags a member whose overall score stays below `belowScore` this many cycles of a kind in a row. */
    positionReview: z
      .strictObject(
        {
          belowScore: z
            .number({ error: 'expected a score 0-100' })
            .min(0, 'expected a score 0-100')
            .max(100, 'expected a score 0-100')
            .default(60),
          consecutiveCycles: z
            .number({ error: 'expected a whole number' })
            .int('expected a whole number')
            .min(1, 'expected 1-24')
            .max(24, 'expected 1-24')
            .default(2),
        },
        strictKeys,
      )
      .prefault({}),
    /** Points from the department's supervision record; left out, scores ignore the supervision record. */
    supervision: supervisionSchema.optional(),
  },
  strictKeys,
);

type ConfigShape = z.output<typeof configShape>;

// Checks across fields, which the shape alone cannot express.
export const evaluationConfigSchema = configShape.superRefine((cfg, ctx) => {
  checkWeights(cfg, ctx);
  const dims = checkKeysAndRaters(cfg, ctx);
  checkGrades(cfg, ctx);
  if (cfg.supervision && !dims.has(cfg.supervision.dimension))
    ctx.addIssue({
      code: 'custom',
      path: ['supervision', 'dimension'],
      message: `unknown dimension ${cfg.supervision.dimension}`,
    });
  checkFormsFit(cfg, ctx);
});

function sumTo100(ctx: z.RefinementCtx, weights: number[], path: PropertyKey[]): void {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum !== 100) ctx.addIssue({ code: 'custom', path, message: `weights add up to ${sum}, expected 100` });
}

function checkWeights(cfg: ConfigShape, ctx: z.RefinementCtx): void {
  sumTo100(
    ctx,
    cfg.dimensions.map((d) => d.weight),
    ['dimensions'],
  );
  for (const cycle of CYCLE_KINDS) sumTo100(ctx, Object.values(cfg.raterWeights[cycle]), ['raterWeights', cycle]);
}

/** Unique keys, criterion weights, and someone weighted to rate each criterion; returns the dimension keys. */
function checkKeysAndRaters(cfg: ConfigShape, ctx: z.RefinementCtx): ReadonlySet<string> {
  const dims = uniqueKeys(ctx);
  // Submissions name criteria by key alone, so criterion keys are unique across dimensions.
  const criteria = uniqueKeys(ctx);
  cfg.dimensions.forEach((d, di) => {
    dims.add(d.key, ['dimensions', di, 'key']);
    sumTo100(
      ctx,
      d.criteria.map((c) => c.weight),
      ['dimensions', di, 'criteria'],
    );
    d.criteria.forEach((c, ci) => {
      criteria.add(c.key, ['dimensions', di, 'criteria', ci, 'key']);
      for (const cycle of CYCLE_KINDS) {
        const weights = cfg.raterWeights[cycle] as Partial<Record<RaterKind, number>>;
        if (!c.raters.some((r) => (weights[r] ?? 0) > 0))
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', di, 'criteria', ci, 'raters'],
            message: `nobody with a weight rates this criterion in ${cycle} cycles`,
          });
      }
    });
  });
  return dims.seen;
}

function checkGrades(cfg: ConfigShape, ctx: z.RefinementCtx): void {
  const labels = uniqueKeys(ctx, 'label');
  cfg.grades.forEach((g, gi) => {
    labels.add(g.label, ['grades', gi, 'label']);
    const above = cfg.grades[gi - 1];
    if (above && g.min >= above.min)
      ctx.addIssue({
        code: 'custom',
        path: ['grades', gi, 'min'],
        message: `expected less than grades[${gi - 1}].min (${above.min}): grades go from highest to lowest`,
      });
  });
  const lowest = cfg.grades[cfg.grades.length - 1];
  if (lowest && lowest.min !== 0)
    ctx.addIssue({
      code: 'custom',
      path: ['grades', cfg.grades.length - 1, 'min'],
      message: 'expected 0: the lowest grade must start at 0',
    });
}

// Every rater answers on one chat form page; refuse here, at import, a configuration that cannot fit.
function checkFormsFit(cfg: ConfigShape, ctx: z.RefinementCtx): void {
  for (const kind of RATER_KINDS) {
    const size = ratingFormSize(cfg, kind);
    if (size > MAX_FORM_ELEMENTS)
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: `the ${kind} form would need ${size} elements (a heading per dimension, a score and a comment per criterion); at most ${MAX_FORM_ELEMENTS} fit on one chat form: ask ${kind} raters fewer criteria`,
      });
  }
}

/** Slack holds 100 blocks per modal; this leaves room for the page's own text. */
export const MAX_FORM_ELEMENTS = 95;

/** Elements of a rater kind's form: intro (and the customer's name), a heading per dimension, two per criterion. */
export function ratingFormSize(
  cfg: { dimensions: Array<{ criteria: Array<{ raters: readonly RaterKind[] }> }> },
  kind: RaterKind,
): number {
  return cfg.dimensions.reduce(
    (n, d) => {
      const asked = d.criteria.filter((c) => c.raters.includes(kind)).length;
      return asked ? n + 1 + asked * 2 : n;
    },
    kind === 'customer' ? 2 : 1,
  );
}

export type EvaluationConfig = z.output<typeof evaluationConfigSchema>;
export type EvaluationDimension = EvaluationConfig['dimensions'][number];
export type EvaluationCriterion = EvaluationDimension['criteria'][number];
export type EvaluationGrade = EvaluationConfig['grades'][number];
export type SupervisionRules = NonNullable<EvaluationConfig['supervision']>;

/** Validates stored or imported content; throws a ValidationError naming every problem by path. */
export function validateEvaluationConfig(input: unknown): EvaluationConfig {
  return parseOrThrow(evaluationConfigSchema, input);
}

export function parseEvaluationConfig(text: string, format: DocFormat): EvaluationConfig {
  return validateEvaluationConfig(parseDocument(text, format));
}

export { DEFAULT_EVALUATION_CONFIG } from './default-config.js';
