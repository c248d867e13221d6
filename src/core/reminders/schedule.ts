// When the sweep must look at a finding again. Every reminder falls due at the reminder time of some day
// in the zone of one of the finding's people, so the next such moment among them is always early enough;
// a look that finds nothing due only moves the time on.
import { DateTime } from 'luxon';
import { localDateOf, localInstant, type WorkCalendar } from './calendar.js';
import type { ReminderRules } from './rules.js';

export function nextRemindMoment(now: Date, timeZone: string, remindAt: string): Date {
  const [hour, minute] = remindAt.split(':').map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  let at = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (at.toMillis() <= now.getTime()) at = at.plus({ days: 1 }).set({ hour, minute });
  return at.toJSDate();
}

/**
 * The next look for a finding whose people live in these zones; null when it needs none (accepted).
 * `moments` memoises each zone's next reminder time for one `now` (a sweep passes one for all its findings).
 */
export function nextCheckAt(
  now: Date,
  zones: Iterable<string>,
  rules: Pick<ReminderRules, 'remindAt'>,
  active: boolean,
  moments?: Map<string, Date>,
): Date | null {
  if (!active) return null;
  let best: Date | null = null;
  for (const tz of new Set(zones)) {
    let at = moments?.get(tz);
    if (!at) {
      at = nextRemindMoment(now, tz, rules.remindAt);
      moments?.set(tz, at);
    }
    if (!best || at < best) best = at;
  }
  return best;
}

/** When an open finding's plan is due: N working days after it was found, at the end of that working day. */
export function planDueAt(
  createdAt: Date,
  timeZone: string,
  rules: Pick<ReminderRules, 'plan' | 'workingHours'>,
  calendar: Pick<WorkCalendar, 'addWorkingDays'>,
): Date {
  const date = calendar.addWorkingDays(localDateOf(createdAt, timeZone), rules.plan.dueAfterWorkingDays);
  return localInstant(date, rules.workingHours.end, timeZone);
}
