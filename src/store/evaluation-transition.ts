// One step of an evaluation participant (an answer, a score, a nomination, a decision, an acknowledgement),
// applied only on the version and stage it was taken at, with its messages, in one transaction.
import type { ParticipantTransition, TransitionOutcome } from '../core/evaluations/cycles/types.js';
import { bumpsVersion } from '../core/evaluations/cycles/types.js';
import type { Db, Tx } from './database.js';
import { isUniqueViolation } from './errors.js';
import { toParticipant } from './evaluation-rows.js';
import { enqueueInTx } from './outbox-repo.js';

class StaleTransition extends Error {}
class InviteRefused extends Error {
  constructor(readonly reason: 'used' | 'expired') {
    super(reason);
  }
}

export async function transition(db: Db, input: ParticipantTransition, now: Date): Promise<TransitionOutcome> {
  try {
    return await db.$transaction(async (tx): Promise<TransitionOutcome> => {
      const p = await tx.evaluationParticipant.findUnique({
        where: { id: input.participantId },
        select: { cycleId: true },
      });
      if (!p) return { ok: false, reason: 'stale' };
      const open = await tx.evaluationCycle.count({ where: { id: p.cycleId, status: 'open' } });
      if (open !== 1) return { ok: false, reason: 'closed' };
      if (!(await updateParticipant(tx, input))) return { ok: false, reason: 'stale' };
      if (input.spendInvite) await spendInvite(tx, input.spendInvite.id, now);
      await writeAnswersAndNominations(tx, input, now);
      await enqueueInTx(tx, input.outbox, now);
      const row = await tx.evaluationParticipant.findUniqueOrThrow({ where: { id: input.participantId } });
      return { ok: true, participant: toParticipant(row) };
    });
  } catch (e) {
    if (e instanceof StaleTransition) return { ok: false, reason: 'stale' };
    if (e instanceof InviteRefused) return { ok: false, reason: e.reason };
    if (isUniqueViolation(e)) return { ok: false, reason: 'duplicate' };
    throw e;
  }
}

/** The participant's patch, conditional on the version and stage the step was taken at; false if stale. */
async function updateParticipant(tx: Tx, input: ParticipantTransition): Promise<boolean> {
  const { result, ...rest } = input.patch;
  const where = {
    id: input.participantId,
    ...(input.expectedVersion !== undefined ? { version: input.expectedVersion } : {}),
    ...(input.expectedStages ? { stage: { in: input.expectedStages } } : {}),
  };
  const data = {
    ...rest,
    ...(result !== undefined ? { result: result === null ? null : JSON.stringify(result) } : {}),
    ...(bumpsVersion(input) ? { version: { increment: 1 } } : {}),
  };
  // Always an update, even with nothing to change (a nomination, a peer's answer): on PostgreSQL it locks
  // the row, so that a score and an answer racing it are applied one after the other, and the second
  // sees the first (a score then finds the answer count changed; an answer finds the stage moved on).
  const { count } = await tx.evaluationParticipant.updateMany({
    where,
    data: Object.keys(data).length > 0 ? data : { version: { increment: 0 } },
  });
  return count === 1;
}

/**
 * The one conditional update that spends a customer's link: of two racing submissions, one matches no row,
 * and its whole transition is rolled back.
 */
async function spendInvite(tx: Tx, id: number, now: Date): Promise<void> {
  const spent = await tx.customerInvite.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (spent.count === 1) return;
  const current = await tx.customerInvite.findUnique({ where: { id }, select: { usedAt: true } });
  throw new InviteRefused(current?.usedAt ? 'used' : 'expired');
}

async function writeAnswersAndNominations(tx: Tx, input: ParticipantTransition, now: Date): Promise<void> {
  if (input.submission) {
    const s = input.submission;
    await tx.evaluationSubmission.create({
      data: {
        participantId: input.participantId,
        raterKind: s.raterKind,
        raterKey: s.raterKey,
        raterMemberId: s.raterMemberId,
        raterLabel: s.raterLabel,
        scores: JSON.stringify(s.scores),
        comments: JSON.stringify(s.comments),
        submittedAt: s.submittedAt,
      },
      select: { id: true },
    });
  }
  if (input.expectedSubmissions !== undefined) {
    const answers = await tx.evaluationSubmission.count({ where: { participantId: input.participantId } });
    if (answers !== input.expectedSubmissions) throw new StaleTransition();
  }
  for (const peerId of input.nominate ?? [])
    await tx.peerNomination.create({
      data: { participantId: input.participantId, peerId, status: 'proposed', createdAt: now },
      select: { id: true },
    });
  if (input.decide) {
    const d = input.decide;
    const { count: decided } = await tx.peerNomination.updateMany({
      where: { id: d.nominationId, status: 'proposed' },
      data: { status: d.status, decidedById: d.decidedById, decidedAt: d.decidedAt },
    });
    if (decided !== 1) throw new StaleTransition();
  }
}
