// The outbox in memory (src/store/outbox-repo.ts): rows as the Prisma store writes them, a dedupe key taken
// once, leases that only their holder may use, and the enqueue that ends every other repository's transaction.
import type {
  ClaimedOutboxItem,
  FailedOutboxRow,
  OutboxClaimant,
  OutboxItem,
  OutboxRepo,
  OutboxTarget,
  Platform,
} from '../../../src/core/ports.js';
import type { MessageView } from '../../../src/core/views/types.js';
import type { OutboxMessage } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';
import { type Data, UniqueViolation } from './table.js';

/** The row of one message: the payload is the view's JSON, or {"job", "message"} for a file to make. */
function rowOf({ dedupeKey, platform, target, message, job, refKey, updateOnly, fallback }: OutboxItem, now: Date) {
  const payload = JSON.stringify(job ? { job, message } : message);
  const card = { refKey: refKey ?? null, updateOnly: updateOnly ?? false };
  const to = { targetKind: target.kind, targetId: target.id, fallback: fallback ? JSON.stringify(fallback) : null };
  return { dedupeKey, platform, payload, nextAttemptAt: now, createdAt: now, ...to, ...card };
}

/** A claimed row as the dispatcher gets it: the payload and fallback read back, the optional parts only when set. */
function claimedOf(r: OutboxMessage, lease: Date): ClaimedOutboxItem {
  const parsed = JSON.parse(r.payload) as MessageView | { job: NonNullable<OutboxItem['job']>; message: MessageView };
  const body =
    'job' in parsed && parsed.job && typeof parsed.job === 'object' ? parsed : { message: parsed as MessageView };
  const target = { kind: r.targetKind, id: r.targetId } as OutboxTarget;
  return Object.assign(
    { id: r.id, attempts: r.attempts, lease, platform: r.platform as Platform, target, dedupeKey: r.dedupeKey },
    body,
    r.refKey ? { refKey: r.refKey, updateOnly: r.updateOnly } : {},
    r.fallback ? { fallback: JSON.parse(r.fallback) as OutboxItem['fallback'] } : {},
    r.attemptStartedAt ? { attemptStartedAt: r.attemptStartedAt } : {},
  );
}

/**
 * Writes messages inside a transaction (enqueueInTx): an older version of the same card still waiting and not
 * being sent is superseded, and if it was to post the card, the new one posts it instead. A dedupe key taken
 * already throws, failing the whole transaction, as the database's createMany does.
 */
export function queueInTx(db: MemoryDb, items: OutboxItem[], now: Date): void {
  const refs = new Set(items.flatMap((m) => (m.refKey ? [m.refKey] : [])));
  const waiting = (r: OutboxMessage) =>
    r.refKey !== null && refs.has(r.refKey) && r.status === 'pending' && (r.leaseUntil === null || r.leaseUntil < now);
  const mustPost = new Set(
    db.outboxMessage.set(waiting, { status: 'superseded' }).flatMap((o) => (o.updateOnly ? [] : [o.refKey!])),
  );
  for (const m of items)
    db.outboxMessage.add(rowOf(m.refKey && mustPost.has(m.refKey) ? { ...m, updateOnly: false } : m, now));
}

const cut = (text: string) => text.slice(0, 500);

export class MemoryOutboxRepo implements OutboxRepo {
  constructor(private readonly db: MemoryDb) {}

  async enqueue(items: OutboxItem[], now: Date) {
    for (const m of items)
      try {
        this.db.outboxMessage.add(rowOf(m, now));
      } catch (e) {
        if (!(e instanceof UniqueViolation)) throw e;
      }
  }

  async claimDue(now: Date, limit: number, leaseMs: number, platforms: Platform[], claimant?: OutboxClaimant) {
    // A row held by an instance that stopped beating (it died) is free before its lease runs out.
    const live = new Set(
      this.db.outboxInstance.rows((i) => i.heartbeatAt >= (claimant?.staleBefore ?? now)).map((i) => i.id),
    );
    const free = (r: OutboxMessage) =>
      r.leaseUntil === null || r.leaseUntil < now || (!!claimant && r.claimedBy !== null && !live.has(r.claimedBy));
    const due = (r: OutboxMessage) =>
      r.status === 'pending' && r.nextAttemptAt <= now && platforms.includes(r.platform as Platform) && free(r);
    const lease = new Date(now.getTime() + leaseMs);
    const ids = new Set(
      this.db.outboxMessage
        .rows(due)
        .slice(0, limit)
        .map((r) => r.id),
    );
    return this.db.outboxMessage
      .set(
        (r) => ids.has(r.id),
        (r) => ({ leaseUntil: lease, claimedBy: claimant?.id ?? null, attempts: r.attempts + 1 }),
      )
      .map((r) => claimedOf(r, lease));
  }

  /** One conditional write: only while the row is pending and (given a lease) still held with it. */
  private held(
    id: number,
    lease: Date | undefined,
    data: Data<OutboxMessage> | ((r: OutboxMessage) => Data<OutboxMessage>),
  ) {
    const mine = (r: OutboxMessage) =>
      r.id === id && r.status === 'pending' && (!lease || r.leaseUntil?.getTime() === lease.getTime());
    return this.db.outboxMessage.set(mine, data).length === 1;
  }

  async renewLease(id: number, lease: Date, now: Date, leaseMs: number) {
    const next = new Date(Math.max(now.getTime() + leaseMs, lease.getTime() + 1));
    return this.held(id, lease, { leaseUntil: next }) ? next : null;
  }
  async markAttempt(id: number, now: Date, lease?: Date) {
    return this.held(id, lease, (r) => ({ attemptStartedAt: r.attemptStartedAt ?? now }));
  }
  async markSent(id: number, now: Date, lease?: Date) {
    const done = { leaseUntil: null, lastError: null, attemptStartedAt: null };
    return this.held(id, lease, { status: 'sent', sentAt: now, ...done });
  }
  async markRetry(id: number, nextAttemptAt: Date, error: string, lease?: Date, notPosted = false) {
    const attempt = notPosted ? { attemptStartedAt: null } : {};
    return this.held(id, lease, { nextAttemptAt, leaseUntil: null, lastError: cut(error), ...attempt });
  }
  async release(id: number, nextAttemptAt: Date, note: string, lease?: Date, notPosted = false) {
    const attempt = notPosted ? { attemptStartedAt: null } : {};
    return this.held(id, lease, (r) => ({
      nextAttemptAt,
      leaseUntil: null,
      attempts: r.attempts - 1,
      lastError: cut(note),
      ...attempt,
    }));
  }
  async redirect(id: number, target: OutboxTarget, message: MessageView, now: Date, lease?: Date) {
    const to = { targetKind: target.kind, targetId: target.id, payload: JSON.stringify(message), fallback: null };
    return this.held(id, lease, { ...to, nextAttemptAt: now, leaseUntil: null, attempts: 0, attemptStartedAt: null });
  }
  async markSuperseded(id: number, lease?: Date) {
    return this.held(id, lease, { status: 'superseded', leaseUntil: null });
  }
  async markFailed(id: number, error: string, lease?: Date) {
    return this.held(id, lease, { status: 'failed', leaseUntil: null, lastError: cut(error) });
  }
  async hasNewerVersion(refKey: string, id: number) {
    return this.db.outboxMessage.count({ where: { refKey, id: { gt: id }, status: 'pending' } }) > 0;
  }
  async pendingCount() {
    return this.db.outboxMessage.count({ where: { status: 'pending' } });
  }
  async failedCount() {
    return this.db.outboxMessage.count({ where: { status: 'failed' } });
  }
  async listFailed(limit: number): Promise<FailedOutboxRow[]> {
    return this.db.outboxMessage
      .rows((r) => r.status === 'failed')
      .slice(0, limit)
      .map(({ id, dedupeKey, platform, targetKind, targetId, attempts, createdAt, lastError }) => ({
        id,
        dedupeKey,
        attempts,
        createdAt,
        lastError,
        platform: platform as Platform,
        target: { kind: targetKind, id: targetId } as OutboxTarget,
      }));
  }
  async retryFailed(ids: number[] | null, now: Date) {
    const chosen = (r: OutboxMessage) => r.status === 'failed' && (!ids || ids.includes(r.id));
    return this.db.outboxMessage.set(chosen, { status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null })
      .length;
  }
}
