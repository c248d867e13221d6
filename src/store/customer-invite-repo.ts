// Customer invites (one-time signed links) and the submissions they carry.
import type { CustomerLinkRepo, LinkParticipant, SaveOutcome, StoredInvite } from '../core/evaluations/customer-link.js';
import { validateEvaluationConfig, type CycleKind } from '../core/evaluations/criteria.js';
import type { Db } from './database.js';

class Rollback extends Error {
  constructor(readonly outcome: SaveOutcome) {
    super(outcome);
  }
}

export class PrismaCustomerLinkRepo implements CustomerLinkRepo {
  constructor(private readonly db: Db) {}

  async participant(participantId: number): Promise<LinkParticipant | null> {
    const p = await this.db.evaluationParticipant.findUnique({ where: { id: participantId }, select: { id: true, memberId: true, cycleId: true, customerFacing: true } });
    if (!p) return null;
    const [member, cycle] = await Promise.all([
      this.db.member.findUnique({ where: { id: p.memberId }, select: { displayName: true } }),
      this.db.evaluationCycle.findUnique({ where: { id: p.cycleId }, select: { kind: true, name: true, status: true, configVersionId: true } }),
    ]);
    if (!member || !cycle) return null;
    const version = await this.db.evaluationConfigVersion.findUnique({ where: { id: cycle.configVersionId }, select: { content: true } });
    if (!version) return null;
    return {
      participantId: p.id,
      memberName: member.displayName,
      cycleKind: cycle.kind as CycleKind,
      cycleName: cycle.name,
      cycleStatus: cycle.status,
      customerFacing: p.customerFacing,
      config: validateEvaluationConfig(JSON.parse(version.content)),
    };
  }

  async createInvite(row: { participantId: number; customerName: string; tokenHash: string; expiresAt: Date; createdById: number; createdAt: Date }) {
    const r = await this.db.customerInvite.create({ data: row, select: { id: true } });
    return { id: r.id };
  }

  async inviteByHash(tokenHash: string): Promise<StoredInvite | null> {
    return this.db.customerInvite.findUnique({ where: { tokenHash }, select: { id: true, participantId: true, customerName: true, expiresAt: true, usedAt: true } });
  }

  async saveCustomerSubmission(invite: StoredInvite, answers: { scores: Record<string, number>; comments: Record<string, string> }, now: Date): Promise<SaveOutcome> {
    try {
      return await this.db.$transaction(async (tx) => {
        // The one conditional update that spends the link: of two racing submissions, one matches no row.
        const { count } = await tx.customerInvite.updateMany({ where: { id: invite.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
        if (count !== 1) {
          const current = await tx.customerInvite.findUnique({ where: { id: invite.id }, select: { usedAt: true } });
          throw new Rollback(current?.usedAt ? 'used' : 'expired');
        }
        const p = await tx.evaluationParticipant.findUnique({ where: { id: invite.participantId }, select: { cycleId: true } });
        const cycle = p && (await tx.evaluationCycle.findUnique({ where: { id: p.cycleId }, select: { status: true } }));
        if (cycle?.status !== 'open') throw new Rollback('closed');
        await tx.evaluationSubmission.create({
          data: {
            participantId: invite.participantId,
            raterKind: 'customer',
            raterKey: `c:${invite.id}`,
            raterLabel: invite.customerName,
            scores: JSON.stringify(answers.scores),
            comments: JSON.stringify(answers.comments),
            submittedAt: now,
          },
        });
        return 'saved' as const;
      });
    } catch (e) {
      if (e instanceof Rollback) return e.outcome;
      throw e;
    }
  }
}
