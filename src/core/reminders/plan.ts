// Which reminders are due now. Pure: the caller passes `now`, the findings and the people; the store claims each
// returned key once (unique constraint) and only then sends, so sweeps may overlap and repeat freely.
//
// Reminders come in series (the owner's deadline reminders, the supervisor's daily acceptance nudges). Each
// occurrence has a key derived from the finding alone, never from the sweep time, and a sweep returns only the
// latest occurrence of a series that has fallen due: after downtime the owner gets one reminder describing the
// present, not one per missed morning. Escalation levels are single occurrences, each sent once.
//
// A plan that was never submitted is late like a deadline: from the first working day after the plan's due
// date the owner hears every working day (plan_overdue, in the same series as plan_due), and it climbs the
// rules' escalation ladder counted from the plan's due date (manager, then the supervisor and the admins).

import { groupBy } from '../shared/group.js';
import type { WorkCalendar } from './calendar.js';
import { isValidZone, localDateOf, localInstant } from './calendar.js';
import type { ReminderRules } from './rules.js';

export type FindingStatus = 'open' | 'planned' | 'in_progress' | 'submitted' | 'accepted';

export interface ReminderFinding {
  id: number;
  status: FindingStatus;
  createdAt: Date;
  /** An instant; what counts is the date it falls on in the owner's zone. */
  deadline: Date | null;
  /** When it was last submitted for acceptance. */
  submittedAt: Date | null;
  ownerId: number;
  managerId: number | null;
  supervisorId: number;
  rejectionCount: number;
}

export interface ReminderRecipient {
  id: number;
  timeZone: string;
}

export interface DueRemindersInput {
  now: Date;
  rules: ReminderRules;
  calendar: WorkCalendar;
  findings: readonly ReminderFinding[];
  members: ReadonlyMap<number, ReminderRecipient>;
  adminIds: readonly number[];
}

export type ReminderKind =
  | 'plan_due'
  | 'plan_overdue'
  | 'plan_escalation_manager'
  | 'plan_escalation_supervisor'
  | 'deadline_soon'
  | 'deadline_today'
  | 'overdue'
  | 'escalation_manager'
  | 'escalation_supervisor'
  | 'acceptance_waiting';

/** Counts are working days as of the sweep's `now`, read in the zone named in each field. */
export interface ReminderDetail {
  /** plan kinds: the date the plan is due, in the owner's zone. */
  planDueDate?: string;
  /** Deadline kinds and escalations: the deadline's date in the owner's zone. */
  deadlineDate?: string;
  /** deadline_soon, deadline_today: working days from the owner's today to the deadline (0 on the day). */
  daysLeft?: number;
  /** overdue and escalations: working days past the deadline (plan kinds: the plan's due date) in the owner's zone. */
  daysOverdue?: number;
  /** acceptance_waiting: working days since submission, in the supervisor's zone. */
  waitingDays?: number;
}

export interface ReminderIntent {
  /** Same occurrence, same key, whenever and wherever the sweep runs. */
  key: string;
  findingId: number;
  recipientId: number;
  kind: ReminderKind;
  /** The occurrence's scheduled instant, moved into the recipient's working hours. */
  dueAt: Date;
  detail: ReminderDetail;
}

type Occurrence = Omit<ReminderIntent, 'findingId' | 'recipientId'>;

const DEADLINE_STATUSES: ReadonlySet<FindingStatus> = new Set(['open', 'planned', 'in_progress']);

export function dueReminders(input: DueRemindersInput): ReminderIntent[] {
  const ctx = sweepContext(input);
  for (const f of input.findings) {
    if (f.status === 'accepted') continue;
    const ownerTz = ctx.zoneOf(f.ownerId);
    if (f.status === 'open' && ownerTz) planReminders(ctx, f, ownerTz);
    if (DEADLINE_STATUSES.has(f.status) && f.deadline && ownerTz) deadlineReminders(ctx, f, f.deadline, ownerTz);
    if (f.status === 'submitted' && f.submittedAt) acceptanceReminders(ctx, f, f.submittedAt);
  }
  return ctx.out;
}

type SweepContext = ReturnType<typeof sweepContext>;

/** The helpers every series shares during one sweep, and the list it collects into. */
function sweepContext(input: DueRemindersInput) {
  const { now, rules, calendar, members } = input;
  const hours = rules.workingHours;
  const out: ReminderIntent[] = [];

  // Per-sweep memos: thousands of findings share a handful of zones and dates, and zone maths is the cost.
  const memo = <T>(compute: (key: string) => T) => {
    const cache = new Map<string, T>();
    return (key: string): T => {
      if (!cache.has(key)) cache.set(key, compute(key));
      return cache.get(key)!;
    };
  };
  const validZone = memo(isValidZone);
  const todayIn = memo((tz) => localDateOf(now, tz));
  const workingNow = memo((tz) => calendar.isWorkingMoment(now, tz, hours));
  /** A day's reminder time in a zone, moved into working hours when that day is off. */
  const scheduledMemo = memo((dateAndZone) => {
    const [localDate, tz] = dateAndZone.split('|') as [string, string];
    return calendar.nextWorkingMoment(localInstant(localDate, rules.remindAt, tz), tz, hours);
  });
  const scheduled = (localDate: string, tz: string) => scheduledMemo(`${localDate}|${tz}`);
  const zoneOf = (memberId: number | null): string | null => {
    const tz = memberId === null ? undefined : members.get(memberId)?.timeZone;
    return tz && validZone(tz) ? tz : null;
  };
  const emit = (findingId: number, recipientId: number, tz: string, occ: Occurrence | null) => {
    if (!occ || occ.dueAt > now || !workingNow(tz)) return;
    out.push({ key: occ.key, findingId, recipientId, kind: occ.kind, dueAt: occ.dueAt, detail: occ.detail });
  };
  /** The latest occurrence already due; on a tie the later-listed one (the more advanced stage) wins. */
  const latestDue = (occurrences: Occurrence[]): Occurrence | null => {
    let best: Occurrence | null = null;
    for (const o of occurrences) if (o.dueAt <= now && (!best || o.dueAt >= best.dueAt)) best = o;
    return best;
  };
  /** The last two working days up to today (or fewer) from `first` on: the only candidates a daily series needs. */
  const recentWorkingDays = (today: string, first: string): string[] => {
    const last = calendar.workingDayOnOrBefore(today);
    const previous = calendar.addWorkingDays(last, -1);
    return [previous, last].filter((d) => d >= first);
  };
  return { input, rules, calendar, out, todayIn, scheduled, zoneOf, emit, latestDue, recentWorkingDays };
}

/**
 * The escalation ladder of something late since `lateSince` (a date in the owner's zone): the department
 * manager after the rules' managerAfterWorkingDays, the supervisor and every admin after
 * supervisorAfterWorkingDays. Each level is one occurrence per recipient.
 */
function escalate(
  ctx: SweepContext,
  f: ReminderFinding,
  lateSince: string,
  today: string,
  base: string,
  kinds: { manager: ReminderKind; supervisor: ReminderKind },
  detail: ReminderDetail,
) {
  const { rules, calendar } = ctx;
  const levels: Array<{ level: string; kind: ReminderKind; after: number; to: Array<number | null> }> = [
    { level: 'manager', kind: kinds.manager, after: rules.escalation.managerAfterWorkingDays, to: [f.managerId] },
    {
      level: 'supervisor',
      kind: kinds.supervisor,
      after: rules.escalation.supervisorAfterWorkingDays,
      to: [f.supervisorId, ...ctx.input.adminIds],
    },
  ];
  for (const { level, kind, after, to } of levels) {
    const day = calendar.addWorkingDays(lateSince, after);
    // The level is reached by the owner's count (the date is theirs); each recipient then hears at
    // their own reminder time of that day, or at once if it has passed.
    if (day > today) continue;
    // Escalating to the owner would only repeat their own overdue reminder.
    const recipients = new Set(to.filter((id): id is number => id !== null && id !== f.ownerId));
    for (const id of recipients) {
      const tz = ctx.zoneOf(id);
      if (!tz) continue;
      ctx.emit(f.id, id, tz, { key: `${base}:escalate:${level}:${id}`, kind, dueAt: ctx.scheduled(day, tz), detail });
    }
  }
}

/** Something the owner must do by a date (a plan, a deadline). */
interface Lateness {
  /** The owner's date by the end of which it was due. */
  since: string;
  /** The series' key: a new due date is a new series. */
  base: string;
  kinds: { daily: ReminderKind; manager: ReminderKind; supervisor: ReminderKind };
  detail: (daysOverdue: number) => ReminderDetail;
}

const PLAN_LATE: Lateness['kinds'] = {
  daily: 'plan_overdue',
  manager: 'plan_escalation_manager',
  supervisor: 'plan_escalation_supervisor',
};
const DEADLINE_LATE: Lateness['kinds'] = {
  daily: 'overdue',
  manager: 'escalation_manager',
  supervisor: 'escalation_supervisor',
};

/**
 * Ends an owner's series: from the working day after the due date, a reminder each working day (only the latest
 * of the series is sent), then the escalation ladder counted from the due date.
 */
function remindWhileLate(ctx: SweepContext, f: ReminderFinding, ownerTz: string, series: Occurrence[], l: Lateness) {
  const today = ctx.todayIn(ownerTz);
  const daysOverdue = ctx.calendar.workingDaysAfter(l.since, today);
  const detail = l.detail(daysOverdue);
  if (today > l.since)
    for (const day of ctx.recentWorkingDays(today, ctx.calendar.addWorkingDays(l.since, 1)))
      series.push({ key: `${l.base}:overdue:${day}`, kind: l.kinds.daily, dueAt: ctx.scheduled(day, ownerTz), detail });
  ctx.emit(f.id, f.ownerId, ownerTz, ctx.latestDue(series));
  if (daysOverdue > 0) escalate(ctx, f, l.since, today, l.base, l.kinds, detail);
}

/** An open finding's plan: due, then overdue daily, then escalated. */
function planReminders(ctx: SweepContext, f: ReminderFinding, ownerTz: string) {
  const { rules, calendar, scheduled } = ctx;
  const due = calendar.addWorkingDays(localDateOf(f.createdAt, ownerTz), rules.plan.dueAfterWorkingDays);
  const base = `f:${f.id}:plan-due:${due}`;
  const series: Occurrence[] = [
    { key: base, kind: 'plan_due', dueAt: scheduled(due, ownerTz), detail: { planDueDate: due } },
  ];
  // The plan is due by the end of its day: from the next working day on it is late, reminded daily.
  remindWhileLate(ctx, f, ownerTz, series, {
    since: due,
    base,
    kinds: PLAN_LATE,
    detail: (daysOverdue) => ({ planDueDate: due, daysOverdue }),
  });
}

/** A finding with a deadline: the reminders before it, on the day, overdue daily, then escalated. */
function deadlineReminders(ctx: SweepContext, f: ReminderFinding, deadline: Date, ownerTz: string) {
  const { rules, calendar, scheduled } = ctx;
  const deadlineDate = localDateOf(deadline, ownerTz);
  const today = ctx.todayIn(ownerTz);
  // The deadline's date and the rejection round make a new deadline (extension, rejection) a new series.
  const base = `f:${f.id}:r${f.rejectionCount}:${deadlineDate}`;
  const daysLeft = calendar.workingDaysAfter(today, deadlineDate);

  const series: Occurrence[] = [...rules.deadline.before]
    .sort((a, b) => b - a)
    .map((n) => ({
      key: `${base}:deadline-before:${n}`,
      kind: 'deadline_soon' as const,
      dueAt: scheduled(calendar.addWorkingDays(deadlineDate, -n), ownerTz),
      detail: { deadlineDate, daysLeft },
    }));
  series.push({
    key: `${base}:deadline-today`,
    kind: 'deadline_today',
    dueAt: scheduled(deadlineDate, ownerTz),
    detail: { deadlineDate, daysLeft },
  });
  remindWhileLate(ctx, f, ownerTz, series, {
    since: deadlineDate,
    base,
    kinds: DEADLINE_LATE,
    detail: (daysOverdue) => ({ deadlineDate, daysOverdue }),
  });
}

/** A submitted finding waiting for its supervisor's acceptance: nudged daily in the supervisor's zone. */
function acceptanceReminders(ctx: SweepContext, f: ReminderFinding, submittedAt: Date) {
  const { rules, calendar } = ctx;
  const tz = ctx.zoneOf(f.supervisorId);
  if (!tz) return;
  const submitted = localDateOf(submittedAt, tz);
  const today = ctx.todayIn(tz);
  // "Waiting more than N working days": the first nudge comes on the (N+1)-th working day after submission.
  const first = calendar.addWorkingDays(submitted, rules.acceptance.remindAfterWorkingDays + 1);
  const waitingDays = calendar.workingDaysAfter(submitted, today);
  const series = ctx.recentWorkingDays(today, first).map((day) => ({
    key: `f:${f.id}:r${f.rejectionCount}:acceptance-wait:${day}`,
    kind: 'acceptance_waiting' as const,
    dueAt: ctx.scheduled(day, tz),
    detail: { waitingDays },
  }));
  ctx.emit(f.id, f.supervisorId, tz, ctx.latestDue(series));
}

const URGENCY: Record<ReminderKind, number> = {
  escalation_supervisor: 0,
  plan_escalation_supervisor: 0,
  escalation_manager: 1,
  plan_escalation_manager: 1,
  overdue: 2,
  plan_overdue: 2,
  deadline_today: 3,
  plan_due: 4,
  acceptance_waiting: 5,
  deadline_soon: 6,
};

/** Most urgent first: the higher escalation, the longer overdue, the nearer deadline, the longer wait. */
export function compareUrgency(a: ReminderIntent, b: ReminderIntent): number {
  return (
    URGENCY[a.kind] - URGENCY[b.kind] ||
    (b.detail.daysOverdue ?? 0) - (a.detail.daysOverdue ?? 0) ||
    (a.detail.daysLeft ?? 0) - (b.detail.daysLeft ?? 0) ||
    (b.detail.waitingDays ?? 0) - (a.detail.waitingDays ?? 0) ||
    a.dueAt.getTime() - b.dueAt.getTime() ||
    a.findingId - b.findingId
  );
}

/** One digest per person: recipients in the order of their most urgent reminder, each list most urgent first. */
export function groupByRecipient(intents: readonly ReminderIntent[]): Map<number, ReminderIntent[]> {
  return groupBy([...intents].sort(compareUrgency), (intent) => intent.recipientId);
}
