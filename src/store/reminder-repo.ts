import type { DueCursor, FindingRecord, ReminderClaim, ReminderRepo } from '../core/rectification/types.js';
import type { Db, Tx } from './database.js';
import { isUniqueViolation } from './errors.js';
import type { PrismaFindingRepo } from './finding-repo.js';
import { enqueueInTx } from './outbox-repo.js';
import { chunks, duePage, type Reschedule, rescheduleBatches } from './rows.js';

export class PrismaReminderRepo implements ReminderRepo {
  constructor(
    private readonly db: Db,
    private readonly findings: PrismaFindingRepo,
  ) {}

  async dueFindings(now: Date, limit: number, after?: DueCursor | null): Promise<FindingRecord[]> {
    // No status filter here: only active findings carry a nextReminderAt (acceptance clears it, and so does
    // the sweep for any other), and with `status IN (…)` SQLite picks the (status, createdAt) index and reads
    // every open finding on every sweep instead of the few that are due.
    const rows = await this.db.finding.findMany({ ...duePage(now, after), take: limit });
    return this.findings.withTemplates(rows);
  }

  async claimedKeys(keys: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const chunk of chunks(keys)) {
      const rows = await this.db.reminderLog.findMany({
        where: { key: { in: chunk } },
        select: { key: true },
      });
      for (const r of rows) out.add(r.key);
    }
    return out;
  }

  async claim(input: ReminderClaim, now: Date): Promise<boolean> {
    try {
      await this.db.$transaction((tx) => this.write(tx, [input], now));
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async claimMany(inputs: ReminderClaim[], now: Date): Promise<boolean[]> {
    if (inputs.length === 0) return [];
    try {
      await this.db.$transaction((tx) => this.write(tx, inputs, now));
      return inputs.map(() => true);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    // Another sweep claimed some of these first: one person at a time, so that only those digests are dropped.
    const out: boolean[] = [];
    for (const input of inputs) out.push(await this.claim(input, now));
    return out;
  }

  /** The claims' writes in one transaction: a handful of statements however many people and findings. */
  private async write(tx: Tx, inputs: ReminderClaim[], now: Date): Promise<void> {
    // The unique key is the claim: a concurrent sweep's insert of the same key fails and rolls back the whole transaction.
    const logs = inputs.flatMap((c) =>
      c.occurrences.map((o) => ({
        key: o.key,
        findingId: o.findingId,
        participantId: o.participantId ?? null,
        recipientId: o.recipientId,
        kind: o.kind,
        dueAt: o.dueAt,
        claimedAt: now,
        outboxKey: c.digest.dedupeKey,
      })),
    );
    await tx.reminderLog.createMany({ data: logs });
    const counts = new Map<number, { reminders: number; escalations: number }>();
    for (const c of inputs)
      for (const o of c.occurrences) {
        // Evaluation reminders are not counted on any finding.
        if (o.findingId === null) continue;
        const n = counts.get(o.findingId) ?? { reminders: 0, escalations: 0 };
        if (o.escalation) n.escalations++;
        else n.reminders++;
        counts.set(o.findingId, n);
      }
    // Findings that gain the same counts share one statement.
    const byIncrement = new Map<string, number[]>();
    for (const [id, n] of counts) {
      const k = `${n.reminders}:${n.escalations}`;
      (byIncrement.get(k) ?? byIncrement.set(k, []).get(k)!).push(id);
    }
    for (const [k, ids] of byIncrement) {
      const [reminders, escalations] = k.split(':').map(Number) as [number, number];
      for (const chunk of chunks(ids))
        await tx.finding.updateMany({
          where: { id: { in: chunk } },
          data: { reminderCount: { increment: reminders }, escalationCount: { increment: escalations } },
        });
    }
    await enqueueInTx(
      tx,
      inputs.map((c) => c.digest),
      now,
    );
  }

  async reschedule(items: Reschedule[]) {
    for (const { ids, version, time } of rescheduleBatches(items))
      await this.db.finding.updateMany({ where: { id: { in: ids }, version }, data: { nextReminderAt: time } });
  }
}
