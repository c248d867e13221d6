// Who may take which approval step and where it leads. The current approver approves (the next approver
// decides, or the item is approved after the last) or returns it with a reason; the submitter revises a
// returned item and resubmits it, and the approvers decide again from the first.
import type { FlowRules } from '../flows/definition.js';
import {
  APPROVAL_FLOW,
  type ApprovalRecord,
  type ApprovalState,
  type ApprovalStep,
  type ApprovalViewer,
  currentApprover,
} from './types.js';

const deciding = (r: ApprovalRecord, v: ApprovalViewer) => currentApprover(r) === v.id;

export const APPROVAL_RULES: FlowRules<ApprovalRecord, ApprovalState, ApprovalStep, ApprovalViewer> = {
  key: APPROVAL_FLOW,
  state: (r) => r.state,
  steps: {
    approve: {
      from: ['pending'],
      to: (r) => (r.data.stage + 1 >= r.data.approverIds.length ? 'approved' : 'pending'),
      may: deciding,
      roles: ['currentApprover'],
    },
    return: { from: ['pending'], to: 'returned', may: deciding, roles: ['currentApprover'] },
    resubmit: { from: ['returned'], to: 'pending', may: (r, v) => r.data.submitterId === v.id, roles: ['submitter'] },
  },
};
