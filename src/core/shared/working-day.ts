// A deadline a person picks must be a working day by the organisation's calendar (the reminders' one):
// reminders and escalations count working days, and a deadline on a day off would fall due with nobody at
// work. Refused with the next working day named, rather than moved silently.
import { DateTime } from 'luxon';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';

/** The part of the work calendar (reminders/calendar.ts) a deadline check needs. */
export interface DayCalendar {
  isWorkingDay(localDate: string): boolean;
  addWorkingDays(localDate: string, n: number): string;
}

/** A yyyy-MM-dd date with its day of the week: 2026-11-30（星期一）, 2026-11-30 (Monday). */
export function formatDay(localDate: string, locale: Locale): string {
  const weekday = DateTime.fromISO(localDate).setLocale(locale).toFormat('cccc');
  return locale === 'zh-CN' ? `${localDate}（${weekday}）` : `${localDate} (${weekday})`;
}

/** Why a chosen deadline date cannot be, naming the next working day; null on a working day. */
export function offDayError(localDate: string, calendar: DayCalendar, locale: Locale): string | null {
  if (calendar.isWorkingDay(localDate)) return null;
  // A weekday off is a public holiday (or the organisation's own day off); a Saturday is a weekend even in a holiday week.
  const weekend = DateTime.fromISO(localDate).weekday >= 6;
  return t(locale, weekend ? 'form.err.weekend' : 'form.err.holiday', {
    date: formatDay(localDate, locale),
    next: formatDay(calendar.addWorkingDays(localDate, 1), locale),
  });
}

/** The date itself when it is a working day, else the next one. */
export function workingDayOnOrAfter(localDate: string, calendar: DayCalendar): string {
  return calendar.isWorkingDay(localDate) ? localDate : calendar.addWorkingDays(localDate, 1);
}
