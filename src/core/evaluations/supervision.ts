// Points from the supervision record of the member's department (policy A section 5: points added for good
// results and well-handled rectification, deducted for many problems and poor rectification).
import { DateTime } from 'luxon';
import type { Severity } from '../inspections/types.js';
import type { FindingStatus } from '../rectification/types.js';
import type { SupervisionRules } from './criteria.js';

export interface FindingFact {
  /** Cited in the explanation when present. */
  id?: number;
  severity: Severity;
  status: FindingStatus;
  createdAt: Date;
  deadline: Date | null;
  closedAt: Date | null;
  rejectionCount: number;
}

/**
 * The department's findings that may matter to the cycle [periodStart, periodEnd): a superset is fine
 * (e.g. every finding created before periodEnd and not closed before periodStart); each rule picks its own.
 */
export interface SupervisionRecord {
  periodStart: Date;
  periodEnd: Date;
  /**
   * When the record is judged (the scoring time): findings count as they stood at min(asOf, periodEnd), so a
   * cycle scored mid-period does not count a finding due later as overdue. periodEnd when absent.
   */
  asOf?: Date;
  /** The zone the cycle's period is in, for the date the explanation names when judged before periodEnd. */
  zone?: string;
  /** Inspections of the department during the cycle. */
  inspections: number;
  findings: readonly FindingFact[];
}

export type SupervisionRule =
  | 'severity'
  | 'acceptedOnTime'
  | 'acceptedLate'
  | 'openOverdue'
  | 'rejection'
  | 'cleanInspections';

export interface SupervisionRuleLine {
  kind: 'supervision-rule';
  dimensionKey: string;
  rule: SupervisionRule;
  /** With rule 'severity'. */
  severity?: Severity;
  count: number;
  pointsEach: number;
  points: number;
  findingIds: number[];
  /** With rule 'openOverdue' judged before the period's end: the local date (YYYY-MM-DD) it was judged on. */
  asOfDate?: string;
}

export interface SupervisionTotalLine {
  kind: 'supervision-total';
  dimensionKey: string;
  inspections: number;
  /** Sum of the rule lines. */
  raw: number;
  /** What the dimension receives: raw within the cap. */
  points: number;
  capped: boolean;
  cap: { min: number; max: number };
}

export const round1 = (x: number): number => Math.round(Number((x * 10).toFixed(6))) / 10;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

/** The period's findings as each rule counts them, judged at the end of the period or at asOf if sooner. */
function periodFacts(record: SupervisionRecord) {
  const start = record.periodStart.getTime();
  const end = Math.min(record.periodEnd.getTime(), record.asOf?.getTime() ?? Infinity);
  const early = end < record.periodEnd.getTime();
  const within = (d: Date) => d.getTime() >= start && d.getTime() < end;
  // A finding marked accepted without a closing time is taken as closed long ago rather than as open.
  const closedBefore = (f: FindingFact, t: number) =>
    f.status === 'accepted' && (f.closedAt === null || f.closedAt.getTime() < t);

  const recorded = record.findings.filter((f) => within(f.createdAt));
  const accepted = record.findings.filter((f) => f.status === 'accepted' && f.closedAt !== null && within(f.closedAt));
  const onTime = accepted.filter((f) => f.deadline === null || f.closedAt!.getTime() <= f.deadline.getTime());
  const late = accepted.filter((f) => !onTime.includes(f));
  const overdue = record.findings.filter(
    (f) => f.createdAt.getTime() < end && !closedBefore(f, end) && f.deadline !== null && f.deadline.getTime() < end,
  );
  return { end, early, recorded, accepted, onTime, late, overdue };
}

/**
 * Each rule that matched and carries points gives one line (count × points each); the total follows,
 * capped. Every finding is judged as it stood at min(asOf, periodEnd): at periodEnd when scored after the
 * period (re-running later gives the same answer), else at the scoring time, when only deadlines already
 * past can be overdue and only what happened so far counts.
 */
export function supervisionPoints(
  rules: SupervisionRules,
  record: SupervisionRecord,
): { lines: SupervisionRuleLine[]; total: SupervisionTotalLine } {
  const { end, early, recorded, accepted, onTime, late, overdue } = periodFacts(record);
  const dimensionKey = rules.dimension;
  const lines: SupervisionRuleLine[] = [];
  const asOfDate = early
    ? (DateTime.fromMillis(end, { zone: record.zone ?? 'UTC' }).toISODate() ?? undefined)
    : undefined;
  const add = (
    rule: SupervisionRule,
    findings: readonly FindingFact[],
    pointsEach: number,
    count = findings.length,
    severity?: Severity,
  ) => {
    if (count === 0 || pointsEach === 0) return;
    const findingIds = findings.flatMap((f) => (f.id === undefined ? [] : [f.id]));
    const when = rule === 'openOverdue' && asOfDate ? { asOfDate } : {};
    lines.push({
      kind: 'supervision-rule',
      dimensionKey,
      rule,
      ...(severity ? { severity } : {}),
      count,
      pointsEach,
      points: round1(count * pointsEach),
      findingIds,
      ...when,
    });
  };
  for (const severity of SEVERITY_ORDER)
    add(
      'severity',
      recorded.filter((f) => f.severity === severity),
      rules.perFindingBySeverity[severity],
      undefined,
      severity,
    );
  add('acceptedOnTime', onTime, rules.perFindingAcceptedOnTime);
  add('acceptedLate', late, rules.perFindingAcceptedLate);
  add('openOverdue', overdue, rules.perFindingOpenOverdue);
  const rejected = accepted.filter((f) => f.rejectionCount > 0);
  add(
    'rejection',
    rejected,
    rules.perRejection,
    rejected.reduce((n, f) => n + f.rejectionCount, 0),
  );
  if (record.inspections > 0 && recorded.length === 0) add('cleanInspections', [], rules.cleanInspections, 1);

  const raw = round1(lines.reduce((n, l) => n + l.points, 0));
  const points = Math.min(rules.cap.max, Math.max(rules.cap.min, raw));
  return {
    lines,
    total: {
      kind: 'supervision-total',
      dimensionKey,
      inspections: record.inspections,
      raw,
      points,
      capped: points !== raw,
      cap: { ...rules.cap },
    },
  };
}
