// Who may take which step from which status. Pure rules shared by the forms, the buttons and the service,
// so a button is shown exactly when the step would be accepted.
import type { Member } from '../ports.js';
import { type FindingAction, type FindingRecord, type FindingStatus, ownerOf } from './types.js';

export interface Viewer {
  member: Pick<Member, 'id' | 'role' | 'departmentId'>;
  /** The manager of the finding's department, if any. */
  departmentManagerId: number | null;
}

const FROM: Record<FindingAction, FindingStatus[]> = {
  plan: ['open', 'planned'],
  progress: ['planned', 'in_progress'],
  submit: ['planned', 'in_progress'],
  accept: ['submitted'],
  reject: ['submitted'],
  extend: ['open', 'planned', 'in_progress'],
  reassign: ['open', 'planned', 'in_progress', 'submitted'],
};

export const ACTIONS: FindingAction[] = ['plan', 'progress', 'submit', 'accept', 'reject', 'extend', 'reassign'];

/** Where each step leads. Reject sends the work back, counted on the finding. */
export function nextStatus(action: FindingAction, from: FindingStatus): FindingStatus {
  switch (action) {
    case 'plan':
      return from === 'open' ? 'planned' : from;
    case 'progress':
      return 'in_progress';
    case 'submit':
      return 'submitted';
    case 'accept':
      return 'accepted';
    case 'reject':
      return 'in_progress';
    case 'extend':
    case 'reassign':
      return from;
  }
}

export type Refusal = 'wrongStatus' | 'notAllowed';

/** The department side does the work; supervisors and admins judge it and manage deadlines and owners. */
export function mayTake(action: FindingAction, f: FindingRecord, v: Viewer): true | Refusal {
  if (!FROM[action].includes(f.status)) return 'wrongStatus';
  const { member } = v;
  const isAdmin = member.role === 'admin';
  const isSupervisor = member.role === 'supervisor';
  const doer =
    member.id === ownerOf(f) ||
    member.id === f.responsibleMemberId ||
    (v.departmentManagerId !== null && member.id === v.departmentManagerId);
  switch (action) {
    case 'plan':
    case 'progress':
    case 'submit':
      return doer || isAdmin ? true : 'notAllowed';
    case 'accept':
    case 'reject':
    case 'extend':
    case 'reassign':
      return isSupervisor || isAdmin ? true : 'notAllowed';
  }
}

export function availableActions(f: FindingRecord, v: Viewer): FindingAction[] {
  return ACTIONS.filter((a) => mayTake(a, f, v) === true);
}

/** Roles that may take a step, for the refusal message. */
export function rolesFor(action: FindingAction): Array<'owner' | 'manager' | 'supervisor' | 'admin'> {
  return action === 'plan' || action === 'progress' || action === 'submit'
    ? ['owner', 'manager', 'admin']
    : ['supervisor', 'admin'];
}
