// What a cycle summary reads, in memory (src/store/evaluation-summary-repo.ts): the cycle and its configuration,
// its participants with names, and the earlier below-threshold outcomes of the same kind; cycles by id or name.
import {
  type CycleKind,
  type EvaluationConfig,
  validateEvaluationConfig,
} from '../../../src/core/evaluations/criteria.js';
import {
  cycleRefOf,
  type PastOutcome,
  type SummaryInput,
  type SummarySource,
  scoresFromStoredResult,
} from '../../../src/core/evaluations/summary.js';
import { type CycleListItem, CycleLookupError } from '../../../src/store/evaluation-summary-repo.js';
import type { MemoryDb } from './db.js';
import { ordered } from './table.js';

export class MemoryEvaluationSummaryRepo implements SummarySource {
  constructor(private readonly db: MemoryDb) {}

  /** By id (digits) or by name; a name used by both a monthly and an annual cycle is ambiguous. */
  async findCycle(ref: string): Promise<{ id: number; kind: CycleKind; name: string }> {
    const wanted = ref.trim();
    const byId = /^\d+$/.test(wanted) ? this.db.evaluationCycle.one((c) => c.id === Number(wanted)) : null;
    const found = byId ? [byId] : this.db.evaluationCycle.rows((c) => c.name === wanted);
    if (found.length === 0) throw new CycleLookupError('not-found', `no evaluation cycle ${wanted}`);
    const list = found.map((c) => `${c.id} (${c.kind})`).join(', ');
    if (found.length > 1)
      throw new CycleLookupError('ambiguous', `${found.length} cycles are named ${wanted}; give the id: ${list}`);
    const { id, kind, name } = found[0]!;
    return { id, kind: kind as CycleKind, name };
  }

  async listCycles(): Promise<CycleListItem[]> {
    const cycles = ordered(this.db.evaluationCycle.rows(), [{ periodStart: 'desc' }, { id: 'desc' }]);
    return cycles.map(({ id, kind, name, status }) => ({
      id,
      kind: kind as CycleKind,
      name,
      status,
      participants: this.db.evaluationParticipant.count({ where: { cycleId: id } }),
    }));
  }

  async configOf(configVersionId: number): Promise<EvaluationConfig> {
    const v = this.db.evaluationConfigVersion.findUniqueOrThrow({ where: { id: configVersionId } });
    return validateEvaluationConfig(JSON.parse(v.content));
  }

  async summaryInput(cycleId: number): Promise<SummaryInput> {
    const {
      id,
      kind: k,
      name,
      periodStart,
      periodEnd,
      status,
      configVersionId,
    } = this.db.evaluationCycle.findUniqueOrThrow({ where: { id: cycleId } });
    const kind = k as CycleKind;
    const config = await this.configOf(configVersionId);
    const rows = this.db.evaluationParticipant.rows((p) => p.cycleId === cycleId);
    const memberName = (mid: number) => this.db.member.one((m) => m.id === mid)?.displayName ?? `#${mid}`;
    const deptName = (did: number) => this.db.department.one((d) => d.id === did)?.name ?? `#${did}`;
    const participants = rows.map(
      ({ id: participantId, memberId, departmentId, stage, overallScore, grade, result }) => ({
        participantId,
        memberId,
        memberName: memberName(memberId),
        departmentId,
        departmentName: departmentId === null ? null : deptName(departmentId),
        stage,
        overallScore,
        grade,
        ...scoresFromStoredResult(result, config.supervision?.dimension),
      }),
    );
    return {
      cycle: { id, kind, name, periodStart, periodEnd, status },
      config,
      participants,
      history: this.history(kind, periodStart, new Set(rows.map((r) => r.memberId)), config),
    };
  }

  /**
   * The below-threshold outcomes of these members in the last `consecutiveCycles` earlier cycles of the kind: a
   * passing or missing score breaks a streak either way, so only those can make one.
   */
  private history(kind: CycleKind, before: Date, members: Set<number>, config: EvaluationConfig): PastOutcome[] {
    const { consecutiveCycles, belowScore } = config.positionReview;
    const earlier = ordered(
      this.db.evaluationCycle.rows((c) => c.kind === kind && c.periodStart < before),
      [{ periodStart: 'desc' }],
    ).slice(0, consecutiveCycles);
    const refs = new Map(earlier.map((c) => [c.id, cycleRefOf(kind, c.periodStart, c.periodEnd)]));
    const below = (p: { overallScore: number | null }) => p.overallScore !== null && p.overallScore < belowScore;
    return this.db.evaluationParticipant
      .rows((p) => refs.has(p.cycleId) && members.has(p.memberId) && below(p))
      .map((p) => ({ memberId: p.memberId, cycle: refs.get(p.cycleId)!, overall: p.overallScore! }));
  }
}
