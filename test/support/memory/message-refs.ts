// Where posted cards live, in memory (src/store/message-ref-repo.ts): one ref per key, replaced by put.
import type { MessageRefRepo, Platform, SentRef } from '../../../src/core/ports.js';
import type { MemoryDb } from './db.js';

export class MemoryMessageRefRepo implements MessageRefRepo {
  constructor(private readonly db: MemoryDb) {}

  async get(key: string) {
    const r = this.db.messageRef.one((m) => m.key === key);
    return r && { platform: r.platform as Platform, channelId: r.channelId, messageId: r.messageId };
  }
  async put(key: string, platform: Platform, ref: SentRef, now: Date) {
    const row = { platform, channelId: ref.channelId, messageId: ref.messageId, updatedAt: now };
    this.db.messageRef.upsert({ where: { key }, create: { key, ...row }, update: row });
  }
}
