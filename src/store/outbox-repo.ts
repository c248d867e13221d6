import type {
  ClaimedOutboxItem,
  FailedOutboxRow,
  OutboxClaimant,
  OutboxItem,
  OutboxJob,
  OutboxRepo,
  OutboxTarget,
  Platform,
} from '../core/ports.js';
import type { MessageView } from '../core/views/types.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import type { Execute, RawSql, Rows } from './hot-rows.js';
import { IN_CHUNK, insertRows } from './insert-rows.js';

/**
 * The payload column holds the MessageView JSON; a row with a job (a file to make when it is sent) holds
 * {"job": …, "message": …} instead, which no MessageView looks like (it has no `job`). No schema change.
 */
export function encodePayload(message: MessageView, job?: OutboxJob): string {
  return JSON.stringify(job ? { job, message } : message);
}

export function decodePayload(payload: string): { message: MessageView; job?: OutboxJob } {
  const parsed = JSON.parse(payload) as MessageView | { job: OutboxJob; message: MessageView };
  return 'job' in parsed && parsed.job && typeof parsed.job === 'object'
    ? { message: parsed.message, job: parsed.job }
    : { message: parsed as MessageView };
}

export function outboxRows(items: OutboxItem[], now: Date) {
  return items.map((m) => ({
    dedupeKey: m.dedupeKey,
    platform: m.platform,
    targetKind: m.target.kind,
    targetId: m.target.id,
    payload: encodePayload(m.message, m.job),
    nextAttemptAt: now,
    createdAt: now,
    refKey: m.refKey ?? null,
    updateOnly: m.updateOnly ?? false,
    fallback: m.fallback ? JSON.stringify(m.fallback) : null,
  }));
}

/**
 * Writes messages inside a transaction. An older version of the same card that is still waiting (not being
 * sent right now) is superseded; if that version was to post the card, the new one posts it instead.
 */
export async function enqueueInTx(tx: RawSql, items: OutboxItem[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const refs = [...new Set(items.flatMap((m) => (m.refKey ? [m.refKey] : [])))];
  const mustPost = new Set<string>();
  for (let i = 0; i < refs.length; i += IN_CHUNK) {
    const chunk = refs.slice(i, i + IN_CHUNK);
    const older = await tx.$queryRaw<
      Array<{ id: number; refKey: string; updateOnly: boolean }>
    >`SELECT "id", "refKey", "updateOnly" FROM "OutboxMessage" WHERE "refKey" IN (${Prisma.join(chunk)}) AND "status" = 'pending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})`;
    if (older.length === 0) continue;
    await tx.$executeRaw`UPDATE "OutboxMessage" SET "status" = 'superseded' WHERE "id" IN (${Prisma.join(older.map((o) => o.id))})`;
    for (const o of older) if (!o.updateOnly) mustPost.add(o.refKey);
  }
  const rows =
    mustPost.size > 0
      ? items.map((m) => (m.refKey && mustPost.has(m.refKey) ? { ...m, updateOnly: false } : m))
      : items;
  await insertRows(tx, 'OutboxMessage', outboxRows(rows, now));
}

const noAttempt = Prisma.sql`, "attemptStartedAt" = NULL`;

export class PrismaOutboxRepo implements OutboxRepo {
  constructor(
    private readonly db: Db,
    private readonly execute: Execute,
    private readonly rows: Rows,
  ) {}

  async enqueue(items: OutboxItem[], now: Date) {
    for (const row of outboxRows(items, now)) {
      try {
        await this.db.outboxMessage.create({ data: row });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
  }

  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    platforms: Platform[],
    claimant?: OutboxClaimant,
  ): Promise<ClaimedOutboxItem[]> {
    // A row held by an instance that stopped beating (it died) is free before its lease runs out. The update
    // below checks that again in the same statement, so a claimant that beats meanwhile keeps its rows.
    const live = claimant
      ? (
          await this.rows<{
            id: string;
          }>`SELECT "id" FROM "OutboxInstance" WHERE "heartbeatAt" >= ${claimant.staleBefore}`
        ).map((r) => r.id)
      : [];
    const orphaned = claimant ? [{ claimedBy: { not: null, notIn: live } }] : [];
    const candidates = await this.db.outboxMessage.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        platform: { in: platforms },
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }, ...orphaned],
      },
      orderBy: { id: 'asc' },
      take: limit,
    });
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const free = claimant
      ? Prisma.sql`("leaseUntil" IS NULL OR "leaseUntil" < ${now} OR ("claimedBy" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "OutboxInstance" WHERE "OutboxInstance"."id" = "OutboxMessage"."claimedBy" AND "OutboxInstance"."heartbeatAt" >= ${claimant.staleBefore})))`
      : Prisma.sql`("leaseUntil" IS NULL OR "leaseUntil" < ${now})`;
    // The leases are taken by one conditional update for the whole batch (a write per row would be a sync to
    // disk per row on SQLite, each holding up every request meanwhile); a concurrent sweeper's update matches
    // none of the rows this one took. Plain SQL, as held() below.
    const taken = new Set<number>();
    for (let i = 0; i < candidates.length; i += IN_CHUNK) {
      const ids = candidates.slice(i, i + IN_CHUNK).map((c) => c.id);
      const got = await this.rows<{
        id: number | bigint;
      }>`UPDATE "OutboxMessage" SET "leaseUntil" = ${leaseUntil}, "claimedBy" = ${claimant?.id ?? null}, "attempts" = "attempts" + 1 WHERE "id" IN (${Prisma.join(ids)}) AND "status" = 'pending' AND ${free} RETURNING "id"`;
      for (const r of got) taken.add(Number(r.id));
    }
    const claimed: ClaimedOutboxItem[] = [];
    for (const c of candidates) {
      if (!taken.has(c.id)) continue;
      const { message, job } = decodePayload(c.payload);
      claimed.push({
        id: c.id,
        attempts: c.attempts + 1,
        lease: leaseUntil,
        platform: c.platform as Platform,
        target: { kind: c.targetKind as 'channel' | 'user', id: c.targetId },
        message,
        ...(job ? { job } : {}),
        dedupeKey: c.dedupeKey,
        ...(c.refKey ? { refKey: c.refKey, updateOnly: c.updateOnly } : {}),
        ...(c.fallback ? { fallback: JSON.parse(c.fallback) as NonNullable<OutboxItem['fallback']> } : {}),
        ...(c.attemptStartedAt ? { attemptStartedAt: c.attemptStartedAt } : {}),
      });
    }
    return claimed;
  }

  /**
   * One conditional update: applies only while the row is pending and (given a lease) still held with it.
   * Plain SQL on the request-path connection (hot-rows.ts), as the claim: every message sent takes both.
   */
  private async held(id: number, lease: Date | undefined, set: Prisma.Sql): Promise<boolean> {
    const holding = lease ? Prisma.sql` AND "leaseUntil" = ${lease}` : Prisma.empty;
    return (
      (await this.execute`UPDATE "OutboxMessage" SET ${set} WHERE "id" = ${id} AND "status" = 'pending'${holding}`) ===
      1
    );
  }

  async renewLease(id: number, lease: Date, now: Date, leaseMs: number) {
    // A lease is renewed to a later instant than it held, so the new value is never one another claim made.
    const next = new Date(Math.max(now.getTime() + leaseMs, lease.getTime() + 1));
    return (await this.held(id, lease, Prisma.sql`"leaseUntil" = ${next}`)) ? next : null;
  }
  markAttempt(id: number, now: Date, lease?: Date) {
    return this.held(id, lease, Prisma.sql`"attemptStartedAt" = COALESCE("attemptStartedAt", ${now})`);
  }
  markSent(id: number, now: Date, lease?: Date) {
    return this.held(
      id,
      lease,
      Prisma.sql`"status" = 'sent', "sentAt" = ${now}, "leaseUntil" = NULL, "lastError" = NULL, "attemptStartedAt" = NULL`,
    );
  }
  markRetry(id: number, nextAttemptAt: Date, error: string, lease?: Date, notPosted = false) {
    return this.held(
      id,
      lease,
      Prisma.sql`"nextAttemptAt" = ${nextAttemptAt}, "leaseUntil" = NULL, "lastError" = ${error.slice(0, 500)}${notPosted ? noAttempt : Prisma.empty}`,
    );
  }
  release(id: number, nextAttemptAt: Date, note: string, lease?: Date, notPosted = false) {
    return this.held(
      id,
      lease,
      Prisma.sql`"nextAttemptAt" = ${nextAttemptAt}, "leaseUntil" = NULL, "attempts" = "attempts" - 1, "lastError" = ${note.slice(0, 500)}${notPosted ? noAttempt : Prisma.empty}`,
    );
  }
  redirect(id: number, target: OutboxTarget, message: MessageView, now: Date, lease?: Date) {
    // Nothing was posted to the refused target, and the fallback target has never been tried.
    return this.held(
      id,
      lease,
      Prisma.sql`"targetKind" = ${target.kind}, "targetId" = ${target.id}, "payload" = ${JSON.stringify(message)}, "fallback" = NULL, "nextAttemptAt" = ${now}, "leaseUntil" = NULL, "attempts" = 0, "attemptStartedAt" = NULL`,
    );
  }
  markSuperseded(id: number, lease?: Date) {
    return this.held(id, lease, Prisma.sql`"status" = 'superseded', "leaseUntil" = NULL`);
  }
  async hasNewerVersion(refKey: string, id: number) {
    return (await this.db.outboxMessage.count({ where: { refKey, id: { gt: id }, status: 'pending' } })) > 0;
  }
  markFailed(id: number, error: string, lease?: Date) {
    return this.held(
      id,
      lease,
      Prisma.sql`"status" = 'failed', "leaseUntil" = NULL, "lastError" = ${error.slice(0, 500)}`,
    );
  }
  pendingCount() {
    return this.db.outboxMessage.count({ where: { status: 'pending' } });
  }
  failedCount() {
    return this.db.outboxMessage.count({ where: { status: 'failed' } });
  }
  async listFailed(limit: number): Promise<FailedOutboxRow[]> {
    const rows = await this.db.outboxMessage.findMany({
      where: { status: 'failed' },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => ({
      id: r.id,
      dedupeKey: r.dedupeKey,
      platform: r.platform as Platform,
      target: { kind: r.targetKind as 'channel' | 'user', id: r.targetId },
      attempts: r.attempts,
      createdAt: r.createdAt,
      lastError: r.lastError,
    }));
  }
  async retryFailed(ids: number[] | null, now: Date) {
    // The reason it failed stays in lastError until the next attempt overwrites it.
    const { count } = await this.db.outboxMessage.updateMany({
      where: { status: 'failed', ...(ids ? { id: { in: ids } } : {}) },
      data: { status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null },
    });
    return count;
  }
}
