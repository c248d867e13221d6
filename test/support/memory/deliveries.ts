// Platform deliveries seen, in memory (src/store/delivery-log.ts): a key is new once.
import type { DeliveryLog } from '../../../src/core/ports.js';
import type { MemoryDb } from './db.js';
import { UniqueViolation } from './table.js';

export class MemoryDeliveryLog implements DeliveryLog {
  constructor(private readonly db: MemoryDb) {}

  async firstSeen(key: string, now: Date) {
    try {
      this.db.processedDelivery.add({ key: key.slice(0, 300), createdAt: now });
      return true;
    } catch (e) {
      if (e instanceof UniqueViolation) return false;
      throw e;
    }
  }
  async purgeBefore(cutoff: Date) {
    return this.db.processedDelivery.drop((d) => d.createdAt < cutoff);
  }
}
