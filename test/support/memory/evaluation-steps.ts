// The writes of evaluation cycles in memory (src/store/evaluation-cycles.ts, evaluation-transition.ts): a
// cycle with its participants and messages, and a participant's step, each one transaction that applies only
// on the version and stage it was taken at, or writes nothing.
import {
  bumpsVersion,
  type CycleRecord,
  type NewCycle,
  type NewParticipant,
  type ParticipantRecord,
  type ParticipantTransition,
  type TransitionFailure,
  type TransitionOutcome,
} from '../../../src/core/evaluations/cycles/types.js';
import type { OutboxItem } from '../../../src/core/ports.js';
import type { EvaluationParticipant } from '../../../src/generated/sqlite/client.js';
import { toCycle, toParticipant } from '../../../src/store/evaluation-rows.js';
import type { MemoryDb } from './db.js';
import { queueInTx } from './outbox.js';
import { UniqueViolation } from './table.js';

type Compose = (c: CycleRecord, p: ParticipantRecord[]) => OutboxItem[];

/** A step refused part way: everything it wrote is put back. */
class Refused extends Error {
  constructor(readonly reason: TransitionFailure) {
    super(reason);
  }
}

/** Participants of `cycleId` (those of `memberIds` only, when given), by id, as the core sees them. */
const membersOf = (db: MemoryDb, cycleId: number, memberIds?: number[]) =>
  db.evaluationParticipant
    .rows((p) => p.cycleId === cycleId && (!memberIds || memberIds.includes(p.memberId)))
    .map(toParticipant);

function addParticipants(db: MemoryDb, cycleId: number, people: NewParticipant[], now: Date) {
  // Reminders are looked at from the start: the sweep works out the first reminder time.
  for (const p of people) db.evaluationParticipant.add({ ...p, cycleId, stage: 'self', nextReminderAt: now });
}

export function openCycle(db: MemoryDb, cycle: NewCycle, people: NewParticipant[], outbox: Compose, now: Date) {
  try {
    return db.atomically(() => {
      const row = db.evaluationCycle.add({
        ...cycle,
        departmentIds: JSON.stringify(cycle.departmentIds),
        status: 'open',
      });
      addParticipants(db, row.id, people, now);
      const created = toCycle(row);
      queueInTx(db, outbox(created, membersOf(db, row.id)), now);
      return created;
    });
  } catch (e) {
    if (e instanceof UniqueViolation) return 'exists' as const;
    throw e;
  }
}

export function extendCycle(
  db: MemoryDb,
  cycleId: number,
  departmentIds: number[],
  people: NewParticipant[],
  outbox: Compose,
  now: Date,
) {
  return db.atomically(() => {
    const have = new Set(membersOf(db, cycleId).map((p) => p.memberId));
    const [cycle] = db.evaluationCycle.set((c) => c.id === cycleId && c.status === 'open', {
      departmentIds: JSON.stringify(departmentIds),
    });
    if (!cycle) return 'closed' as const;
    const fresh = people.filter((p) => !have.has(p.memberId));
    if (fresh.length === 0) return [];
    addParticipants(db, cycleId, fresh, now);
    const added = membersOf(
      db,
      cycleId,
      fresh.map((p) => p.memberId),
    );
    queueInTx(db, outbox(toCycle(cycle), added), now);
    return added;
  });
}

export function closeCycle(db: MemoryDb, id: number, now: Date, outbox?: (cycle: CycleRecord) => OutboxItem[]) {
  return db.atomically(() => {
    const [closed] = db.evaluationCycle.set((c) => c.id === id && c.status === 'open', {
      status: 'closed',
      closedAt: now,
    });
    if (!closed) return false;
    db.evaluationParticipant.set((p) => p.cycleId === id, { nextReminderAt: null });
    if (outbox) queueInTx(db, outbox(toCycle(closed)), now);
    return true;
  });
}

export function transition(db: MemoryDb, input: ParticipantTransition, now: Date): TransitionOutcome {
  try {
    return db.atomically(() => {
      const { participantId: id, expectedVersion, expectedStages } = input;
      const p = db.evaluationParticipant.one((r) => r.id === id);
      if (!p) throw new Refused('stale');
      if (!db.evaluationCycle.one((c) => c.id === p.cycleId && c.status === 'open')) throw new Refused('closed');
      const { result, ...rest } = input.patch;
      const at = (r: EvaluationParticipant) =>
        r.id === id &&
        (expectedVersion === undefined || r.version === expectedVersion) &&
        (!expectedStages || (expectedStages as string[]).includes(r.stage));
      const [row] = db.evaluationParticipant.set(at, (r) => ({
        ...rest,
        ...(result !== undefined ? { result: result && JSON.stringify(result) } : {}),
        version: r.version + (bumpsVersion(input) ? 1 : 0),
      }));
      if (!row) throw new Refused('stale');
      if (input.spendInvite) spendInvite(db, input.spendInvite.id, now);
      answersAndNominations(db, input, now);
      queueInTx(db, input.outbox, now);
      return { ok: true, participant: toParticipant(db.evaluationParticipant.one((r) => r.id === id)!) };
    });
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason };
    if (e instanceof UniqueViolation) return { ok: false, reason: 'duplicate' };
    throw e;
  }
}

/** A customer's link is spent once, and only before it expires. */
function spendInvite(db: MemoryDb, id: number, now: Date) {
  const spent = db.customerInvite.set((i) => i.id === id && i.usedAt === null && i.expiresAt > now, { usedAt: now });
  if (spent.length === 1) return;
  throw new Refused(db.customerInvite.one((i) => i.id === id)?.usedAt ? 'used' : 'expired');
}

function answersAndNominations(
  db: MemoryDb,
  { participantId, submission, ...input }: ParticipantTransition,
  now: Date,
) {
  if (submission) {
    const { scores, comments } = submission;
    db.evaluationSubmission.add({
      ...submission,
      participantId,
      scores: JSON.stringify(scores),
      comments: JSON.stringify(comments),
    });
  }
  if (input.expectedSubmissions !== undefined) {
    const answers = db.evaluationSubmission.count({ where: { participantId } });
    if (answers !== input.expectedSubmissions) throw new Refused('stale');
  }
  for (const peerId of input.nominate ?? [])
    db.peerNomination.add({ participantId, peerId, status: 'proposed', createdAt: now });
  if (input.decide) {
    const { nominationId, ...decision } = input.decide;
    const decided = db.peerNomination.set((n) => n.id === nominationId && n.status === 'proposed', decision);
    if (decided.length !== 1) throw new Refused('stale');
  }
}
