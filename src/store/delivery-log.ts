import type { DeliveryLog } from '../core/ports.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';

/** Persistent dedupe of platform deliveries: survives restarts, shared by every bot process. */
export class PrismaDeliveryLog implements DeliveryLog {
  constructor(private readonly db: Db) {}

  /** One insert on every request; the key's unique index refuses a delivery seen before (a retry, a replay). */
  async firstSeen(key: string, now: Date) {
    try {
      await this.db.processedDelivery.create({
        data: { key: key.slice(0, 300), createdAt: now },
        select: { key: true },
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async purgeBefore(cutoff: Date) {
    return (await this.db.processedDelivery.deleteMany({ where: { createdAt: { lt: cutoff } } })).count;
  }
}
