// Customer invites (one-time signed links). The answers a link carries are saved, and the invite spent, by
// EvaluationCycleService.recordCustomerSubmission through the evaluation repo's transition.

import { type CycleKind, validateEvaluationConfig } from '../core/evaluations/criteria.js';
import type {
  CustomerLinkRepo,
  LinkParticipant,
  NewInvite,
  StoredInvite,
} from '../core/evaluations/customer-link-issuer.js';
import type { Stage } from '../core/evaluations/cycles/types.js';
import type { Db } from './database.js';

export class PrismaCustomerLinkRepo implements CustomerLinkRepo {
  constructor(private readonly db: Db) {}

  async participant(participantId: number): Promise<LinkParticipant | null> {
    const p = await this.db.evaluationParticipant.findUnique({
      where: { id: participantId },
      select: { id: true, memberId: true, cycleId: true, customerFacing: true, stage: true },
    });
    if (!p) return null;
    const [member, cycle, answered] = await Promise.all([
      this.db.member.findUnique({ where: { id: p.memberId }, select: { displayName: true } }),
      this.db.evaluationCycle.findUnique({
        where: { id: p.cycleId },
        select: { kind: true, name: true, status: true, configVersionId: true },
      }),
      this.db.evaluationSubmission.findMany({
        where: { participantId: p.id, raterKind: 'customer' },
        select: { raterKey: true },
      }),
    ]);
    if (!member || !cycle) return null;
    const version = await this.db.evaluationConfigVersion.findUnique({
      where: { id: cycle.configVersionId },
      select: { content: true },
    });
    if (!version) return null;
    return {
      participantId: p.id,
      memberName: member.displayName,
      cycleKind: cycle.kind as CycleKind,
      cycleName: cycle.name,
      cycleStatus: cycle.status,
      customerFacing: p.customerFacing,
      stage: p.stage as Stage,
      config: validateEvaluationConfig(JSON.parse(version.content)),
      customerKeys: answered.map((s) => s.raterKey),
    };
  }

  async createInvite(row: NewInvite) {
    const r = await this.db.customerInvite.create({ data: row, select: { id: true } });
    return { id: r.id };
  }

  async inviteByHash(tokenHash: string): Promise<StoredInvite | null> {
    return this.db.customerInvite.findUnique({
      where: { tokenHash },
      select: { id: true, participantId: true, customerName: true, expiresAt: true, usedAt: true },
    });
  }
}
