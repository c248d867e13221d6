// Evaluation cycles as the core sees them, and the store port behind them (src/store/evaluation-repo.ts).
import type { OutboxItem } from '../../ports.js';
import type { CycleKind, RaterKind } from '../criteria.js';
import type { EvaluationResult } from '../scoring.js';
import type { SupervisionRecord } from '../supervision.js';

export type CycleStatus = 'open' | 'closed';
/** self → supervisor → review → acknowledge → done (src/core/evaluations/cycles/rules.ts). */
export const STAGES = ['self', 'supervisor', 'review', 'acknowledge', 'done'] as const;
export type Stage = (typeof STAGES)[number];
export type NominationStatus = 'proposed' | 'approved' | 'declined';

export interface StoredEvaluationConfig {
  id: number;
  key: string;
  version: number;
  /** Validated configuration (criteria.ts). */
  content: unknown;
  createdAt: Date;
}

export interface CycleRecord {
  id: number;
  kind: CycleKind;
  /** "2026-11" (monthly) or "2026" (annual). */
  name: string;
  periodStart: Date;
  periodEnd: Date;
  deadline: Date;
  configVersionId: number;
  status: CycleStatus;
  openedById: number;
  openedAt: Date;
  closedAt: Date | null;
  /** [] = every department. */
  departmentIds: number[];
}

export interface ParticipantRecord {
  id: number;
  cycleId: number;
  memberId: number;
  departmentId: number | null;
  supervisorId: number | null;
  customerFacing: boolean;
  stage: Stage;
  selfAt: Date | null;
  supervisorAt: Date | null;
  reviewedAt: Date | null;
  acknowledgedAt: Date | null;
  reviewPlan: string | null;
  nextGoals: string | null;
  overallScore: number | null;
  grade: string | null;
  result: EvaluationResult | null;
  version: number;
  nextReminderAt: Date | null;
}

export interface SubmissionRecord {
  id: number;
  participantId: number;
  raterKind: RaterKind;
  /** "m:<member id>" for members, "c:name:<normalized name>" for customers (on their behalf or through a link: one answer per customer). */
  raterKey: string;
  raterMemberId: number | null;
  raterLabel: string | null;
  scores: Record<string, number>;
  comments: Record<string, string>;
  submittedAt: Date;
}

export interface NominationRecord {
  id: number;
  participantId: number;
  peerId: number;
  status: NominationStatus;
  decidedById: number | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export type NewCycle = Omit<CycleRecord, 'id' | 'status' | 'closedAt'>;
export type NewParticipant = Pick<ParticipantRecord, 'memberId' | 'departmentId' | 'supervisorId' | 'customerFacing'>;

export type ParticipantPatch = Partial<
  Pick<
    ParticipantRecord,
    | 'stage'
    | 'selfAt'
    | 'supervisorAt'
    | 'reviewedAt'
    | 'acknowledgedAt'
    | 'reviewPlan'
    | 'nextGoals'
    | 'overallScore'
    | 'grade'
    | 'result'
    | 'nextReminderAt'
    | 'customerFacing'
  >
>;

export interface ParticipantTransition {
  participantId: number;
  /** Applies only while the participant is at this version (self, supervisor, review, acknowledge steps)… */
  expectedVersion?: number;
  /** …or while it is at one of these stages (peer and customer answers, which arrive independently). */
  expectedStages?: Stage[];
  patch: ParticipantPatch;
  submission?: Omit<SubmissionRecord, 'id' | 'participantId'>;
  /** Nominations to add (as proposed) or decide. */
  nominate?: number[];
  decide?: { nominationId: number; status: 'approved' | 'declined'; decidedById: number; decidedAt: Date };
  /**
   * A customer's one-time link (CustomerInvite) spent in the same transaction: marked used only if it is
   * still unused and unexpired, else nothing of the transition is written ('used' / 'expired').
   */
  spendInvite?: { id: number };
  /**
   * A score: applies only if the participant then has exactly this many answers (this transition's own
   * included), i.e. none arrived since the state it was computed on; 'stale' otherwise.
   */
  expectedSubmissions?: number;
  outbox: OutboxItem[];
}

/**
 * One-off steps (a version to match) and stage changes bump the version, so that forms opened before are
 * refused; answers arriving independently (peers, customers, nominations) do not, so that they never make
 * the member's or the supervisor's open form stale.
 */
export const bumpsVersion = (t: Pick<ParticipantTransition, 'expectedVersion' | 'patch'>) =>
  t.expectedVersion !== undefined || t.patch.stage !== undefined;

export type TransitionFailure = 'stale' | 'closed' | 'duplicate' | 'used' | 'expired';
export type TransitionOutcome = { ok: true; participant: ParticipantRecord } | { ok: false; reason: TransitionFailure };

export interface EvaluationRepo {
  latestConfig(key: string): Promise<StoredEvaluationConfig | null>;
  configById(id: number): Promise<StoredEvaluationConfig | null>;
  /** Adds version max+1 of `key`; older versions (and the cycles opened with them) are never touched. */
  addConfigVersion(key: string, content: unknown, now: Date): Promise<StoredEvaluationConfig>;

  /**
   * One transaction: the cycle, its participants, and the messages `outbox` builds from them (it sees the
   * new ids). 'exists' when a cycle of that kind and name is there already (nothing written).
   */
  openCycle(
    cycle: NewCycle,
    participants: NewParticipant[],
    outbox: (cycle: CycleRecord, participants: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ): Promise<CycleRecord | 'exists'>;
  /**
   * Widens an open cycle to `departmentIds` (the whole new scope; [] = every department) and adds the given
   * participants, skipping members it has already, with their messages in the same transaction. The rows
   * added (maybe none); 'closed' when the cycle is no longer open.
   */
  extendCycle(
    cycleId: number,
    departmentIds: number[],
    participants: NewParticipant[],
    outbox: (cycle: CycleRecord, participants: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ): Promise<ParticipantRecord[] | 'closed'>;
  /**
   * Closes an open cycle and clears its reminders, with the messages `outbox` builds from the closed cycle
   * (the cards redrawn as closed, the notices) in the same transaction; false when it was not open (nothing written).
   */
  closeCycle(id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]): Promise<boolean>;
  /** A cycle's participants with all their submissions and nominations, read in bulk (a few queries whatever its size). */
  cycleContents(
    cycleId: number,
  ): Promise<{ participants: ParticipantRecord[]; submissions: SubmissionRecord[]; nominations: NominationRecord[] }>;
  cycleById(id: number): Promise<CycleRecord | null>;
  cycleByName(name: string, kind?: CycleKind): Promise<CycleRecord | null>;
  /** Newest first. */
  listCycles(filter?: { status?: CycleStatus }): Promise<CycleRecord[]>;

  participantById(id: number): Promise<ParticipantRecord | null>;
  participants(cycleId: number): Promise<ParticipantRecord[]>;
  participantsOfMember(memberId: number, filter?: { cycleStatus?: CycleStatus }): Promise<ParticipantRecord[]>;
  /** Open cycles' participants where this member has a step to take: as the member, supervisor, or approved peer. */
  /** `awaiting`: annual participants this supervisor evaluated or serves as account owner for, not yet scored (what they wait for is worked out from their state). */
  pendingFor(memberId: number): Promise<{
    asMember: ParticipantRecord[];
    asSupervisor: ParticipantRecord[];
    asPeer: ParticipantRecord[];
    toDecide: NominationRecord[];
    awaiting: ParticipantRecord[];
  }>;
  submissions(participantId: number): Promise<SubmissionRecord[]>;
  nominations(participantId: number): Promise<NominationRecord[]>;
  nominationById(id: number): Promise<NominationRecord | null>;
  /** One transaction: conditional update (+ version bump), submission, nominations, outbox; refused when the cycle is closed. */
  transition(input: ParticipantTransition, now: Date): Promise<TransitionOutcome>;

  /** Department findings and inspections that matter to [start, end) (supervision.ts). */
  supervisionRecord(departmentId: number, start: Date, end: Date): Promise<SupervisionRecord>;

  /** Participants of open cycles whose nextReminderAt has come, by (nextReminderAt, id). */
  dueParticipants(
    now: Date,
    limit: number,
    after?: { nextReminderAt: Date; id: number } | null,
  ): Promise<ParticipantRecord[]>;
  /** Sets the next look unless a step changed the participant meanwhile (version). */
  rescheduleParticipants(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>): Promise<void>;
}
