// Pure rules of an evaluation cycle: who evaluates whom, the default period and deadline, which step each
// person may take at which stage, who owns the pending step (for `my` and the reminders), and what the
// privacy rules (privacy.ts) are told of a participant.
import { DateTime } from 'luxon';
import type { Department, Member } from '../../ports.js';
import type { CycleKind, EvaluationConfig, RaterKind } from '../criteria.js';
import type { EvaluationAccessContext, EvaluationViewer } from '../privacy.js';
import type { CycleRecord, NominationRecord, ParticipantRecord, Stage, SubmissionRecord } from './types.js';

export type EvalAction =
  | 'self'
  | 'supervisor'
  | 'peer'
  | 'customer'
  | 'finalize'
  | 'review'
  | 'ack'
  | 'result'
  | 'approve'
  | 'decline'
  | 'nominate';
export const EVAL_ACTIONS: EvalAction[] = [
  'self',
  'supervisor',
  'peer',
  'customer',
  'finalize',
  'review',
  'ack',
  'result',
  'approve',
  'decline',
  'nominate',
];
export const isEvalAction = (s: string): s is EvalAction => (EVAL_ACTIONS as string[]).includes(s);

/** Stages in which raters may still answer (before the score is computed). */
export const ANSWERING: Stage[] = ['self', 'supervisor'];

export const runsCycles = (m: Pick<Member, 'role'>) => m.role === 'admin' || m.role === 'hr';

/**
 * The member's supervisor for a cycle: the one configured for them (org import `supervisor`); else their
 * department's manager; for the manager themselves, the manager of the parent department; failing both, the
 * person who opened the cycle (an admin or HR, who then acts as the line manager), unless that is the member
 * themselves (then none: HR steps in by hand).
 */
export function supervisorFor(member: Member, depts: ReadonlyMap<number, Department>, openerId: number): number | null {
  if (member.supervisorId && member.supervisorId !== member.id) return member.supervisorId;
  const own = member.departmentId === null ? undefined : depts.get(member.departmentId);
  if (own?.managerId && own.managerId !== member.id) return own.managerId;
  for (
    let d = own?.parentId ? depts.get(own.parentId) : undefined, hops = 0;
    d && hops < 20;
    d = d.parentId ? depts.get(d.parentId) : undefined, hops++
  )
    if (d.managerId && d.managerId !== member.id) return d.managerId;
  return openerId !== member.id ? openerId : null;
}

/** The period a cycle opened now covers, in the opener's zone: this month, or this year. */
export function defaultPeriod(
  kind: CycleKind,
  now: Date,
  zone: string,
): { name: string; start: Date; end: Date; lastDay: string } {
  const local = DateTime.fromJSDate(now, { zone });
  const start = kind === 'monthly' ? local.startOf('month') : local.startOf('year');
  const end = kind === 'monthly' ? start.plus({ months: 1 }) : start.plus({ years: 1 });
  return {
    name: kind === 'monthly' ? start.toFormat('yyyy-MM') : start.toFormat('yyyy'),
    start: start.toUTC().toJSDate(),
    end: end.toUTC().toJSDate(),
    lastDay: end.minus({ days: 1 }).toISODate()!,
  };
}

/** Criteria asked of a rater kind, in config order, each with its global index (form field ids use it). */
export function criteriaFor(config: EvaluationConfig, kind: RaterKind) {
  let index = 0;
  return config.dimensions
    .map((d) => ({
      dimension: d,
      criteria: d.criteria.flatMap((c) => {
        const i = index++;
        return c.raters.includes(kind) ? [{ criterion: c, index: i }] : [];
      }),
    }))
    .filter((d) => d.criteria.length > 0);
}

export interface EvalViewer {
  member: Pick<Member, 'id' | 'role'>;
}

export interface ParticipantState {
  cycle: CycleRecord;
  participant: ParticipantRecord;
  submissions: readonly SubmissionRecord[];
  nominations: readonly NominationRecord[];
}

export type Refusal = 'closed' | 'wrongStage' | 'notAllowed' | 'already' | 'notYet';

const submitted = (s: ParticipantState, kind: RaterKind, memberId?: number) =>
  s.submissions.some((x) => x.raterKind === kind && (memberId === undefined || x.raterMemberId === memberId));
export const approvedPeers = (s: Pick<ParticipantState, 'nominations'>) =>
  s.nominations.filter((n) => n.status === 'approved').map((n) => n.peerId);
export const peersPending = (s: ParticipantState) => approvedPeers(s).filter((id) => !submitted(s, 'peer', id));

export const viewerOf = (m: Pick<Member, 'id' | 'role'>): EvaluationViewer => ({
  memberId: m.id,
  admin: m.role === 'admin',
  hr: m.role === 'hr',
});

/** What privacy.ts needs to know of a participant: who rated, who supervises (with the department's manager). */
export function accessContext(s: ParticipantState, deptManagerId: number | null): EvaluationAccessContext {
  const raters = [
    ...s.submissions.flatMap((x) =>
      x.raterMemberId !== null ? [{ memberId: x.raterMemberId, kind: x.raterKind }] : [],
    ),
    ...approvedPeers(s).map((id) => ({ memberId: id, kind: 'peer' as const })),
  ];
  const supervisorIds = [s.participant.supervisorId, deptManagerId].filter(
    (x): x is number => x !== null && x !== s.participant.memberId,
  );
  return { memberId: s.participant.memberId, supervisorIds, raters, reviewRecorded: s.participant.reviewedAt !== null };
}

/** Whether `who` may take `action` on this participant now. */
export function mayAct(action: EvalAction, s: ParticipantState, who: EvalViewer, now: Date): true | Refusal {
  const { cycle, participant: p } = s;
  const me = who.member.id;
  const isSupervisor = p.supervisorId === me;
  const isMember = p.memberId === me;
  if (action === 'result') return true; // privacy.ts decides
  if (cycle.status !== 'open') return 'closed';
  switch (action) {
    case 'self':
      if (!isMember) return 'notAllowed';
      if (p.stage !== 'self') return p.selfAt ? 'already' : 'wrongStage';
      return true;
    case 'supervisor':
      if (!isSupervisor) return 'notAllowed';
      if (p.supervisorAt) return 'already';
      return p.stage === 'supervisor' ? true : p.stage === 'self' ? 'notYet' : 'wrongStage';
    case 'finalize':
      // Score now (the supervisor, HR, admins): the supervisor's evaluation is in, and the deadline has passed
      // (peers who have not answered are left out) or nothing else is awaited (readyToScore).
      if (!isSupervisor && !runsCycles(who.member)) return 'notAllowed';
      if (p.stage !== 'supervisor') return p.stage === 'self' ? 'notYet' : 'already';
      if (!p.supervisorAt) return 'notYet';
      return now >= cycle.deadline || readyToScore(s) ? true : 'notYet';
    case 'peer':
      if (cycle.kind !== 'annual' || !approvedPeers(s).includes(me)) return 'notAllowed';
      if (submitted(s, 'peer', me)) return 'already';
      return ANSWERING.includes(p.stage) ? true : 'wrongStage';
    case 'customer':
      // The account owner (the member's supervisor), or HR and admins, records a customer's answers.
      if (cycle.kind !== 'annual' || !p.customerFacing) return 'wrongStage';
      if (!isSupervisor && !runsCycles(who.member)) return 'notAllowed';
      return ANSWERING.includes(p.stage) ? true : 'wrongStage';
    case 'review':
      if (!isSupervisor) return 'notAllowed';
      return p.stage === 'review' ? true : p.reviewedAt ? 'already' : 'notYet';
    case 'ack':
      if (!isMember) return 'notAllowed';
      return p.stage === 'acknowledge' ? true : p.acknowledgedAt ? 'already' : 'notYet';
    case 'nominate':
      // The member names peer raters (annual), until the score is computed; the supervisor decides on each.
      if (cycle.kind !== 'annual') return 'wrongStage';
      if (!isMember) return 'notAllowed';
      return ANSWERING.includes(p.stage) ? true : 'wrongStage';
    case 'approve':
    case 'decline':
      if (cycle.kind !== 'annual') return 'wrongStage';
      if (!isSupervisor) return 'notAllowed';
      return ANSWERING.includes(p.stage) ? true : 'wrongStage';
  }
}

/** The buttons a person sees on their card. */
export function cardActions(s: ParticipantState, who: EvalViewer, now: Date): EvalAction[] {
  const list: EvalAction[] = ['self', 'supervisor', 'finalize', 'peer', 'customer', 'review', 'ack', 'nominate'];
  const out = list.filter((a) => mayAct(a, s, who, now) === true);
  // HR and admins may record a customer's answers from commands only; score now is theirs on a card too.
  const mine = out.filter((a) => !(a === 'customer' && s.participant.supervisorId !== who.member.id));
  if (s.participant.result && (s.participant.memberId !== who.member.id || s.participant.reviewedAt))
    mine.push('result');
  return mine;
}

/**
 * Whether the score can be computed on its own: monthly when the supervisor's is in; annual also when no
 * nomination waits for the supervisor's decision, every approved peer answered and, for a customer-facing
 * member (when the configuration asks customers anything, `customersAsked`), at least one customer answered.
 * Past the deadline, whatever is still missing, the supervisor or HR scores with "Score now" (finalize).
 */
export function readyToScore(s: ParticipantState, o: { customersAsked?: boolean } = {}): boolean {
  if (!s.participant.supervisorAt && !submitted(s, 'supervisor')) return false;
  if (s.cycle.kind === 'monthly') return true;
  if (s.nominations.some((n) => n.status === 'proposed') || peersPending(s).length > 0) return false;
  return !(s.participant.customerFacing && (o.customersAsked ?? true) && !submitted(s, 'customer'));
}

export type PendingKind = 'self' | 'supervisor' | 'peer' | 'decide' | 'customer' | 'score' | 'review' | 'ack';

/**
 * Who must act on this participant now, and for what (reminders and `my`). With `now`, a supervisor whose
 * annual evaluation still waits for others once the deadline has passed is asked to score now.
 */
export function pendingOwners(s: ParticipantState, now?: Date): Array<{ memberId: number; kind: PendingKind }> {
  const { participant: p } = s;
  if (s.cycle.status !== 'open') return [];
  const out: Array<{ memberId: number; kind: PendingKind }> = [];
  switch (p.stage) {
    case 'self':
      out.push({ memberId: p.memberId, kind: 'self' });
      break;
    case 'supervisor':
      if (!p.supervisorAt && p.supervisorId !== null) out.push({ memberId: p.supervisorId, kind: 'supervisor' });
      break;
    case 'review':
      if (p.supervisorId !== null) out.push({ memberId: p.supervisorId, kind: 'review' });
      break;
    case 'acknowledge':
      out.push({ memberId: p.memberId, kind: 'ack' });
      break;
    case 'done':
      return [];
  }
  if (ANSWERING.includes(p.stage) && s.cycle.kind === 'annual') {
    for (const id of peersPending(s)) out.push({ memberId: id, kind: 'peer' });
    if (p.supervisorId !== null && s.nominations.some((n) => n.status === 'proposed'))
      out.push({ memberId: p.supervisorId, kind: 'decide' });
    // The score waits for a customer answer, which the account owner records or asks for with a link.
    if (p.supervisorId !== null && p.customerFacing && !submitted(s, 'customer'))
      out.push({ memberId: p.supervisorId, kind: 'customer' });
    const supervisorIn = !!p.supervisorAt || submitted(s, 'supervisor');
    if (
      now &&
      now > s.cycle.deadline &&
      p.stage === 'supervisor' &&
      supervisorIn &&
      p.supervisorId !== null &&
      !readyToScore(s)
    )
      out.push({ memberId: p.supervisorId, kind: 'score' });
  }
  return out;
}
