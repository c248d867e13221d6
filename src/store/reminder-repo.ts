import type { FindingRecord, ReminderClaim, ReminderRepo } from '../core/rectification/types.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import type { PrismaFindingRepo } from './finding-repo.js';
import { enqueueInTx } from './outbox-repo.js';

const ACTIVE = ['open', 'planned', 'in_progress', 'submitted'];
const IN_CHUNK = 500;

export class PrismaReminderRepo implements ReminderRepo {
  constructor(
    private readonly db: Db,
    private readonly findings: PrismaFindingRepo,
  ) {}

  async dueFindings(now: Date, limit: number): Promise<FindingRecord[]> {
    const rows = await this.db.finding.findMany({ where: { nextReminderAt: { lte: now }, status: { in: ACTIVE } }, orderBy: [{ nextReminderAt: 'asc' }, { id: 'asc' }], take: limit });
    return this.findings.withTemplates(rows);
  }

  async claimedKeys(keys: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < keys.length; i += IN_CHUNK) {
      const rows = await this.db.reminderLog.findMany({ where: { key: { in: keys.slice(i, i + IN_CHUNK) } }, select: { key: true } });
      for (const r of rows) out.add(r.key);
    }
    return out;
  }

  async claim(input: ReminderClaim, now: Date): Promise<boolean> {
    try {
      await this.db.$transaction(async (tx) => {
        // The unique key is the claim: a concurrent sweep's insert of the same key fails and rolls back its whole digest.
        await tx.reminderLog.createMany({
          data: input.occurrences.map((o) => ({ key: o.key, findingId: o.findingId, recipientId: o.recipientId, kind: o.kind, dueAt: o.dueAt, claimedAt: now, outboxKey: input.digest.dedupeKey })),
        });
        const counts = new Map<number, { reminders: number; escalations: number }>();
        for (const o of input.occurrences) {
          const c = counts.get(o.findingId) ?? { reminders: 0, escalations: 0 };
          if (o.escalation) c.escalations++;
          else c.reminders++;
          counts.set(o.findingId, c);
        }
        for (const [id, c] of counts) await tx.finding.update({ where: { id }, data: { reminderCount: { increment: c.reminders }, escalationCount: { increment: c.escalations } } });
        await enqueueInTx(tx, [input.digest], now);
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async reschedule(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>) {
    // Grouped by time so that a batch of thousands is a handful of statements.
    const byTime = new Map<number | null, Array<{ id: number; version: number }>>();
    for (const it of items) {
      const k = it.nextReminderAt?.getTime() ?? null;
      (byTime.get(k) ?? byTime.set(k, []).get(k)!).push(it);
    }
    for (const [time, list] of byTime) {
      const versions = new Map<number, number[]>();
      for (const it of list) (versions.get(it.version) ?? versions.set(it.version, []).get(it.version)!).push(it.id);
      for (const [version, ids] of versions)
        for (let i = 0; i < ids.length; i += IN_CHUNK)
          await this.db.finding.updateMany({ where: { id: { in: ids.slice(i, i + IN_CHUNK) }, version }, data: { nextReminderAt: time === null ? null : new Date(time) } });
    }
  }
}
