// An approval: something a member submits for a list of approvers to decide on, in order.
import type { FlowItem } from '../flows/items.js';
import type { Member } from '../ports.js';

export const APPROVAL_FLOW = 'approval';

/** pending: an approver decides now; returned: back with the submitter to revise; approved: everyone agreed. */
export const APPROVAL_STATES = ['pending', 'returned', 'approved'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export type ApprovalStep = 'approve' | 'return' | 'resubmit';

export interface ApprovalData {
  title: string;
  body: string;
  submitterId: number;
  /** In the order they decide. */
  approverIds: number[];
  /** Index in approverIds of whoever decides now (approverIds.length once approved). */
  stage: number;
  /** 1 for the first submission, one more for each resubmission after a return. */
  round: number;
  /** Why it was last returned; null once resubmitted. */
  returnReason: string | null;
}

export type ApprovalRecord = FlowItem<ApprovalData, ApprovalState>;

/** A step's validated answers. */
export interface ApprovalClean {
  comment?: string;
  reason?: string;
  title?: string;
  body?: string;
}

/** Whoever decides now, or null when nobody does (returned, approved). */
export const currentApprover = (r: ApprovalRecord): number | null =>
  r.state === 'pending' ? (r.data.approverIds[r.data.stage] ?? null) : null;

/** Who is looking: any member; the rules ask only who they are. */
export type ApprovalViewer = Pick<Member, 'id' | 'role'>;
