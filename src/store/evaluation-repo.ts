// Evaluation cycles, participants, submissions and peer nominations (issue 4) behind the core's EvaluationRepo.
import type { CycleKind, RaterKind } from '../core/evaluations/criteria.js';
import type {
  CycleRecord,
  CycleStatus,
  EvaluationRepo,
  NewCycle,
  NewParticipant,
  NominationRecord,
  NominationStatus,
  ParticipantRecord,
  ParticipantTransition,
  Stage,
  StoredEvaluationConfig,
  SubmissionRecord,
  TransitionOutcome,
} from '../core/evaluations/cycles/types.js';
import { bumpsVersion } from '../core/evaluations/cycles/types.js';
import type { EvaluationResult } from '../core/evaluations/scoring.js';
import type { FindingFact, SupervisionRecord } from '../core/evaluations/supervision.js';
import type { Severity } from '../core/inspections/types.js';
import type { OutboxItem } from '../core/ports.js';
import type { FindingStatus } from '../core/rectification/types.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import { IN_CHUNK } from './insert-rows.js';
import { enqueueInTx } from './outbox-repo.js';

type CycleRow = Awaited<ReturnType<Db['evaluationCycle']['findFirstOrThrow']>>;
type ParticipantRow = Awaited<ReturnType<Db['evaluationParticipant']['findFirstOrThrow']>>;
type SubmissionRow = Awaited<ReturnType<Db['evaluationSubmission']['findFirstOrThrow']>>;
type NominationRow = Awaited<ReturnType<Db['peerNomination']['findFirstOrThrow']>>;
type ConfigRow = Awaited<ReturnType<Db['evaluationConfigVersion']['findFirstOrThrow']>>;

const toConfig = (r: ConfigRow): StoredEvaluationConfig => ({
  id: r.id,
  key: r.key,
  version: r.version,
  content: JSON.parse(r.content),
  createdAt: r.createdAt,
});

const toCycle = (r: CycleRow): CycleRecord => ({
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

const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
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

const toSubmission = (r: SubmissionRow): SubmissionRecord => ({
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

const toNomination = (r: NominationRow): NominationRecord => ({
  id: r.id,
  participantId: r.participantId,
  peerId: r.peerId,
  status: r.status as NominationStatus,
  decidedById: r.decidedById,
  decidedAt: r.decidedAt,
  createdAt: r.createdAt,
});

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

  async addConfigVersion(key: string, content: unknown, now: Date) {
    for (let attempt = 0; ; attempt++) {
      try {
        const last = await this.db.evaluationConfigVersion.findFirst({ where: { key }, orderBy: { version: 'desc' } });
        return toConfig(
          await this.db.evaluationConfigVersion.create({
            data: { key, version: (last?.version ?? 0) + 1, content: JSON.stringify(content), createdAt: now },
          }),
        );
      } catch (e) {
        // Two writers picked the same version number; the unique index refused one: go again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  async openCycle(
    cycle: NewCycle,
    participants: NewParticipant[],
    outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ) {
    try {
      return await this.db.$transaction(
        async (tx) => {
          const row = await tx.evaluationCycle.create({
            data: { ...cycle, departmentIds: JSON.stringify(cycle.departmentIds), status: 'open' },
          });
          // Reminders are looked at from the start: the sweep works out the first reminder time.
          await tx.evaluationParticipant.createMany({
            data: participants.map((p) => ({ ...p, cycleId: row.id, stage: 'self', nextReminderAt: now })),
          });
          const rows = await tx.evaluationParticipant.findMany({ where: { cycleId: row.id }, orderBy: { id: 'asc' } });
          const created = toCycle(row);
          await enqueueInTx(tx, outbox(created, rows.map(toParticipant)), now);
          return created;
        },
        { timeout: 120_000 },
      );
    } catch (e) {
      if (isUniqueViolation(e)) return 'exists' as const;
      throw e;
    }
  }

  async extendCycle(
    cycleId: number,
    departmentIds: number[],
    participants: NewParticipant[],
    outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ) {
    return this.db.$transaction(
      async (tx) => {
        const row = await tx.evaluationCycle.findUnique({ where: { id: cycleId } });
        if (row?.status !== 'open') return 'closed' as const;
        const have = new Set(
          (await tx.evaluationParticipant.findMany({ where: { cycleId }, select: { memberId: true } })).map(
            (p) => p.memberId,
          ),
        );
        const fresh = participants.filter((p) => !have.has(p.memberId));
        const updated = await tx.evaluationCycle.update({
          where: { id: cycleId },
          data: { departmentIds: JSON.stringify(departmentIds) },
        });
        if (fresh.length === 0) return [];
        await tx.evaluationParticipant.createMany({
          data: fresh.map((p) => ({ ...p, cycleId, stage: 'self', nextReminderAt: now })),
        });
        const rows = (
          await tx.evaluationParticipant.findMany({
            where: { cycleId, memberId: { in: fresh.map((p) => p.memberId) } },
            orderBy: { id: 'asc' },
          })
        ).map(toParticipant);
        await enqueueInTx(tx, outbox(toCycle(updated), rows), now);
        return rows;
      },
      { timeout: 120_000 },
    );
  }

  async closeCycle(id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]) {
    return this.db.$transaction(
      async (tx) => {
        const { count } = await tx.evaluationCycle.updateMany({
          where: { id, status: 'open' },
          data: { status: 'closed', closedAt: now },
        });
        if (count !== 1) return false;
        await tx.evaluationParticipant.updateMany({ where: { cycleId: id }, data: { nextReminderAt: null } });
        if (outbox)
          await enqueueInTx(tx, outbox(toCycle(await tx.evaluationCycle.findUniqueOrThrow({ where: { id } }))), now);
        return true;
      },
      { timeout: 120_000 },
    );
  }

  async cycleContents(cycleId: number) {
    const participants = (
      await this.db.evaluationParticipant.findMany({ where: { cycleId }, orderBy: { id: 'asc' } })
    ).map(toParticipant);
    const ids = participants.map((p) => p.id);
    const submissions: SubmissionRecord[] = [];
    const nominations: NominationRecord[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
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

  async pendingFor(memberId: number) {
    const openCycles = await this.db.evaluationCycle.findMany({
      where: { status: 'open' },
      select: { id: true, kind: true },
    });
    const open = openCycles.map((c) => c.id);
    if (open.length === 0) return { asMember: [], asSupervisor: [], asPeer: [], toDecide: [], awaiting: [] };
    const inOpen = { cycleId: { in: open } };
    const annual = openCycles.filter((c) => c.kind === 'annual').map((c) => c.id);
    const [asMember, asSupervisor, approved, proposed, awaiting] = await Promise.all([
      this.db.evaluationParticipant.findMany({
        where: { ...inOpen, memberId, stage: { in: ['self', 'acknowledge'] } },
        orderBy: { id: 'asc' },
      }),
      this.db.evaluationParticipant.findMany({
        where: {
          ...inOpen,
          supervisorId: memberId,
          OR: [{ stage: 'review' }, { stage: 'supervisor', supervisorAt: null }],
        },
        orderBy: { id: 'asc' },
      }),
      this.db.peerNomination.findMany({ where: { peerId: memberId, status: 'approved' } }),
      this.db.peerNomination.findMany({ where: { status: 'proposed' } }),
      this.db.evaluationParticipant.findMany({
        where: {
          cycleId: { in: annual },
          supervisorId: memberId,
          OR: [
            { stage: 'supervisor', supervisorAt: { not: null } },
            { customerFacing: true, stage: { in: ['self', 'supervisor'] } },
          ],
        },
        orderBy: { id: 'asc' },
      }),
    ]);
    const answered = new Set(
      (
        await this.db.evaluationSubmission.findMany({
          where: {
            raterKind: 'peer',
            raterMemberId: memberId,
            participantId: { in: approved.map((n) => n.participantId) },
          },
          select: { participantId: true },
        })
      ).map((s) => s.participantId),
    );
    const peerIds = approved.filter((n) => !answered.has(n.participantId)).map((n) => n.participantId);
    const asPeer = await this.db.evaluationParticipant.findMany({
      where: { ...inOpen, id: { in: peerIds }, stage: { in: ['self', 'supervisor'] } },
      orderBy: { id: 'asc' },
    });
    const supervised = proposed.length
      ? // Only while the participant still takes answers: once scored, an undecided nomination can no longer be decided.
        new Set(
          (
            await this.db.evaluationParticipant.findMany({
              where: {
                ...inOpen,
                supervisorId: memberId,
                id: { in: proposed.map((n) => n.participantId) },
                stage: { in: ['self', 'supervisor'] },
              },
              select: { id: true },
            })
          ).map((p) => p.id),
        )
      : new Set<number>();
    return {
      asMember: asMember.map(toParticipant),
      asSupervisor: asSupervisor.map(toParticipant),
      asPeer: asPeer.map(toParticipant),
      toDecide: proposed.filter((n) => supervised.has(n.participantId)).map(toNomination),
      awaiting: awaiting.map(toParticipant),
    };
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

  async transition(input: ParticipantTransition, now: Date): Promise<TransitionOutcome> {
    const { result, ...rest } = input.patch;
    try {
      const outcome = await this.db.$transaction(async (tx): Promise<TransitionOutcome> => {
        const p = await tx.evaluationParticipant.findUnique({
          where: { id: input.participantId },
          select: { cycleId: true },
        });
        if (!p) return { ok: false, reason: 'stale' };
        const open = await tx.evaluationCycle.count({ where: { id: p.cycleId, status: 'open' } });
        if (open !== 1) return { ok: false, reason: 'closed' };
        const where = {
          id: input.participantId,
          ...(input.expectedVersion !== undefined ? { version: input.expectedVersion } : {}),
          ...(input.expectedStages ? { stage: { in: input.expectedStages } } : {}),
        };
        const data = {
          ...rest,
          ...(result !== undefined ? { result: result === null ? null : JSON.stringify(result) } : {}),
          ...(bumpsVersion(input) ? { version: { increment: 1 } } : {}),
        };
        // Always an update, even with nothing to change (a nomination, a peer's answer): on PostgreSQL it locks
        // the row, so that a score and an answer racing it are applied one after the other, and the second
        // sees the first (a score then finds the answer count changed; an answer finds the stage moved on).
        const { count } = await tx.evaluationParticipant.updateMany({
          where,
          data: Object.keys(data).length > 0 ? data : { version: { increment: 0 } },
        });
        if (count !== 1) return { ok: false, reason: 'stale' };
        if (input.spendInvite) {
          // The one conditional update that spends a customer's link: of two racing submissions, one matches
          // no row, and its whole transition is rolled back.
          const { id } = input.spendInvite;
          const spent = await tx.customerInvite.updateMany({
            where: { id, usedAt: null, expiresAt: { gt: now } },
            data: { usedAt: now },
          });
          if (spent.count !== 1) {
            const current = await tx.customerInvite.findUnique({ where: { id }, select: { usedAt: true } });
            throw new InviteRefused(current?.usedAt ? 'used' : 'expired');
          }
        }
        if (input.submission) {
          const s = input.submission;
          await tx.evaluationSubmission.create({
            data: {
              participantId: input.participantId,
              raterKind: s.raterKind,
              raterKey: s.raterKey,
              raterMemberId: s.raterMemberId,
              raterLabel: s.raterLabel,
              scores: JSON.stringify(s.scores),
              comments: JSON.stringify(s.comments),
              submittedAt: s.submittedAt,
            },
          });
        }
        if (input.expectedSubmissions !== undefined) {
          const answers = await tx.evaluationSubmission.count({ where: { participantId: input.participantId } });
          if (answers !== input.expectedSubmissions) throw new StaleTransition();
        }
        for (const peerId of input.nominate ?? [])
          await tx.peerNomination.create({
            data: { participantId: input.participantId, peerId, status: 'proposed', createdAt: now },
          });
        if (input.decide) {
          const d = input.decide;
          const { count: decided } = await tx.peerNomination.updateMany({
            where: { id: d.nominationId, status: 'proposed' },
            data: { status: d.status, decidedById: d.decidedById, decidedAt: d.decidedAt },
          });
          if (decided !== 1) throw new StaleTransition();
        }
        await enqueueInTx(tx, input.outbox, now);
        const row = await tx.evaluationParticipant.findUniqueOrThrow({ where: { id: input.participantId } });
        return { ok: true, participant: toParticipant(row) };
      });
      return outcome;
    } catch (e) {
      if (e instanceof StaleTransition) return { ok: false, reason: 'stale' };
      if (e instanceof InviteRefused) return { ok: false, reason: e.reason };
      if (isUniqueViolation(e)) return { ok: false, reason: 'duplicate' };
      throw e;
    }
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
    const page = after
      ? {
          nextReminderAt: { gte: after.nextReminderAt, lte: now },
          OR: [{ nextReminderAt: { gt: after.nextReminderAt } }, { id: { gt: after.id } }],
        }
      : { nextReminderAt: { lte: now } };
    const rows = await this.db.evaluationParticipant.findMany({
      where: page,
      orderBy: [{ nextReminderAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toParticipant);
  }

  async rescheduleParticipants(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>) {
    const groups = new Map<string, { time: Date | null; version: number; ids: number[] }>();
    for (const it of items) {
      const k = `${it.nextReminderAt?.getTime() ?? 'null'}:${it.version}`;
      const g = groups.get(k) ?? groups.set(k, { time: it.nextReminderAt, version: it.version, ids: [] }).get(k)!;
      g.ids.push(it.id);
    }
    for (const { time, version, ids } of groups.values())
      for (let i = 0; i < ids.length; i += IN_CHUNK)
        await this.db.evaluationParticipant.updateMany({
          where: { id: { in: ids.slice(i, i + IN_CHUNK) }, version },
          data: { nextReminderAt: time },
        });
  }
}

class StaleTransition extends Error {}
class InviteRefused extends Error {
  constructor(readonly reason: 'used' | 'expired') {
    super(reason);
  }
}
