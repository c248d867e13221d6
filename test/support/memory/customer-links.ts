// Customer invites in memory (src/store/customer-invite-repo.ts): what a link's form needs to know about the
// participant, and invites by the hash of their token (unique).
import { type CycleKind, validateEvaluationConfig } from '../../../src/core/evaluations/criteria.js';
import type * as links from '../../../src/core/evaluations/customer-link-issuer.js';
import type { Stage } from '../../../src/core/evaluations/cycles/types.js';
import type { CustomerInvite } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';

export class MemoryCustomerLinkRepo implements links.CustomerLinkRepo {
  constructor(private readonly db: MemoryDb) {}

  async participant(participantId: number): Promise<links.LinkParticipant | null> {
    const p = this.db.evaluationParticipant.one((r) => r.id === participantId);
    const member = p && this.db.member.one((m) => m.id === p.memberId);
    const cycle = p && this.db.evaluationCycle.one((c) => c.id === p.cycleId);
    const version = cycle && this.db.evaluationConfigVersion.one((v) => v.id === cycle.configVersionId);
    if (!p || !member || !cycle || !version) return null;
    const customerKeys = this.db.evaluationSubmission
      .rows((s) => s.participantId === p.id && s.raterKind === 'customer')
      .map((s) => s.raterKey);
    const { kind, name: cycleName, status: cycleStatus } = cycle;
    const { customerFacing, stage } = p;
    const config = validateEvaluationConfig(JSON.parse(version.content));
    const about = { participantId: p.id, memberName: member.displayName, cycleKind: kind as CycleKind };
    return { ...about, cycleName, cycleStatus, customerFacing, stage: stage as Stage, config, customerKeys };
  }

  async createInvite(row: Omit<CustomerInvite, 'id' | 'usedAt'>) {
    return { id: this.db.customerInvite.add(row).id };
  }

  async inviteByHash(tokenHash: string): Promise<links.StoredInvite | null> {
    const r = this.db.customerInvite.one((i) => i.tokenHash === tokenHash);
    if (!r) return null;
    const { id, participantId, customerName, expiresAt, usedAt } = r;
    return { id, participantId, customerName, expiresAt, usedAt };
  }
}
