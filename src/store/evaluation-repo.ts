// Evaluation cycles, participants, submissions and peer nominations (issue 4) behind the core's EvaluationRepo:
// the reads here; opening and closing cycles (evaluation-cycles.ts), a participant's steps
// (evaluation-transition.ts) and what waits for a member (evaluation-pending.ts) in their own files.
import type { CycleKind } from '../core/evaluations/criteria.js';
import type {
  CycleRecord,
  CycleStatus,
  EvaluationRepo,
  NewCycle,
  NewParticipant,
  NominationRecord,
  ParticipantRecord,
  ParticipantTransition,
  SubmissionRecord,
  TransitionOutcome,
} from '../core/evaluations/cycles/types.js';
import type { FindingFact, SupervisionRecord } from '../core/evaluations/supervision.js';
import type { Severity } from '../core/inspections/types.js';
import type { OutboxItem } from '../core/ports.js';
import type { FindingStatus } from '../core/rectification/types.js';
import { sameContent } from '../core/shared/canonical-json.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import { closeCycle, extendCycle, openCycle } from './evaluation-cycles.js';
import { pendingFor } from './evaluation-pending.js';
import { toConfig, toCycle, toNomination, toParticipant, toSubmission } from './evaluation-rows.js';
import { transition } from './evaluation-transition.js';
import { chunks, duePage, type Reschedule, rescheduleBatches } from './rows.js';

export class PrismaEvaluationRepo implements EvaluationRepo {
  constructor(private readonly db: Db) {}

  async latestConfig(key: string) {
    const r = await this.db.evaluationConfigVersion.findFirst({ where: { key }, orderBy: { version: 'desc' } });
    return r ? toConfig(r) : null;
  }

  async configById(id: number) {
    const r = await this.db.evaluationConfigVersion.findUnique({ where: { id } });
    return r ? toConfig(r) : null;
  }

  /** The next version of `key`; content equal to the newest version adds none and answers that one, `unchanged`. */
  async addConfigVersion(key: string, content: unknown, now: Date) {
    for (let attempt = 0; ; attempt++) {
      try {
        const last = await this.db.evaluationConfigVersion.findFirst({ where: { key }, orderBy: { version: 'desc' } });
        if (last && sameContent(JSON.parse(last.content), content)) return { ...toConfig(last), unchanged: true };
        const row = await this.db.evaluationConfigVersion.create({
          data: { key, version: (last?.version ?? 0) + 1, content: JSON.stringify(content), createdAt: now },
        });
        return { ...toConfig(row), unchanged: false };
      } catch (e) {
        // Two writers picked the same version number; the unique index refused one: go again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  openCycle(
    cycle: NewCycle,
    participants: NewParticipant[],
    outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ) {
    return openCycle(this.db, cycle, participants, outbox, now);
  }

  extendCycle(
    cycleId: number,
    departmentIds: number[],
    participants: NewParticipant[],
    outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ) {
    return extendCycle(this.db, cycleId, departmentIds, participants, outbox, now);
  }

  closeCycle(id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]) {
    return closeCycle(this.db, id, now, outbox);
  }

  async cycleContents(cycleId: number) {
    const participants = (
      await this.db.evaluationParticipant.findMany({ where: { cycleId }, orderBy: { id: 'asc' } })
    ).map(toParticipant);
    const ids = participants.map((p) => p.id);
    const submissions: SubmissionRecord[] = [];
    const nominations: NominationRecord[] = [];
    for (const chunk of chunks(ids)) {
      const [subs, noms] = await Promise.all([
        this.db.evaluationSubmission.findMany({ where: { participantId: { in: chunk } }, orderBy: { id: 'asc' } }),
        this.db.peerNomination.findMany({ where: { participantId: { in: chunk } }, orderBy: { id: 'asc' } }),
      ]);
      submissions.push(...subs.map(toSubmission));
      nominations.push(...noms.map(toNomination));
    }
    return { participants, submissions, nominations };
  }

  async cycleById(id: number) {
    const r = await this.db.evaluationCycle.findUnique({ where: { id } });
    return r ? toCycle(r) : null;
  }

  async cycleByName(name: string, kind?: CycleKind) {
    const r = await this.db.evaluationCycle.findFirst({
      where: { name, ...(kind ? { kind } : {}) },
      orderBy: { id: 'desc' },
    });
    return r ? toCycle(r) : null;
  }

  async listCycles(filter: { status?: CycleStatus } = {}) {
    const rows = await this.db.evaluationCycle.findMany({
      where: filter.status ? { status: filter.status } : {},
      orderBy: { id: 'desc' },
    });
    return rows.map(toCycle);
  }

  async participantById(id: number) {
    const r = await this.db.evaluationParticipant.findUnique({ where: { id } });
    return r ? toParticipant(r) : null;
  }

  async participants(cycleId: number) {
    return (await this.db.evaluationParticipant.findMany({ where: { cycleId }, orderBy: { id: 'asc' } })).map(
      toParticipant,
    );
  }

  async participantsOfMember(memberId: number, filter: { cycleStatus?: CycleStatus } = {}) {
    let cycleIds: number[] | undefined;
    if (filter.cycleStatus)
      cycleIds = (
        await this.db.evaluationCycle.findMany({ where: { status: filter.cycleStatus }, select: { id: true } })
      ).map((c) => c.id);
    const rows = await this.db.evaluationParticipant.findMany({
      where: { memberId, ...(cycleIds ? { cycleId: { in: cycleIds } } : {}) },
      orderBy: { id: 'desc' },
    });
    return rows.map(toParticipant);
  }

  pendingFor(memberId: number) {
    return pendingFor(this.db, memberId);
  }

  async submissions(participantId: number) {
    return (await this.db.evaluationSubmission.findMany({ where: { participantId }, orderBy: { id: 'asc' } })).map(
      toSubmission,
    );
  }

  async nominations(participantId: number) {
    return (await this.db.peerNomination.findMany({ where: { participantId }, orderBy: { id: 'asc' } })).map(
      toNomination,
    );
  }

  async nominationById(id: number) {
    const r = await this.db.peerNomination.findUnique({ where: { id } });
    return r ? toNomination(r) : null;
  }

  transition(input: ParticipantTransition, now: Date): Promise<TransitionOutcome> {
    return transition(this.db, input, now);
  }

  async supervisionRecord(departmentId: number, start: Date, end: Date): Promise<SupervisionRecord> {
    const [findings, inspections] = await Promise.all([
      this.db.finding.findMany({
        where: { departmentId, createdAt: { lt: end }, OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
        select: {
          id: true,
          severity: true,
          status: true,
          createdAt: true,
          deadline: true,
          closedAt: true,
          rejectionCount: true,
        },
        orderBy: { id: 'asc' },
      }),
      this.db.inspection.count({ where: { departmentId, submittedAt: { gte: start, lt: end } } }),
    ]);
    const facts: FindingFact[] = findings.map((f) => ({
      id: f.id,
      severity: f.severity as Severity,
      status: f.status as FindingStatus,
      createdAt: f.createdAt,
      deadline: f.deadline,
      closedAt: f.closedAt,
      rejectionCount: f.rejectionCount,
    }));
    return { periodStart: start, periodEnd: end, inspections, findings: facts };
  }

  async dueParticipants(now: Date, limit: number, after?: { nextReminderAt: Date; id: number } | null) {
    const rows = await this.db.evaluationParticipant.findMany({ ...duePage(now, after), take: limit });
    return rows.map(toParticipant);
  }

  async rescheduleParticipants(items: Reschedule[]) {
    for (const { ids, version, time } of rescheduleBatches(items))
      await this.db.evaluationParticipant.updateMany({
        where: { id: { in: ids }, version },
        data: { nextReminderAt: time },
      });
  }
}
