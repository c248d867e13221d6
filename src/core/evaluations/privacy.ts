// Who may read which part of one member's evaluation. Pure: the caller resolves roles and relations.
import type { RaterKind } from './criteria.js';

export const EVALUATION_PARTS = [
  'own-submission',
  'self',
  'supervisor',
  'peers',
  'customers',
  'result',
  'review',
] as const;
/**
 * own-submission: what the viewer wrote; self / supervisor / peers / customers: the submissions of that
 * rater kind, with scores and comments; result: scores, grade and explanation; review: the review
 * conversation's record (improvement plan or next year's goals).
 */
export type EvaluationPart = (typeof EVALUATION_PARTS)[number];

export interface EvaluationViewer {
  memberId: number;
  admin: boolean;
  /** HR staff; there is no 'hr' role in the org model yet, so the caller says so. */
  hr: boolean;
}

export interface EvaluationAccessContext {
  /** The member evaluated. */
  memberId: number;
  /** Their line managers (the policy's 上级主管), e.g. the manager of their department. */
  supervisorIds: readonly number[];
  /** Everyone asked to rate, with the kind they rate as. */
  raters: ReadonlyArray<{ memberId: number; kind: RaterKind }>;
  /** The review conversation has been recorded; until then the member sees only what they wrote. */
  reviewRecorded: boolean;
}

export const PRIVACY_REFUSALS = [
  'evaluation.refused.notInvolved',
  'evaluation.refused.beforeReview',
  'evaluation.refused.anonymous',
  'evaluation.refused.ownOnly',
  'evaluation.refused.noSubmission',
] as const;
/** A message key (EVALUATION_MESSAGES) that says why, in the reader's language. */
export type PrivacyRefusal = (typeof PRIVACY_REFUSALS)[number];

/**
 * - The member sees what they wrote at once, and the supervisor's evaluation, the result and the review once
 *   the review is recorded. Peer and customer submissions reach them only folded into the result, so that
 *   colleagues and customers can rate frankly. This holds even when the member is an admin or in HR: nobody
 *   reads their own anonymous ratings or their result before the review.
 * - Line managers (and whoever rates as the member's supervisor) see everything, to prepare the review.
 * - HR and admins see everything (HR aggregates the reports).
 * - Peer and customer raters see only what they wrote.
 */
export function mayView(
  viewer: EvaluationViewer,
  ctx: EvaluationAccessContext,
  part: EvaluationPart,
): true | PrivacyRefusal {
  const ratesAs = ctx.raters.filter((r) => r.memberId === viewer.memberId).map((r) => r.kind);
  if (viewer.memberId === ctx.memberId) {
    switch (part) {
      case 'own-submission':
      case 'self':
        return true;
      case 'peers':
      case 'customers':
        return 'evaluation.refused.anonymous';
      case 'supervisor':
      case 'result':
      case 'review':
        return ctx.reviewRecorded ? true : 'evaluation.refused.beforeReview';
    }
  }
  const supervises = ctx.supervisorIds.includes(viewer.memberId) || ratesAs.includes('supervisor');
  if (part === 'own-submission') {
    if (supervises || ratesAs.length > 0) return true;
    return viewer.admin || viewer.hr ? 'evaluation.refused.noSubmission' : 'evaluation.refused.notInvolved';
  }
  if (supervises || viewer.admin || viewer.hr) return true;
  return ratesAs.length > 0 ? 'evaluation.refused.ownOnly' : 'evaluation.refused.notInvolved';
}

export function visibleParts(viewer: EvaluationViewer, ctx: EvaluationAccessContext): EvaluationPart[] {
  return EVALUATION_PARTS.filter((p) => mayView(viewer, ctx, p) === true);
}
