import type { DepartmentStatus, FindingRow, StatusRepo } from '../core/status/types.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';
import type { Rows } from './hot-rows.js';

const round1 = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 10) / 10);

/** AVG comes back as a number, or as a Decimal from PostgreSQL for some column types. */
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

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
  constructor(
    private readonly db: Db,
    private readonly rows: Rows,
  ) {}

  async departmentStatus(departmentId: number | null): Promise<DepartmentStatus> {
    // Raw statements (the same SQL on both databases): the client's aggregate and groupBy cost several
    // times the query itself on this path, which every `status` takes (bench/ingress.ts).
    const dept = departmentId === null ? Prisma.empty : Prisma.sql`"departmentId" = ${departmentId} AND`;
    const [[agg], dims, open, [oldest]] = await Promise.all([
      this.rows<{
        n: bigint | number;
        avg: unknown;
        last: Date | string | null;
      }>`SELECT COUNT(*) AS "n", AVG("overallScore") AS "avg", MAX("submittedAt") AS "last" FROM "Inspection" WHERE ${dept} 1 = 1`,
      this.rows<{
        dimensionKey: string;
        avg: unknown;
      }>`SELECT "dimensionKey", AVG("score") AS "avg" FROM "InspectionDimensionScore" WHERE ${dept} 1 = 1 GROUP BY "dimensionKey" ORDER BY "dimensionKey"`,
      this.rows<{
        severity: string;
        n: bigint | number;
      }>`SELECT "severity", COUNT(*) AS "n" FROM "Finding" WHERE ${dept} "status" = 'open' GROUP BY "severity" ORDER BY "severity"`,
      this
        .rows<FindingRow>`SELECT "id", "description", "severity", "status", "departmentId", "responsibleMemberId", "createdAt" FROM "Finding" WHERE ${dept} "status" = 'open' ORDER BY "createdAt", "id" LIMIT 1`,
    ]);
    return {
      inspections: Number(agg?.n ?? 0),
      // SQLite gives an aggregate of a DateTime column back as its stored text; PostgreSQL as a timestamp.
      lastInspectionAt: agg?.last ? new Date(agg.last) : null,
      averageOverall: round1(numberOrNull(agg?.avg)),
      dimensionAverages: dims.map((d) => ({ dimensionKey: d.dimensionKey, average: round1(numberOrNull(d.avg)) })),
      openBySeverity: open.map((o) => ({ severity: o.severity, count: Number(o.n) })),
      oldestOpen: oldest ?? null,
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
