// Status answers in memory (src/store/status-repo.ts): the same aggregates as the SQL ones (AVG leaves out
// nulls and is null over none, rounded to one decimal), open findings by severity, the oldest open first.
import type { DepartmentStatus, FindingRow, StatusRepo } from '../../../src/core/status/types.js';
import type { Finding } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';
import { compare, ordered } from './table.js';

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
function average(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}
const ROW = ['id', 'description', 'severity', 'status', 'departmentId', 'responsibleMemberId', 'createdAt'] as const;
const rowOf = (f: Finding) => Object.fromEntries(ROW.map((k) => [k, f[k]])) as unknown as FindingRow;

export class MemoryStatusRepo implements StatusRepo {
  constructor(private readonly db: MemoryDb) {}

  async departmentStatus(departmentId: number | null): Promise<DepartmentStatus> {
    const inDept = (r: { departmentId: number }) => departmentId === null || r.departmentId === departmentId;
    const inspections = this.db.inspection.rows(inDept);
    const scores = this.db.inspectionDimensionScore.rows(inDept);
    const open = this.oldestFirst((f) => inDept(f) && f.status === 'open');
    const dimensions = [...new Set(scores.map((s) => s.dimensionKey))].sort(compare);
    const severities = [...new Set(open.map((f) => f.severity))].sort(compare);
    const last = inspections
      .map((i) => i.submittedAt)
      .sort(compare)
      .at(-1);
    return {
      inspections: inspections.length,
      lastInspectionAt: last ?? null,
      averageOverall: round1(average(inspections.map((i) => i.overallScore))),
      dimensionAverages: dimensions.map((dimensionKey) => ({
        dimensionKey,
        average: round1(average(scores.filter((s) => s.dimensionKey === dimensionKey).map((s) => s.score))),
      })),
      openBySeverity: severities.map((severity) => ({
        severity,
        count: open.filter((f) => f.severity === severity).length,
      })),
      oldestOpen: open[0] ? rowOf(open[0]) : null,
    };
  }

  async findings(filter: { departmentId: number | null; status: 'open' | 'all'; limit: number }) {
    const rows = this.oldestFirst(
      (f) =>
        (filter.departmentId === null || f.departmentId === filter.departmentId) &&
        (filter.status === 'all' || f.status === 'open'),
    );
    return { rows: rows.slice(0, filter.limit).map(rowOf), total: rows.length };
  }

  private oldestFirst(match: (f: Finding) => boolean): Finding[] {
    return ordered(this.db.finding.rows(match), [{ createdAt: 'asc' }, { id: 'asc' }]);
  }
}
