import type { OutboxInstanceRepo, OutboxInstanceRow } from '../core/ports.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';
import type { Execute } from './hot-rows.js';

export class PrismaOutboxInstanceRepo implements OutboxInstanceRepo {
  constructor(
    private readonly db: Db,
    private readonly execute: Execute,
  ) {}

  async beat(r: OutboxInstanceRow): Promise<void> {
    // Plain SQL: on SQLite it joins the group commit, instead of a sync of its own every few seconds.
    await this
      .execute`INSERT INTO "OutboxInstance" ("id", "host", "pid", "startedAt", "heartbeatAt") VALUES (${r.id}, ${r.host}, ${r.pid}, ${r.startedAt}, ${r.heartbeatAt}) ON CONFLICT ("id") DO UPDATE SET "heartbeatAt" = excluded."heartbeatAt"`;
  }

  list(): Promise<OutboxInstanceRow[]> {
    return this.db.outboxInstance.findMany({ orderBy: { startedAt: 'asc' } });
  }

  async remove(ids: string[], staleBefore?: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const stale = staleBefore ? Prisma.sql` AND "heartbeatAt" < ${staleBefore}` : Prisma.empty;
    return this.execute`DELETE FROM "OutboxInstance" WHERE "id" IN (${Prisma.join(ids)})${stale}`;
  }
}
