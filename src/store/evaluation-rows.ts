// Evaluation rows as the core sees them: the JSON columns parsed, the string columns typed.
import type { CycleKind, RaterKind } from '../core/evaluations/criteria.js';
import type {
  CycleRecord,
  CycleStatus,
  NominationRecord,
  NominationStatus,
  ParticipantRecord,
  Stage,
  StoredEvaluationConfig,
  SubmissionRecord,
} from '../core/evaluations/cycles/types.js';
import type { EvaluationResult } from '../core/evaluations/scoring.js';
import type { Db } from './database.js';

type CycleRow = Awaited<ReturnType<Db['evaluationCycle']['findFirstOrThrow']>>;
type ParticipantRow = Awaited<ReturnType<Db['evaluationParticipant']['findFirstOrThrow']>>;
type SubmissionRow = Awaited<ReturnType<Db['evaluationSubmission']['findFirstOrThrow']>>;
type NominationRow = Awaited<ReturnType<Db['peerNomination']['findFirstOrThrow']>>;
type ConfigRow = Awaited<ReturnType<Db['evaluationConfigVersion']['findFirstOrThrow']>>;

export const toConfig = (r: ConfigRow): StoredEvaluationConfig => ({
  id: r.id,
  key: r.key,
  version: r.version,
  content: JSON.parse(r.content),
  createdAt: r.createdAt,
});

export const toCycle = (r: CycleRow): CycleRecord => ({
  id: r.id,
  kind: r.kind as CycleKind,
  name: r.name,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  deadline: r.deadline,
  configVersionId: r.configVersionId,
  status: r.status as CycleStatus,
  openedById: r.openedById,
  openedAt: r.openedAt,
  closedAt: r.closedAt,
  departmentIds: JSON.parse(r.departmentIds) as number[],
});

export const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  cycleId: r.cycleId,
  memberId: r.memberId,
  departmentId: r.departmentId,
  supervisorId: r.supervisorId,
  customerFacing: r.customerFacing,
  stage: r.stage as Stage,
  selfAt: r.selfAt,
  supervisorAt: r.supervisorAt,
  reviewedAt: r.reviewedAt,
  acknowledgedAt: r.acknowledgedAt,
  reviewPlan: r.reviewPlan,
  nextGoals: r.nextGoals,
  overallScore: r.overallScore,
  grade: r.grade,
  result: r.result ? (JSON.parse(r.result) as EvaluationResult) : null,
  version: r.version,
  nextReminderAt: r.nextReminderAt,
});

export const toSubmission = (r: SubmissionRow): SubmissionRecord => ({
  id: r.id,
  participantId: r.participantId,
  raterKind: r.raterKind as RaterKind,
  raterKey: r.raterKey,
  raterMemberId: r.raterMemberId,
  raterLabel: r.raterLabel,
  scores: JSON.parse(r.scores) as Record<string, number>,
  comments: JSON.parse(r.comments) as Record<string, string>,
  submittedAt: r.submittedAt,
});

export const toNomination = (r: NominationRow): NominationRecord => ({
  id: r.id,
  participantId: r.participantId,
  peerId: r.peerId,
  status: r.status as NominationStatus,
  decidedById: r.decidedById,
  decidedAt: r.decidedAt,
  createdAt: r.createdAt,
});
