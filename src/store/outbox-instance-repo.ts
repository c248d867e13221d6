import type { OutboxInstanceRepo, OutboxInstanceRow } from '../core/ports.js';
import type { Db } from './database.js';

export class PrismaOutboxInstanceRepo implements OutboxInstanceRepo {
  constructor(private readonly db: Db) {}

  async beat(r: OutboxInstanceRow): Promise<void> {
    await this.db.outboxInstance.upsert({
      where: { id: r.id },
      create: { id: r.id, host: r.host, pid: r.pid, startedAt: r.startedAt, heartbeatAt: r.heartbeatAt },
      update: { heartbeatAt: r.heartbeatAt },
      select: { id: true },
    });
  }

  list(): Promise<OutboxInstanceRow[]> {
    return this.db.outboxInstance.findMany({ orderBy: { startedAt: 'asc' } });
  }

  async remove(ids: string[], staleBefore?: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const { count } = await this.db.outboxInstance.deleteMany({
      where: { id: { in: ids }, ...(staleBefore ? { heartbeatAt: { lt: staleBefore } } : {}) },
    });
    return count;
  }
}
