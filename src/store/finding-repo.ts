import type { Severity } from '../core/inspections/types.js';
import type { OutboxItem } from '../core/ports.js';
import type {
  FindingEventRecord,
  FindingFilter,
  FindingRecord,
  FindingRepo,
  FindingStatus,
  TransitionInput,
} from '../core/rectification/types.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import { enqueueInTx } from './outbox-repo.js';

type Row = Awaited<ReturnType<Db['finding']['findFirstOrThrow']>>;

export function toFinding(r: Row, templateVersionId: number): FindingRecord {
  return {
    id: r.id,
    inspectionId: r.inspectionId,
    templateVersionId,
    departmentId: r.departmentId,
    dimensionKey: r.dimensionKey,
    itemKey: r.itemKey,
    description: r.description,
    impact: r.impact,
    severity: r.severity as Severity,
    evidenceUrls: JSON.parse(r.evidenceUrls) as string[],
    status: r.status as FindingStatus,
    responsibleMemberId: r.responsibleMemberId,
    ownerId: r.ownerId,
    createdById: r.createdById,
    createdAt: r.createdAt,
    closedAt: r.closedAt,
    planMeasures: r.planMeasures,
    planSupport: r.planSupport,
    planSubmittedAt: r.planSubmittedAt,
    deadline: r.deadline,
    progressPercent: r.progressPercent,
    acceptanceRequestedAt: r.acceptanceRequestedAt,
    rejectionCount: r.rejectionCount,
    reminderCount: r.reminderCount,
    escalationCount: r.escalationCount,
    nextReminderAt: r.nextReminderAt,
    version: r.version,
  };
}

export class PrismaFindingRepo implements FindingRepo {
  constructor(private readonly db: Db) {}

  /** Findings with their inspection's template version (kept on the inspection, not copied). */
  async withTemplates(rows: Row[]): Promise<FindingRecord[]> {
    const ids = [...new Set(rows.map((r) => r.inspectionId))];
    const inspections = await this.db.inspection.findMany({
      where: { id: { in: ids } },
      select: { id: true, templateVersionId: true },
    });
    const tv = new Map(inspections.map((i) => [i.id, i.templateVersionId]));
    return rows.map((r) => toFinding(r, tv.get(r.inspectionId) ?? 0));
  }

  async byId(id: number) {
    const r = await this.db.finding.findUnique({ where: { id } });
    return r ? ((await this.withTemplates([r]))[0] ?? null) : null;
  }

  async events(findingId: number): Promise<FindingEventRecord[]> {
    const rows = await this.db.findingEvent.findMany({ where: { findingId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return rows.map((e) => ({
      id: e.id,
      findingId: e.findingId,
      actorId: e.actorId,
      at: e.at,
      action: e.action as FindingEventRecord['action'],
      fromStatus: e.fromStatus as FindingStatus,
      toStatus: e.toStatus as FindingStatus,
      note: e.note,
      data: JSON.parse(e.data) as Record<string, unknown>,
    }));
  }

  async transition(input: TransitionInput, now: Date) {
    const { evidenceUrls, ...rest } = input.patch;
    const applied = await this.db.$transaction(async (tx) => {
      // Conditional on the version the actor saw: of two racing steps only one applies.
      const { count } = await tx.finding.updateMany({
        where: { id: input.id, version: input.expectedVersion },
        data: {
          ...rest,
          ...(evidenceUrls ? { evidenceUrls: JSON.stringify(evidenceUrls) } : {}),
          version: { increment: 1 },
        },
      });
      if (count !== 1) return false;
      await tx.findingEvent.create({
        data: {
          findingId: input.id,
          actorId: input.event.actorId,
          at: input.event.at,
          action: input.event.action,
          fromStatus: input.event.fromStatus,
          toStatus: input.event.toStatus,
          note: input.event.note,
          data: JSON.stringify(input.event.data),
        },
      });
      await enqueueInTx(tx, input.outbox, now);
      return true;
    });
    return applied ? this.byId(input.id) : null;
  }

  async list(filter: FindingFilter) {
    const where = {
      ...(filter.memberId !== undefined
        ? { OR: [{ ownerId: filter.memberId }, { ownerId: null, responsibleMemberId: filter.memberId }] }
        : {}),
      ...(filter.departmentId ? { departmentId: filter.departmentId } : {}),
      ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
      ...(filter.deadlineBefore ? { deadline: { lt: filter.deadlineBefore } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.finding.findMany({
        where,
        orderBy: [{ deadline: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        take: filter.limit,
      }),
      this.db.finding.count({ where }),
    ]);
    return { rows: await this.withTemplates(rows), total };
  }

  async redraw(cards: Array<{ id: number; version: number; outbox: OutboxItem[] }>, now: Date) {
    const write = (list: typeof cards) =>
      this.db.$transaction(async (tx) => {
        for (const c of list) {
          // An update that changes nothing, conditional on the version: it also holds the row, so that a step
          // cannot commit between this check and the cards' insert (PostgreSQL; SQLite writes one at a time).
          const { count } = await tx.finding.updateMany({
            where: { id: c.id, version: c.version },
            data: { version: c.version },
          });
          if (count === 1) await enqueueInTx(tx, c.outbox, now);
        }
      });
    try {
      await write(cards);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Another sweep drew the same counts first: its cards stand, and the others' go in one finding at a time.
      for (const c of cards)
        await write([c]).catch((err: unknown) => {
          if (!isUniqueViolation(err)) throw err;
        });
    }
  }
}
