import type { DeliveryLog } from '../core/ports.js';
import type { Db } from './database.js';
import type { Execute } from './hot-rows.js';

/** Persistent dedupe of platform deliveries: survives restarts, shared by every bot process. */
export class PrismaDeliveryLog implements DeliveryLog {
  constructor(
    private readonly db: Db,
    private readonly execute: Execute,
  ) {}

  /**
   * One statement on every request: a raw insert that skips a key already there (both SQLite and PostgreSQL
   * say ON CONFLICT DO NOTHING), which costs a fraction of Prisma's create and no exception on a replay.
   */
  async firstSeen(key: string, now: Date) {
    const inserted = await this
      .execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${key.slice(0, 300)}, ${now}) ON CONFLICT ("key") DO NOTHING`;
    return inserted === 1;
  }

  async purgeBefore(cutoff: Date) {
    return (await this.db.processedDelivery.deleteMany({ where: { createdAt: { lt: cutoff } } })).count;
  }
}
