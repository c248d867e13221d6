import { z } from 'zod';
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
import type { Db, Tx } from './database.js';
import { isUniqueViolation } from './errors.js';
import { chunks, intColumn, parseRows } from './rows.js';

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
export async function enqueueInTx(tx: Tx, items: OutboxItem[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const refs = [...new Set(items.flatMap((m) => (m.refKey ? [m.refKey] : [])))];
  const mustPost = new Set<string>();
  for (const chunk of chunks(refs)) {
    const older = await tx.outboxMessage.updateManyAndReturn({
      where: { refKey: { in: chunk }, status: 'pending', OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { status: 'superseded' },
      select: { refKey: true, updateOnly: true },
    });
    for (const o of older) if (!o.updateOnly && o.refKey) mustPost.add(o.refKey);
  }
  const rows =
    mustPost.size > 0
      ? items.map((m) => (m.refKey && mustPost.has(m.refKey) ? { ...m, updateOnly: false } : m))
      : items;
  await tx.outboxMessage.createMany({ data: outboxRows(rows, now) });
}

/** The ids a claim took, as `UPDATE … RETURNING "id"` gives them back. */
const claimedRow = z.object({ id: intColumn });

type HeldUpdate = Prisma.OutboxMessageUpdateManyMutationInput;
const noAttempt = { attemptStartedAt: null } satisfies HeldUpdate;

export class PrismaOutboxRepo implements OutboxRepo {
  constructor(private readonly db: Db) {}

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
          await this.db.outboxInstance.findMany({
            where: { heartbeatAt: { gte: claimant.staleBefore } },
            select: { id: true },
          })
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
    // disk per row on SQLite); a concurrent sweeper's update matches none of the rows this one took. Raw SQL:
    // whether the holder still beats is checked in the same statement, which no model filter can say (the
    // claim names an instance by id, with no relation to it).
    const taken = new Set<number>();
    for (const chunk of chunks(candidates)) {
      const ids = chunk.map((c) => c.id);
      const got = await this.db
        .$queryRaw`UPDATE "OutboxMessage" SET "leaseUntil" = ${leaseUntil}, "claimedBy" = ${claimant?.id ?? null}, "attempts" = "attempts" + 1 WHERE "id" IN (${Prisma.join(ids)}) AND "status" = 'pending' AND ${free} RETURNING "id"`;
      for (const r of parseRows(claimedRow, got)) taken.add(r.id);
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

  /** One conditional update: applies only while the row is pending and (given a lease) still held with it. */
  private async held(id: number, lease: Date | undefined, data: HeldUpdate): Promise<boolean> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: { id, status: 'pending', ...(lease ? { leaseUntil: lease } : {}) },
      data,
    });
    return count === 1;
  }

  async renewLease(id: number, lease: Date, now: Date, leaseMs: number) {
    // A lease is renewed to a later instant than it held, so the new value is never one another claim made.
    const next = new Date(Math.max(now.getTime() + leaseMs, lease.getTime() + 1));
    return (await this.held(id, lease, { leaseUntil: next })) ? next : null;
  }
  async markAttempt(id: number, now: Date, lease?: Date) {
    // The first attempt's time is kept (COALESCE): a model update cannot keep a value conditionally in the one
    // statement that also checks the lease.
    const holding = lease ? Prisma.sql` AND "leaseUntil" = ${lease}` : Prisma.empty;
    const count = await this.db
      .$executeRaw`UPDATE "OutboxMessage" SET "attemptStartedAt" = COALESCE("attemptStartedAt", ${now}) WHERE "id" = ${id} AND "status" = 'pending'${holding}`;
    return count === 1;
  }
  markSent(id: number, now: Date, lease?: Date) {
    return this.held(id, lease, {
      status: 'sent',
      sentAt: now,
      leaseUntil: null,
      lastError: null,
      attemptStartedAt: null,
    });
  }
  markRetry(id: number, nextAttemptAt: Date, error: string, lease?: Date, notPosted = false) {
    return this.held(id, lease, {
      nextAttemptAt,
      leaseUntil: null,
      lastError: error.slice(0, 500),
      ...(notPosted ? noAttempt : {}),
    });
  }
  release(id: number, nextAttemptAt: Date, note: string, lease?: Date, notPosted = false) {
    return this.held(id, lease, {
      nextAttemptAt,
      leaseUntil: null,
      attempts: { decrement: 1 },
      lastError: note.slice(0, 500),
      ...(notPosted ? noAttempt : {}),
    });
  }
  redirect(id: number, target: OutboxTarget, message: MessageView, now: Date, lease?: Date) {
    // Nothing was posted to the refused target, and the fallback target has never been tried.
    return this.held(id, lease, {
      targetKind: target.kind,
      targetId: target.id,
      payload: JSON.stringify(message),
      fallback: null,
      nextAttemptAt: now,
      leaseUntil: null,
      attempts: 0,
      attemptStartedAt: null,
    });
  }
  markSuperseded(id: number, lease?: Date) {
    return this.held(id, lease, { status: 'superseded', leaseUntil: null });
  }
  async hasNewerVersion(refKey: string, id: number) {
    return (await this.db.outboxMessage.count({ where: { refKey, id: { gt: id }, status: 'pending' } })) > 0;
  }
  markFailed(id: number, error: string, lease?: Date) {
    return this.held(id, lease, { status: 'failed', leaseUntil: null, lastError: error.slice(0, 500) });
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
