// Findings in memory (src/store/finding-repo.ts): a step applies only at the version it was decided on, with
// its history line and messages in the same transaction; lists by deadline, then age.
import type { FindingRecord, FindingStatus, Severity } from '../../../src/core/findings/record.js';
import type { OutboxItem } from '../../../src/core/ports.js';
import type * as rect from '../../../src/core/rectification/types.js';
import type { Finding } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';
import { queueInTx } from './outbox.js';
import { ordered, UniqueViolation } from './table.js';

export class MemoryFindingRepo implements rect.FindingRepo {
  constructor(private readonly db: MemoryDb) {}

  /** Findings with their inspection's template version (kept on the inspection, not copied). */
  withTemplates(rows: Finding[]): FindingRecord[] {
    return rows.map(({ itemResultId, updatedAt, evidenceUrls, severity, status, ...f }) => ({
      ...f,
      templateVersionId: this.db.inspection.one((i) => i.id === f.inspectionId)?.templateVersionId ?? 0,
      evidenceUrls: JSON.parse(evidenceUrls) as string[],
      severity: severity as Severity,
      status: status as FindingStatus,
    }));
  }

  async byId(id: number) {
    return this.withTemplates(this.db.finding.rows((f) => f.id === id))[0] ?? null;
  }

  async events(findingId: number): Promise<rect.FindingEventRecord[]> {
    const rows = ordered(
      this.db.findingEvent.rows((e) => e.findingId === findingId),
      [{ at: 'asc' }, { id: 'asc' }],
    );
    return rows.map(({ action, fromStatus, toStatus, data, ...e }) => ({
      ...e,
      action: action as rect.FindingEventRecord['action'],
      fromStatus: fromStatus as FindingStatus,
      toStatus: toStatus as FindingStatus,
      data: JSON.parse(data) as Record<string, unknown>,
    }));
  }

  async transition({ id, expectedVersion, patch, event, outbox }: rect.TransitionInput, now: Date) {
    const { evidenceUrls, ...rest } = patch;
    const applied = this.db.atomically(() => {
      const at = (f: Finding) => f.id === id && f.version === expectedVersion;
      const urls = evidenceUrls ? { evidenceUrls: JSON.stringify(evidenceUrls) } : {};
      if (this.db.finding.set(at, (f) => ({ ...rest, ...urls, version: f.version + 1 })).length !== 1) return false;
      this.db.findingEvent.add({ ...event, findingId: id, data: JSON.stringify(event.data) });
      queueInTx(this.db, outbox, now);
      return true;
    });
    return applied ? this.byId(id) : null;
  }

  async list(filter: rect.FindingFilter) {
    const m = filter.memberId;
    const rows = this.db.finding.rows(
      (f) =>
        (m === undefined || f.ownerId === m || (f.ownerId === null && f.responsibleMemberId === m)) &&
        (!filter.departmentId || f.departmentId === filter.departmentId) &&
        (!filter.statuses || (filter.statuses as string[]).includes(f.status)) &&
        (!filter.deadlineBefore || (f.deadline !== null && f.deadline < filter.deadlineBefore)),
    );
    const sorted = ordered(rows, [{ deadline: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }]);
    return { rows: this.withTemplates(sorted.slice(0, filter.limit)), total: rows.length };
  }

  async redraw(cards: Array<{ id: number; version: number; outbox: OutboxItem[] }>, now: Date) {
    const write = (list: typeof cards) =>
      this.db.atomically(() => {
        // A write that changes nothing but the update time, on the version the cards were drawn from.
        for (const c of list)
          if (this.db.finding.set((f) => f.id === c.id && f.version === c.version, {}).length === 1)
            queueInTx(this.db, c.outbox, now);
      });
    try {
      write(cards);
    } catch (e) {
      if (!(e instanceof UniqueViolation)) throw e;
      // Another sweep drew the same counts first: its cards stand, the others' go in one finding at a time.
      for (const c of cards)
        try {
          write([c]);
        } catch (err) {
          if (!(err instanceof UniqueViolation)) throw err;
        }
    }
  }
}
