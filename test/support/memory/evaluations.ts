// Evaluation cycles in memory (src/store/evaluation-repo.ts and its neighbours): configuration versions,
// cycles, participants with their answers and nominations, what waits for a member, and the reminder reads.
// The writes that make a cycle or a step are in evaluation-steps.ts.
import type { CycleKind } from '../../../src/core/evaluations/criteria.js';
import type {
  CycleRecord,
  CycleStatus,
  EvaluationRepo,
  NewCycle,
  NewParticipant,
  ParticipantRecord,
  ParticipantTransition,
} from '../../../src/core/evaluations/cycles/types.js';
import type { SupervisionRecord } from '../../../src/core/evaluations/supervision.js';
import type { Severity } from '../../../src/core/inspections/types.js';
import type { OutboxItem } from '../../../src/core/ports.js';
import type { FindingStatus } from '../../../src/core/rectification/types.js';
import { sameContent } from '../../../src/core/shared/canonical-json.js';
import type { EvaluationParticipant } from '../../../src/generated/sqlite/client.js';
import { toConfig, toCycle, toNomination, toParticipant, toSubmission } from '../../../src/store/evaluation-rows.js';
import type { MemoryDb } from './db.js';
import { atVersion, dueBy, firstDue } from './due.js';
import { closeCycle, extendCycle, openCycle, transition } from './evaluation-steps.js';

type Compose = (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[];
const newestFirst = <R extends { id: number }>(rows: R[]) => rows.reverse();

export class MemoryEvaluationRepo implements EvaluationRepo {
  constructor(private readonly db: MemoryDb) {}

  async latestConfig(key: string) {
    const r = this.db.evaluationConfigVersion.findFirst({ where: { key }, orderBy: { version: 'desc' } });
    return r && toConfig(r);
  }
  async configById(id: number) {
    const r = this.db.evaluationConfigVersion.one((c) => c.id === id);
    return r && toConfig(r);
  }
  /** The next version of `key`; content equal to the newest version adds none and answers that one, `unchanged`. */
  async addConfigVersion(key: string, content: unknown, now: Date) {
    const last = await this.latestConfig(key);
    if (last && sameContent(last.content, content)) return { ...last, unchanged: true };
    const version = (last?.version ?? 0) + 1;
    const row = this.db.evaluationConfigVersion.add({ key, version, content: JSON.stringify(content), createdAt: now });
    return { ...toConfig(row), unchanged: false };
  }

  async openCycle(cycle: NewCycle, participants: NewParticipant[], outbox: Compose, now: Date) {
    return openCycle(this.db, cycle, participants, outbox, now);
  }
  async extendCycle(
    cycleId: number,
    departmentIds: number[],
    participants: NewParticipant[],
    outbox: Compose,
    now: Date,
  ) {
    return extendCycle(this.db, cycleId, departmentIds, participants, outbox, now);
  }
  async closeCycle(id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]) {
    return closeCycle(this.db, id, now, outbox);
  }
  async transition(input: ParticipantTransition, now: Date) {
    return transition(this.db, input, now);
  }

  async cycleContents(cycleId: number) {
    const participants = await this.participants(cycleId);
    const ids = new Set(participants.map((p) => p.id));
    return {
      participants,
      submissions: this.db.evaluationSubmission.rows((s) => ids.has(s.participantId)).map(toSubmission),
      nominations: this.db.peerNomination.rows((n) => ids.has(n.participantId)).map(toNomination),
    };
  }
  async cycleById(id: number) {
    const r = this.db.evaluationCycle.one((c) => c.id === id);
    return r && toCycle(r);
  }
  async cycleByName(name: string, kind?: CycleKind) {
    const [r] = newestFirst(this.db.evaluationCycle.rows((c) => c.name === name && (!kind || c.kind === kind)));
    return r ? toCycle(r) : null;
  }
  async listCycles(filter: { status?: CycleStatus } = {}) {
    return newestFirst(this.db.evaluationCycle.rows((c) => !filter.status || c.status === filter.status)).map(toCycle);
  }

  async participantById(id: number) {
    const r = this.db.evaluationParticipant.one((p) => p.id === id);
    return r && toParticipant(r);
  }
  async participants(cycleId: number) {
    return this.db.evaluationParticipant.rows((p) => p.cycleId === cycleId).map(toParticipant);
  }
  async participantsOfMember(memberId: number, filter: { cycleStatus?: CycleStatus } = {}) {
    const inCycle = this.cycleIds((c) => !filter.cycleStatus || c.status === filter.cycleStatus);
    return newestFirst(this.participantRows((p) => p.memberId === memberId && inCycle.has(p.cycleId)));
  }
  async submissions(participantId: number) {
    return this.db.evaluationSubmission.rows((s) => s.participantId === participantId).map(toSubmission);
  }
  async nominations(participantId: number) {
    return this.db.peerNomination.rows((n) => n.participantId === participantId).map(toNomination);
  }
  async nominationById(id: number) {
    const r = this.db.peerNomination.one((n) => n.id === id);
    return r && toNomination(r);
  }

  /** What waits for the member in open cycles (src/store/evaluation-pending.ts). */
  async pendingFor(memberId: number) {
    const open = this.cycleIds((c) => c.status === 'open');
    const annual = this.cycleIds((c) => c.status === 'open' && c.kind === 'annual');
    const inOpen = (p: EvaluationParticipant, stages?: string[]) =>
      open.has(p.cycleId) && (!stages || stages.includes(p.stage));
    const mine = (p: EvaluationParticipant) => p.supervisorId === memberId;
    const approved = this.db.peerNomination.rows((n) => n.peerId === memberId && n.status === 'approved');
    const proposed = this.db.peerNomination.rows((n) => n.status === 'proposed');
    const answered = new Set(
      this.db.evaluationSubmission
        .rows((s) => s.raterKind === 'peer' && s.raterMemberId === memberId)
        .map((s) => s.participantId),
    );
    const asPeerOf = new Set(approved.map((n) => n.participantId).filter((id) => !answered.has(id)));
    const decidable = new Set(
      this.participantRows((p) => inOpen(p, ['self', 'supervisor']) && mine(p)).map((p) => p.id),
    );
    return {
      asMember: this.participantRows((p) => inOpen(p, ['self', 'acknowledge']) && p.memberId === memberId),
      asSupervisor: this.participantRows(
        (p) => inOpen(p) && mine(p) && (p.stage === 'review' || (p.stage === 'supervisor' && p.supervisorAt === null)),
      ),
      asPeer: this.participantRows((p) => inOpen(p, ['self', 'supervisor']) && asPeerOf.has(p.id)),
      toDecide: proposed.filter((n) => decidable.has(n.participantId)).map(toNomination),
      awaiting: this.participantRows(
        (p) =>
          annual.has(p.cycleId) &&
          mine(p) &&
          ((p.stage === 'supervisor' && p.supervisorAt !== null) ||
            (p.customerFacing && ['self', 'supervisor'].includes(p.stage))),
      ),
    };
  }

  async supervisionRecord(departmentId: number, start: Date, end: Date): Promise<SupervisionRecord> {
    const inPeriod = this.db.finding.rows(
      (f) => f.departmentId === departmentId && f.createdAt < end && (f.closedAt === null || f.closedAt >= start),
    );
    const inspections = this.db.inspection.count({ where: { departmentId, submittedAt: { gte: start, lt: end } } });
    const findings = inPeriod.map(({ id, severity, status, createdAt, deadline, closedAt, rejectionCount }) => ({
      id,
      createdAt,
      deadline,
      closedAt,
      rejectionCount,
      severity: severity as Severity,
      status: status as FindingStatus,
    }));
    return { periodStart: start, periodEnd: end, inspections, findings };
  }

  async dueParticipants(now: Date, limit: number, after?: { nextReminderAt: Date; id: number } | null) {
    return firstDue(this.db.evaluationParticipant.rows(dueBy(now, after)), limit).map(toParticipant);
  }
  async rescheduleParticipants(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>) {
    for (const it of items) this.db.evaluationParticipant.set(atVersion(it), { nextReminderAt: it.nextReminderAt });
  }

  private cycleIds(match: (c: { status: string; kind: string }) => boolean) {
    return new Set(this.db.evaluationCycle.rows(match).map((c) => c.id));
  }
  private participantRows(match: (p: EvaluationParticipant) => boolean) {
    return this.db.evaluationParticipant.rows(match).map(toParticipant);
  }
}
