// Opening, extending and closing an evaluation cycle: each with its participants and messages in one transaction.
import type { CycleRecord, NewCycle, NewParticipant, ParticipantRecord } from '../core/evaluations/cycles/types.js';
import type { OutboxItem } from '../core/ports.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import { toCycle, toParticipant } from './evaluation-rows.js';
import { enqueueInTx } from './outbox-repo.js';

export async function openCycle(
  db: Db,
  cycle: NewCycle,
  participants: NewParticipant[],
  outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
  now: Date,
) {
  try {
    return await db.$transaction(
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

export async function extendCycle(
  db: Db,
  cycleId: number,
  departmentIds: number[],
  participants: NewParticipant[],
  outbox: (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[],
  now: Date,
) {
  return db.$transaction(
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

export async function closeCycle(db: Db, id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]) {
  return db.$transaction(
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
