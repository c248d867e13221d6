// Reads what a cycle summary needs: the cycle, its configuration version, its participants with member and
// department names, and the earlier below-threshold outcomes of the same kind (for the position review).
import { type CycleKind, type EvaluationConfig, validateEvaluationConfig } from '../core/evaluations/criteria.js';
import {
  cycleRefOf,
  type PastOutcome,
  type SummaryInput,
  type SummaryParticipant,
  scoresFromStoredResult,
} from '../core/evaluations/summary.js';
import type { Db } from './database.js';

/** Ids per `IN (…)` list: well below SQLite's and PostgreSQL's bind limits. */
const CHUNK = 500;

export class CycleLookupError extends Error {
  constructor(
    readonly code: 'not-found' | 'ambiguous',
    message: string,
  ) {
    super(message);
    this.name = 'CycleLookupError';
  }
}

export interface CycleListItem {
  id: number;
  kind: CycleKind;
  name: string;
  status: string;
  participants: number;
}

async function chunked<T>(ids: number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

export class PrismaEvaluationSummaryRepo {
  constructor(private readonly db: Db) {}

  /** By id (digits) or by name ("2026-11"); a name used by both a monthly and an annual cycle is ambiguous. */
  async findCycle(ref: string): Promise<{ id: number; kind: CycleKind; name: string }> {
    const trimmed = ref.trim();
    const select = { id: true, kind: true, name: true } as const;
    if (/^\d+$/.test(trimmed)) {
      const byId = await this.db.evaluationCycle.findUnique({ where: { id: Number(trimmed) }, select });
      if (byId) return { ...byId, kind: byId.kind as CycleKind };
    }
    const byName = await this.db.evaluationCycle.findMany({ where: { name: trimmed }, select, orderBy: { id: 'asc' } });
    if (byName.length === 0) throw new CycleLookupError('not-found', `no evaluation cycle ${trimmed}`);
    if (byName.length > 1)
      throw new CycleLookupError(
        'ambiguous',
        `${byName.length} cycles are named ${trimmed}; give the id: ${byName.map((c) => `${c.id} (${c.kind})`).join(', ')}`,
      );
    return { ...byName[0]!, kind: byName[0]!.kind as CycleKind };
  }

  async listCycles(): Promise<CycleListItem[]> {
    const cycles = await this.db.evaluationCycle.findMany({ orderBy: [{ periodStart: 'desc' }, { id: 'desc' }] });
    const counts = await this.db.evaluationParticipant.groupBy({ by: ['cycleId'], _count: { _all: true } });
    const n = new Map(counts.map((c) => [c.cycleId, c._count._all]));
    return cycles.map((c) => ({
      id: c.id,
      kind: c.kind as CycleKind,
      name: c.name,
      status: c.status,
      participants: n.get(c.id) ?? 0,
    }));
  }

  async configOf(configVersionId: number): Promise<EvaluationConfig> {
    const v = await this.db.evaluationConfigVersion.findUniqueOrThrow({ where: { id: configVersionId } });
    return validateEvaluationConfig(JSON.parse(v.content));
  }

  async summaryInput(cycleId: number): Promise<SummaryInput> {
    const c = await this.db.evaluationCycle.findUniqueOrThrow({ where: { id: cycleId } });
    const kind = c.kind as CycleKind;
    const config = await this.configOf(c.configVersionId);
    const rows = await this.db.evaluationParticipant.findMany({
      where: { cycleId },
      select: {
        id: true,
        memberId: true,
        departmentId: true,
        stage: true,
        overallScore: true,
        grade: true,
        result: true,
      },
      orderBy: { id: 'asc' },
    });
    const memberIds = [...new Set(rows.map((r) => r.memberId))];
    const members = await chunked(memberIds, (ids) =>
      this.db.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }),
    );
    const names = new Map(members.map((m) => [m.id, m.displayName]));
    const departments = await this.db.department.findMany({ select: { id: true, name: true } });
    const deptNames = new Map(departments.map((d) => [d.id, d.name]));
    const supervisionDimension = config.supervision?.dimension;

    const participants: SummaryParticipant[] = rows.map((r) => {
      const { dimensions, supervisionPoints } = scoresFromStoredResult(r.result, supervisionDimension);
      return {
        participantId: r.id,
        memberId: r.memberId,
        memberName: names.get(r.memberId) ?? `#${r.memberId}`,
        departmentId: r.departmentId,
        departmentName: r.departmentId === null ? null : (deptNames.get(r.departmentId) ?? `#${r.departmentId}`),
        stage: r.stage,
        overallScore: r.overallScore,
        grade: r.grade,
        dimensions,
        supervisionPoints,
      };
    });

    // Only the outcomes below the threshold can make a streak; a cycle with a passing score or without one
    // breaks it either way, so the rest need not be read. The last `consecutiveCycles` earlier cycles are
    // enough to flag; the streak shown therefore counts at most one more than the threshold.
    const earlier = await this.db.evaluationCycle.findMany({
      where: { kind, periodStart: { lt: c.periodStart } },
      orderBy: { periodStart: 'desc' },
      take: config.positionReview.consecutiveCycles,
      select: { id: true, periodStart: true, periodEnd: true },
    });
    const refs = new Map(earlier.map((e) => [e.id, cycleRefOf(kind, e.periodStart, e.periodEnd)]));
    const history: PastOutcome[] = [];
    if (earlier.length > 0) {
      const past = await chunked(memberIds, (ids) =>
        this.db.evaluationParticipant.findMany({
          where: {
            cycleId: { in: [...refs.keys()] },
            memberId: { in: ids },
            overallScore: { lt: config.positionReview.belowScore },
          },
          select: { cycleId: true, memberId: true, overallScore: true },
        }),
      );
      for (const p of past)
        if (p.overallScore !== null)
          history.push({ memberId: p.memberId, cycle: refs.get(p.cycleId)!, overall: p.overallScore });
    }

    return {
      cycle: { id: c.id, kind, name: c.name, periodStart: c.periodStart, periodEnd: c.periodEnd, status: c.status },
      config,
      participants,
      history,
    };
  }
}
