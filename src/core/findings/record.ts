// A finding as stored: made by an inspection, worked through by rectification. Both features read this shape,
// neither imports the other.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_STATUSES = ['open', 'planned', 'in_progress', 'submitted', 'accepted'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
/** Statuses in which a finding still needs work (everything but accepted). */
export const ACTIVE_STATUSES: FindingStatus[] = ['open', 'planned', 'in_progress', 'submitted'];

export interface FindingRecord {
  id: number;
  inspectionId: number;
  /** The checklist version of the inspection, for the item's text. */
  templateVersionId: number;
  departmentId: number;
  dimensionKey: string;
  itemKey: string;
  description: string;
  impact: string | null;
  severity: Severity;
  evidenceUrls: string[];
  status: FindingStatus;
  responsibleMemberId: number;
  /** Rectification owner; null means the responsible person. */
  ownerId: number | null;
  createdById: number;
  createdAt: Date;
  closedAt: Date | null;
  planMeasures: string | null;
  planSupport: string | null;
  planSubmittedAt: Date | null;
  deadline: Date | null;
  progressPercent: number;
  acceptanceRequestedAt: Date | null;
  rejectionCount: number;
  reminderCount: number;
  escalationCount: number;
  nextReminderAt: Date | null;
  version: number;
}

export const ownerOf = (f: Pick<FindingRecord, 'ownerId' | 'responsibleMemberId'>) =>
  f.ownerId ?? f.responsibleMemberId;
