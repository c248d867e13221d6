// What the reminder sweep reads and writes, in memory (src/store/reminder-repo.ts): an occurrence key is
// claimed once; a claim writes its log lines, the counts on its findings and its digest, or nothing at all.
import type { DueCursor, ReminderClaim, ReminderRepo } from '../../../src/core/rectification/types.js';
import type { MemoryDb } from './db.js';
import { atVersion, dueBy, firstDue } from './due.js';
import type { MemoryFindingRepo } from './findings.js';
import { queueInTx } from './outbox.js';
import { UniqueViolation } from './table.js';

export class MemoryReminderRepo implements ReminderRepo {
  constructor(
    private readonly db: MemoryDb,
    private readonly findings: MemoryFindingRepo,
  ) {}

  async dueFindings(now: Date, limit: number, after?: DueCursor | null) {
    return this.findings.withTemplates(firstDue(this.db.finding.rows(dueBy(now, after)), limit));
  }

  async claimedKeys(keys: string[]) {
    const wanted = new Set(keys);
    return new Set(this.db.reminderLog.rows((r) => wanted.has(r.key)).map((r) => r.key));
  }

  async claim(input: ReminderClaim, now: Date) {
    return this.tryWrite([input], now);
  }

  async claimMany(inputs: ReminderClaim[], now: Date) {
    if (inputs.length === 0) return [];
    if (this.tryWrite(inputs, now)) return inputs.map(() => true);
    // Another sweep claimed some of these first: one person at a time, so that only those digests are dropped.
    return inputs.map((input) => this.tryWrite([input], now));
  }

  async reschedule(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>) {
    for (const it of items) this.db.finding.set(atVersion(it), { nextReminderAt: it.nextReminderAt });
  }

  /** The claims in one transaction; false (nothing written) when a key or a digest was taken already. */
  private tryWrite(claims: ReminderClaim[], now: Date): boolean {
    try {
      this.db.atomically(() => {
        for (const { occurrences, digest } of claims)
          for (const { escalation, participantId = null, ...o } of occurrences) {
            this.db.reminderLog.add({ ...o, participantId, claimedAt: now, outboxKey: digest.dedupeKey });
            // Evaluation reminders are counted on no finding.
            const count = escalation ? { escalationCount: { increment: 1 } } : { reminderCount: { increment: 1 } };
            if (o.findingId !== null) this.db.finding.set((f) => f.id === o.findingId, count);
          }
        queueInTx(
          this.db,
          claims.map((c) => c.digest),
          now,
        );
      });
      return true;
    } catch (e) {
      if (e instanceof UniqueViolation) return false;
      throw e;
    }
  }
}
