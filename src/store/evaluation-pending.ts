// What waits for a member in the open evaluation cycles: their own steps, their reports' steps, the answers
// asked of them as a peer, the nominations they decide, and the annual reviews awaiting them.
import type { Db } from './database.js';
import { toNomination, toParticipant } from './evaluation-rows.js';

export async function pendingFor(db: Db, memberId: number) {
  const openCycles = await db.evaluationCycle.findMany({
    where: { status: 'open' },
    select: { id: true, kind: true },
  });
  const open = openCycles.map((c) => c.id);
  if (open.length === 0) return { asMember: [], asSupervisor: [], asPeer: [], toDecide: [], awaiting: [] };
  const inOpen = { cycleId: { in: open } };
  const annual = openCycles.filter((c) => c.kind === 'annual').map((c) => c.id);
  const [asMember, asSupervisor, approved, proposed, awaiting] = await Promise.all([
    db.evaluationParticipant.findMany({
      where: { ...inOpen, memberId, stage: { in: ['self', 'acknowledge'] } },
      orderBy: { id: 'asc' },
    }),
    db.evaluationParticipant.findMany({
      where: {
        ...inOpen,
        supervisorId: memberId,
        OR: [{ stage: 'review' }, { stage: 'supervisor', supervisorAt: null }],
      },
      orderBy: { id: 'asc' },
    }),
    db.peerNomination.findMany({ where: { peerId: memberId, status: 'approved' } }),
    db.peerNomination.findMany({ where: { status: 'proposed' } }),
    db.evaluationParticipant.findMany({
      where: {
        cycleId: { in: annual },
        supervisorId: memberId,
        OR: [
          { stage: 'supervisor', supervisorAt: { not: null } },
          { customerFacing: true, stage: { in: ['self', 'supervisor'] } },
        ],
      },
      orderBy: { id: 'asc' },
    }),
  ]);
  const [asPeer, supervised] = await Promise.all([
    unansweredAsPeer(db, memberId, open, approved),
    stillDecidable(db, memberId, open, proposed),
  ]);
  return {
    asMember: asMember.map(toParticipant),
    asSupervisor: asSupervisor.map(toParticipant),
    asPeer: asPeer.map(toParticipant),
    toDecide: proposed.filter((n) => supervised.has(n.participantId)).map(toNomination),
    awaiting: awaiting.map(toParticipant),
  };
}

type Nomination = { participantId: number };

/** The participants whose approved peer `memberId` is and has not answered yet. */
async function unansweredAsPeer(db: Db, memberId: number, open: number[], approved: Nomination[]) {
  const answered = new Set(
    (
      await db.evaluationSubmission.findMany({
        where: {
          raterKind: 'peer',
          raterMemberId: memberId,
          participantId: { in: approved.map((n) => n.participantId) },
        },
        select: { participantId: true },
      })
    ).map((s) => s.participantId),
  );
  const peerIds = approved.filter((n) => !answered.has(n.participantId)).map((n) => n.participantId);
  return db.evaluationParticipant.findMany({
    where: { cycleId: { in: open }, id: { in: peerIds }, stage: { in: ['self', 'supervisor'] } },
    orderBy: { id: 'asc' },
  });
}

/**
 * Which of the proposed nominations' participants `memberId` supervises while they still take answers: once
 * scored, an undecided nomination can no longer be decided.
 */
async function stillDecidable(db: Db, memberId: number, open: number[], proposed: Nomination[]) {
  if (proposed.length === 0) return new Set<number>();
  const rows = await db.evaluationParticipant.findMany({
    where: {
      cycleId: { in: open },
      supervisorId: memberId,
      id: { in: proposed.map((n) => n.participantId) },
      stage: { in: ['self', 'supervisor'] },
    },
    select: { id: true },
  });
  return new Set(rows.map((p) => p.id));
}
