import type { DepartmentStatus, FindingRow, StatusRepo } from '../core/status/types.js';
import type { Db } from './database.js';

const round1 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);

const findingSelect = {
  id: true,
  description: true,
  severity: true,
  status: true,
  departmentId: true,
  responsibleMemberId: true,
  createdAt: true,
} as const;

/** Status answers straight from the database, each an indexed aggregate (see bench/status.ts). */
export class PrismaStatusRepo implements StatusRepo {
  constructor(private readonly db: Db) {}

  async departmentStatus(departmentId: number | null): Promise<DepartmentStatus> {
    const where = departmentId === null ? {} : { departmentId };
    const open = { ...where, status: 'open' };
    const [agg, dims, bySeverity, oldest] = await Promise.all([
      this.db.inspection.aggregate({
        where,
        _count: { _all: true },
        _avg: { overallScore: true },
        _max: { submittedAt: true },
      }),
      this.db.inspectionDimensionScore.groupBy({
        by: ['dimensionKey'],
        where,
        _avg: { score: true },
        orderBy: { dimensionKey: 'asc' },
      }),
      this.db.finding.groupBy({
        by: ['severity'],
        where: open,
        _count: { _all: true },
        orderBy: { severity: 'asc' },
      }),
      this.db.finding.findFirst({ where: open, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: findingSelect }),
    ]);
    return {
      inspections: agg._count._all,
      lastInspectionAt: agg._max.submittedAt,
      averageOverall: round1(agg._avg.overallScore),
      dimensionAverages: dims.map((d) => ({ dimensionKey: d.dimensionKey, average: round1(d._avg.score) })),
      openBySeverity: bySeverity.map((o) => ({ severity: o.severity, count: o._count._all })),
      oldestOpen: (oldest as FindingRow | null) ?? null,
    };
  }

  async findings(filter: { departmentId: number | null; status: 'open' | 'all'; limit: number }) {
    const where = {
      ...(filter.departmentId === null ? {} : { departmentId: filter.departmentId }),
      ...(filter.status === 'open' ? { status: 'open' } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.finding.findMany({
        where,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: filter.limit,
        select: findingSelect,
      }),
      this.db.finding.count({ where }),
    ]);
    return { rows: rows as FindingRow[], total };
  }
}
