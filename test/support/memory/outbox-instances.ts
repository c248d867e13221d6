// The heartbeat rows of the processes sending the outbox, in memory (src/store/outbox-instance-repo.ts).
import type { OutboxInstanceRepo, OutboxInstanceRow } from '../../../src/core/ports.js';
import type { MemoryDb } from './db.js';
import { ordered } from './table.js';

export class MemoryOutboxInstanceRepo implements OutboxInstanceRepo {
  constructor(private readonly db: MemoryDb) {}

  async beat(r: OutboxInstanceRow) {
    const t = this.db.outboxInstance;
    if (t.set((i) => i.id === r.id, { heartbeatAt: r.heartbeatAt }).length === 0) t.add(r);
  }
  async list() {
    return ordered(this.db.outboxInstance.rows(), { startedAt: 'asc' });
  }
  async remove(ids: string[], staleBefore?: Date) {
    return this.db.outboxInstance.drop((i) => ids.includes(i.id) && (!staleBefore || i.heartbeatAt < staleBefore));
  }
}
