// Reminders for pending evaluation steps, folded into the reminder sweep's per-person digest.
//
// Whoever owns a participant's pending step (the member for the self-evaluation and the acknowledgement, the
// supervisor for theirs, the review and peer nominations, each approved peer for their form) is reminded at
// the rules' reminder time of every working day in their zone from 3 working days before the cycle's
// deadline on, past it too ("overdue"). Once the deadline has passed, someone above hears once per pending
// step: the department manager; when that is the participant themselves (a manager's own evaluation) or the
// one the step waits for, the participant's supervisor (for a manager, the parent department's manager);
// failing both, HR and admins. Never the participant, nor the step's owner. Occurrence keys
// depend only on the participant, stage, step, person and local date, so the sweep's claims make each
// exactly-once; they are stored in ReminderLog with their participantId.

import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { Member } from '../../ports.js';
import { isValidZone, localDateOf, localInstant, type WorkCalendar } from '../../reminders/calendar.js';
import type { ReminderRules } from '../../reminders/rules.js';
import { nextRemindMoment } from '../../reminders/schedule.js';
import { formatDateTime } from '../../shared/format.js';
import { lit } from '../../views/text.js';
import type { Button } from '../../views/types.js';
import { type PendingKind, pendingOwners } from './rules.js';
import type { CycleRecord, EvaluationRepo, ParticipantRecord } from './types.js';
import { EVAL_ACTION_PREFIX } from './views.js';

export const DAYS_BEFORE_DEADLINE = 3;

export type EvalReminderKind = 'evaluation_due' | 'evaluation_overdue' | 'evaluation_escalation';

export interface EvalReminderIntent {
  key: string;
  participantId: number;
  recipientId: number;
  kind: EvalReminderKind;
  pending: PendingKind;
  /** Whose step it is (the recipient, except for escalations). */
  ownerId: number;
  memberId: number;
  cycleName: string;
  deadline: Date;
  dueAt: Date;
}

export interface EvalPlanInput {
  now: Date;
  rules: ReminderRules;
  calendar: WorkCalendar;
  /** Known people; the planner adds those it fetches. */
  people: Map<number, Member>;
  fetch(ids: number[]): Promise<void>;
  /** Department id → manager id. */
  managers: ReadonlyMap<number, number | null>;
  /** HR and admins, for escalations no manager can take. */
  fallback: readonly number[];
  batchSize?: number;
}

const ACTION_OF: Record<PendingKind, string> = {
  self: 'self',
  supervisor: 'supervisor',
  peer: 'peer',
  decide: 'result',
  customer: 'customer',
  score: 'finalize',
  review: 'review',
  ack: 'ack',
};
const MAX_BATCHES = 1000;

/**
 * Who hears of a step past the deadline: the department manager, else the participant's supervisor, else HR
 * and admins; never the participant (a manager's own evaluation) nor the one the step waits for.
 */
export function escalationTo(
  p: Pick<ParticipantRecord, 'memberId' | 'supervisorId'>,
  ownerId: number,
  manager: number | null,
  fallback: readonly number[],
): number[] {
  const fits = (id: number | null): id is number => id !== null && id !== p.memberId && id !== ownerId;
  if (fits(manager)) return [manager];
  if (fits(p.supervisorId)) return [p.supervisorId];
  return fallback.filter((id) => fits(id));
}

export class EvaluationReminderPlanner {
  constructor(private readonly repo: EvaluationRepo) {}

  async plan(input: EvalPlanInput): Promise<{
    intents: EvalReminderIntent[];
    reschedule: Array<{ id: number; version: number; nextReminderAt: Date | null }>;
    participants: number;
  }> {
    const { now } = input;
    const intents: EvalReminderIntent[] = [];
    const reschedule: Array<{ id: number; version: number; nextReminderAt: Date | null }> = [];
    const cycles = new Map<number, CycleRecord | null>();
    const seen = new Set<number>();
    let after: { nextReminderAt: Date; id: number } | null = null;
    let count = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const rows: ParticipantRecord[] = await this.repo.dueParticipants(now, input.batchSize ?? 1000, after);
      const fresh = rows.filter((p) => !seen.has(p.id));
      const last = rows[rows.length - 1];
      if (!last || fresh.length === 0) break;
      after = { nextReminderAt: last.nextReminderAt ?? now, id: last.id };
      count += fresh.length;
      for (const p of fresh) {
        seen.add(p.id);
        if (!cycles.has(p.cycleId)) cycles.set(p.cycleId, await this.repo.cycleById(p.cycleId));
        const cycle = cycles.get(p.cycleId)!;
        if (cycle?.status !== 'open' || p.stage === 'done') {
          reschedule.push({ id: p.id, version: p.version, nextReminderAt: null });
          continue;
        }
        const next = await this.planParticipant(input, cycle, p, intents);
        reschedule.push({ id: p.id, version: p.version, nextReminderAt: next });
      }
    }
    return { intents, reschedule, participants: count };
  }

  /** Adds the reminders due on one participant's pending steps; returns when to look at it again. */
  private async planParticipant(
    input: EvalPlanInput,
    cycle: CycleRecord,
    p: ParticipantRecord,
    intents: EvalReminderIntent[],
  ): Promise<Date | null> {
    const [submissions, nominations] = await Promise.all([this.repo.submissions(p.id), this.repo.nominations(p.id)]);
    const owners = pendingOwners({ cycle, participant: p, submissions, nominations }, input.now);
    const manager = p.departmentId !== null ? (input.managers.get(p.departmentId) ?? null) : null;
    const missing = [
      ...new Set([
        ...owners.map((o) => o.memberId),
        ...(manager ? [manager] : []),
        ...(p.supervisorId !== null ? [p.supervisorId] : []),
        ...input.fallback,
      ]),
    ].filter((id) => !input.people.has(id));
    if (missing.length) await input.fetch(missing);

    let next: Date | null = null;
    for (const o of owners) {
      const candidate = stepReminders(input, cycle, p, o, manager, intents);
      if (candidate && (!next || candidate < next)) next = candidate;
    }
    return next;
  }

  reschedule(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>): Promise<void> {
    return items.length ? this.repo.rescheduleParticipants(items) : Promise.resolve();
  }

  /** The digest's lines and buttons for these reminders, in the reader's language. */
  digestPart(
    reader: Member,
    intents: EvalReminderIntent[],
    names: ReadonlyMap<number, string>,
  ): { lines: string[]; buttons: Button[]; escalated: boolean } {
    const l = reader.locale;
    const lines = intents.map((i) => {
      const name = names.get(i.memberId) ?? `#${i.memberId}`;
      const deadline = formatDateTime(i.deadline, l, reader.timeZone);
      const what = t(l, `evaluation.pending.${i.pending}` as MessageKey, { name, period: i.cycleName, deadline });
      if (i.kind === 'evaluation_escalation')
        return `- ${lit(name)} · ${lit(i.cycleName)} — ${t(l, 'evaluation.digest.escalation', { owner: names.get(i.ownerId) ?? `#${i.ownerId}`, deadline })}`;
      return `- ${what}${i.kind === 'evaluation_overdue' ? ` — ${t(l, 'evaluation.digest.overdue', { deadline })}` : ''}`;
    });
    const buttons: Button[] = [];
    for (const i of intents) {
      if (
        i.kind === 'evaluation_escalation' ||
        i.pending === 'decide' ||
        buttons.some((b) => b.value === String(i.participantId))
      )
        continue;
      const action = ACTION_OF[i.pending];
      buttons.push({
        actionId: `${EVAL_ACTION_PREFIX}${action}`,
        value: String(i.participantId),
        label: `${names.get(i.memberId) ?? `#${i.memberId}`} · ${t(l, `evaluation.action.${action}` as MessageKey)}`,
      });
    }
    return { lines, buttons, escalated: intents.some((i) => i.kind !== 'evaluation_due') };
  }
}

type PendingOwner = ReturnType<typeof pendingOwners>[number];

/**
 * Adds the reminders due on one pending step: its owner's daily one, and past the deadline the escalation.
 * Returns the owner's next reminder time (null when their zone is unknown).
 */
function stepReminders(
  input: EvalPlanInput,
  cycle: CycleRecord,
  p: ParticipantRecord,
  o: PendingOwner,
  manager: number | null,
  intents: EvalReminderIntent[],
): Date | null {
  const { now, rules, calendar, people } = input;
  const hours = rules.workingHours;
  const tz = people.get(o.memberId)?.timeZone;
  if (!tz || !isValidZone(tz)) return null;
  const deadlineDate = localDateOf(cycle.deadline, tz);
  const first = calendar.addWorkingDays(deadlineDate, -DAYS_BEFORE_DEADLINE);
  const today = localDateOf(now, tz);
  const base = {
    participantId: p.id,
    pending: o.kind,
    ownerId: o.memberId,
    memberId: p.memberId,
    cycleName: cycle.name,
    deadline: cycle.deadline,
  };
  if (today >= first && calendar.isWorkingDay(today) && calendar.isWorkingMoment(now, tz, hours)) {
    const dueAt = calendar.nextWorkingMoment(localInstant(today, rules.remindAt, tz), tz, hours);
    if (dueAt <= now)
      intents.push({
        ...base,
        key: `e:${p.id}:${p.stage}:${o.kind}:${o.memberId}:${today}`,
        recipientId: o.memberId,
        kind: today > deadlineDate ? 'evaluation_overdue' : 'evaluation_due',
        dueAt,
      });
  }
  if (now > cycle.deadline) {
    const to = escalationTo(p, o.memberId, manager, input.fallback);
    for (const id of to) {
      const rtz = people.get(id)?.timeZone;
      if (!rtz || !isValidZone(rtz) || !calendar.isWorkingMoment(now, rtz, hours)) continue;
      intents.push({
        ...base,
        key: `e:${p.id}:${p.stage}:${o.kind}:${o.memberId}:escalate:${id}`,
        recipientId: id,
        kind: 'evaluation_escalation',
        dueAt: cycle.deadline,
      });
    }
  }
  // The next look: the owner's next reminder time, but not before the series starts.
  const start = localInstant(first, rules.remindAt, tz);
  const at = nextRemindMoment(now, tz, rules.remindAt);
  // biome-ignore lint/complexity/useMathMinMax: these are Dates; Math.max would turn them into numbers
  return start > at ? start : at;
}
