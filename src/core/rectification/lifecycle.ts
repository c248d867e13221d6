// Who may take which step from which status, and where it leads: rectification's declared rules, shared by
// the forms, the buttons and the flow engine, so a button is shown exactly when the step would be accepted.
import type { FlowRules, Refusal } from '../flows/definition.js';
import { availableSteps, mayTake as mayTakeStep } from '../flows/rules.js';
import type { Member } from '../ports.js';
import { type FindingAction, type FindingRecord, type FindingStatus, ownerOf } from './types.js';

export interface Viewer {
  member: Pick<Member, 'id' | 'role' | 'departmentId'>;
  /** The manager of the finding's department, if any. */
  departmentManagerId: number | null;
}

/** The department side does the work; supervisors and admins judge it and manage deadlines and owners. */
const doer = (f: FindingRecord, { member, departmentManagerId }: Viewer) =>
  member.id === ownerOf(f) ||
  member.id === f.responsibleMemberId ||
  (departmentManagerId !== null && member.id === departmentManagerId) ||
  member.role === 'admin';
const judge = (_f: FindingRecord, { member }: Viewer) => member.role === 'supervisor' || member.role === 'admin';
const DOERS = ['owner', 'manager', 'admin'] as const;
const JUDGES = ['supervisor', 'admin'] as const;
const same = (f: FindingRecord) => f.status;

export const RECTIFICATION_RULES: FlowRules<FindingRecord, FindingStatus, FindingAction, Viewer> = {
  key: 'finding',
  state: (f) => f.status,
  steps: {
    plan: {
      from: ['open', 'planned'],
      to: (f) => (f.status === 'open' ? 'planned' : f.status),
      may: doer,
      roles: DOERS,
    },
    progress: { from: ['planned', 'in_progress'], to: 'in_progress', may: doer, roles: DOERS },
    submit: { from: ['planned', 'in_progress'], to: 'submitted', may: doer, roles: DOERS },
    accept: { from: ['submitted'], to: 'accepted', may: judge, roles: JUDGES },
    // Reject sends the work back, counted on the finding.
    reject: { from: ['submitted'], to: 'in_progress', may: judge, roles: JUDGES },
    extend: { from: ['open', 'planned', 'in_progress'], to: same, may: judge, roles: JUDGES },
    reassign: { from: ['open', 'planned', 'in_progress', 'submitted'], to: same, may: judge, roles: JUDGES },
  },
};

export const ACTIONS = Object.keys(RECTIFICATION_RULES.steps) as FindingAction[];

export type { Refusal };

export function mayTake(action: FindingAction, f: FindingRecord, v: Viewer): true | Refusal {
  return mayTakeStep(RECTIFICATION_RULES, action, f, v);
}

export function availableActions(f: FindingRecord, v: Viewer): FindingAction[] {
  return availableSteps(RECTIFICATION_RULES, f, v);
}
