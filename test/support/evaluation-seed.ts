// Evaluation cycles written straight through Prisma, for the summary, export and customer-link tests (they
// do not depend on the chat flow that opens cycles).
import {
  type CycleKind,
  DEFAULT_EVALUATION_CONFIG,
  type EvaluationConfig,
} from '../../src/core/evaluations/criteria.js';
import { scoreEvaluation } from '../../src/core/evaluations/scoring.js';
import type { Db } from '../../src/store/database.js';

/** Adds the configuration as the next version of its key (the bot may have stored the default at start). */
export async function seedConfig(p: Db, config: EvaluationConfig = DEFAULT_EVALUATION_CONFIG): Promise<number> {
  const last = await p.evaluationConfigVersion.findFirst({ where: { key: config.key }, orderBy: { version: 'desc' } });
  const v = await p.evaluationConfigVersion.create({
    data: {
      key: config.key,
      version: (last?.version ?? 0) + 1,
      content: JSON.stringify(config),
      createdAt: new Date('2026-01-01T00:00:00Z'),
    },
  });
  return v.id;
}

/** A month in Shanghai time (UTC+8): 2026-11 runs from 2026-10-31T16:00Z to 2026-11-30T16:00Z. */
export function monthPeriod(year: number, month: number): { periodStart: Date; periodEnd: Date } {
  return { periodStart: new Date(Date.UTC(year, month - 1, 1, -8)), periodEnd: new Date(Date.UTC(year, month, 1, -8)) };
}

export async function seedCycle(
  p: Db,
  o: {
    kind?: CycleKind;
    name: string;
    configVersionId: number;
    openedById: number;
    periodStart: Date;
    periodEnd: Date;
    status?: string;
  },
): Promise<number> {
  const c = await p.evaluationCycle.create({
    data: {
      kind: o.kind ?? 'monthly',
      name: o.name,
      periodStart: o.periodStart,
      periodEnd: o.periodEnd,
      deadline: o.periodEnd,
      configVersionId: o.configVersionId,
      status: o.status ?? 'open',
      openedById: o.openedById,
      openedAt: o.periodStart,
    },
  });
  return c.id;
}

/** Every criterion answered `answer` (1-5) by self and supervisor: a monthly result of answer × 20. */
export function uniformResult(
  answer: number,
  config: EvaluationConfig = DEFAULT_EVALUATION_CONFIG,
  kind: CycleKind = 'monthly',
) {
  const scores = (rater: 'self' | 'supervisor') =>
    Object.fromEntries(
      config.dimensions.flatMap((d) => d.criteria.filter((c) => c.raters.includes(rater)).map((c) => [c.key, answer])),
    );
  return scoreEvaluation(config, kind, {
    self: [{ scores: scores('self') }],
    supervisor: [{ scores: scores('supervisor') }],
  });
}

export async function seedParticipant(
  p: Db,
  o: {
    cycleId: number;
    memberId: number;
    departmentId: number | null;
    stage?: string;
    answer?: number;
    result?: ReturnType<typeof scoreEvaluation>;
    customerFacing?: boolean;
    supervisorId?: number | null;
  },
): Promise<number> {
  const result = o.result ?? (o.answer === undefined ? null : uniformResult(o.answer));
  const row = await p.evaluationParticipant.create({
    data: {
      cycleId: o.cycleId,
      memberId: o.memberId,
      departmentId: o.departmentId,
      supervisorId: o.supervisorId ?? null,
      customerFacing: o.customerFacing ?? false,
      stage: o.stage ?? (result ? 'done' : 'self'),
      overallScore: result?.overall ?? null,
      grade: result?.grade.label ?? null,
      result: result ? JSON.stringify(result) : null,
    },
  });
  return row.id;
}
