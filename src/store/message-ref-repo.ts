import type { MessageRefRepo, Platform, SentRef } from '../core/ports.js';
import type { Db } from './database.js';

export class PrismaMessageRefRepo implements MessageRefRepo {
  constructor(private readonly db: Db) {}

  async get(key: string) {
    const r = await this.db.messageRef.findUnique({ where: { key } });
    return r ? { platform: r.platform as Platform, channelId: r.channelId, messageId: r.messageId } : null;
  }

  async put(key: string, platform: Platform, ref: SentRef, now: Date) {
    await this.db.messageRef.upsert({
      where: { key },
      create: { key, platform, channelId: ref.channelId, messageId: ref.messageId, updatedAt: now },
      update: { platform, channelId: ref.channelId, messageId: ref.messageId, updatedAt: now },
    });
  }
}
