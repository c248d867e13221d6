// Working days and working hours. One calendar serves the whole organisation (one database holds one);
// what differs per person is the time zone in which "today" and "09:00" are read.
import { DateTime } from 'luxon';
import { chinaOfficialCalendar } from './official-calendar-cn.js';

/** Official exceptions to the Monday-Friday week: public holidays and make-up working days (调休). */
export interface OfficialCalendar {
  readonly name: string;
  /** Years the data covers; outside them only weekends and the rules' extra days apply. */
  readonly years: { first: number; last: number };
  /** 'holiday' or 'workday' when the official calendar overrides the weekday rule, null otherwise. */
  override(localDate: string): 'holiday' | 'workday' | null;
}

/** 'CN': mainland China's official calendar; 'weekends': Monday to Friday, nothing else. */
export type CalendarRegion = 'CN' | 'weekends';

export interface CalendarSettings {
  region: CalendarRegion;
  /** yyyy-MM-dd dates off work for this organisation (company days off). */
  extraHolidays: readonly string[];
  /** yyyy-MM-dd dates worked although the calendar says otherwise; these win over everything. */
  extraWorkingDays: readonly string[];
}

/** Local wall-clock times, HH:MM; a moment is inside when start <= time < end. */
export interface WorkingHours {
  start: string;
  end: string;
}

// Ten years: far beyond any real run of days off, short enough to stop a calendar with no working day at all.
const MAX_SCAN_DAYS = 3660;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

// Dates as whole days since 1970-01-01: sweeps count days for every open finding, and plain integers are
// orders of magnitude cheaper than date objects.
function dayNumber(localDate: string): number {
  const m = DATE_RE.exec(localDate);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (!m || y < 1000 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new RangeError(`expected a yyyy-MM-dd date, got "${localDate}"`);
  return ms / DAY_MS;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function zoned(instant: Date, timeZone: string): DateTime {
  const dt = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!dt.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  return dt;
}

/** The yyyy-MM-dd date an instant falls on in a zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return zoned(instant, timeZone).toISODate()!;
}

/** The instant of a local date and HH:MM time in a zone (a time skipped by a DST change moves forward). */
export function localInstant(localDate: string, time: string, timeZone: string): Date {
  const dt = DateTime.fromISO(`${localDate}T${time}`, { zone: timeZone });
  if (!dt.isValid) throw new RangeError(`invalid local time ${localDate} ${time} in "${timeZone}"`);
  return dt.toJSDate();
}

export function isValidZone(timeZone: string): boolean {
  return DateTime.now().setZone(timeZone).isValid;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export class WorkCalendar {
  private readonly extraHolidays: ReadonlySet<number>;
  private readonly extraWorkingDays: ReadonlySet<number>;
  private readonly memo = new Map<number, boolean>();
  readonly official: OfficialCalendar | null;

  constructor(settings: CalendarSettings, official?: OfficialCalendar | null) {
    this.extraHolidays = new Set(settings.extraHolidays.map(dayNumber));
    this.extraWorkingDays = new Set(settings.extraWorkingDays.map(dayNumber));
    this.official = official !== undefined ? official : settings.region === 'CN' ? chinaOfficialCalendar : null;
  }

  isWorkingDay(localDate: string): boolean {
    return this.isWorkingDayNumber(dayNumber(localDate));
  }

  private isWorkingDayNumber(day: number): boolean {
    let working = this.memo.get(day);
    if (working === undefined) {
      if (this.extraWorkingDays.has(day)) working = true;
      else if (this.extraHolidays.has(day)) working = false;
      else {
        const override = this.official?.override(dateOf(day));
        // Day 0 was a Thursday; (day + 3) mod 7 counts Monday as 0, so 5 and 6 are the weekend.
        working = override ? override === 'workday' : (((day + 3) % 7) + 7) % 7 < 5;
      }
      this.memo.set(day, working);
    }
    return working;
  }

  /** The n-th working day after (n < 0: before) a date, never the date itself; n = 0 returns the date. */
  addWorkingDays(localDate: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`expected a whole number of days, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let day = dayNumber(localDate);
    let left = Math.abs(n);
    for (let scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new RangeError('the calendar has no working day within ten years');
      day += step;
      if (this.isWorkingDayNumber(day)) left--;
    }
    return dateOf(day);
  }

  /** The date itself when it is a working day, else the working day before it. */
  workingDayOnOrBefore(localDate: string): string {
    return this.isWorkingDay(localDate) ? localDate : this.addWorkingDays(localDate, -1);
  }

  /**
   * Working days strictly after `from` up to and including `to`. Negative when `to` is earlier, so that
   * workingDaysAfter(a, c) = workingDaysAfter(a, b) + workingDaysAfter(b, c).
   */
  workingDaysAfter(fromLocalDate: string, toLocalDate: string): number {
    const from = dayNumber(fromLocalDate);
    const to = dayNumber(toLocalDate);
    const [lo, hi, sign] = to < from ? [to, from, -1] : [from, to, 1];
    let count = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.isWorkingDayNumber(day)) count++;
    return sign * count;
  }

  isWorkingMoment(instant: Date, timeZone: string, hours: WorkingHours): boolean {
    return this.nextWorkingMoment(instant, timeZone, hours).getTime() === instant.getTime();
  }

  /** The instant itself when it lies in working hours on a working day in that zone, else the next start of work. */
  nextWorkingMoment(instant: Date, timeZone: string, hours: WorkingHours): Date {
    const local = zoned(instant, timeZone);
    const date = local.toISODate()!;
    const minute = local.hour * 60 + local.minute;
    if (this.isWorkingDay(date)) {
      if (minute < minutesOf(hours.start)) return localInstant(date, hours.start, timeZone);
      if (minute < minutesOf(hours.end)) return instant;
    }
    return localInstant(this.addWorkingDays(date, 1), hours.start, timeZone);
  }
}
