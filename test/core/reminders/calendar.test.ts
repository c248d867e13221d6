import { describe, expect, it } from 'vitest';
import { localDateOf, type OfficialCalendar, WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { LDN, local, NY, SH } from './fixtures.js';

const cn = new WorkCalendar({ region: 'CN', extraHolidays: [], extraWorkingDays: [] });
const weekends = new WorkCalendar({ region: 'weekends', extraHolidays: [], extraWorkingDays: [] });
const HOURS = { start: '09:00', end: '18:00' };

describe('working days', () => {
  it('follows mainland China’s official 2026 calendar: National Day, Mid-Autumn and the make-up days (调休)', () => {
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-09-25'])
      expect(cn.isWorkingDay(d), d).toBe(false);
    // Sunday 20 September and Saturday 10 October 2026 are worked in exchange for the holiday week.
    expect(cn.isWorkingDay('2026-09-20')).toBe(true);
    expect(cn.isWorkingDay('2026-10-10')).toBe(true);
    expect(cn.isWorkingDay('2026-10-11')).toBe(false);
    expect(cn.isWorkingDay('2026-10-08')).toBe(true);
    expect(cn.isWorkingDay('2026-02-14')).toBe(true); // Spring Festival make-up Saturday
    expect(cn.isWorkingDay('2026-02-17')).toBe(false);
  });

  it('with region "weekends" only Saturdays and Sundays are off', () => {
    expect(weekends.isWorkingDay('2026-10-01')).toBe(true);
    expect(weekends.isWorkingDay('2026-10-10')).toBe(false);
    expect(weekends.isWorkingDay('2026-09-20')).toBe(false);
    expect(weekends.official).toBeNull();
  });

  it('lets the organisation add its own days off and worked days, which win over the official calendar', () => {
    const own = new WorkCalendar({
      region: 'CN',
      extraHolidays: ['2026-11-20'],
      extraWorkingDays: ['2026-10-02', '2026-11-21'],
    });
    expect(own.isWorkingDay('2026-11-20')).toBe(false);
    expect(own.isWorkingDay('2026-10-02')).toBe(true);
    expect(own.isWorkingDay('2026-11-21')).toBe(true);
  });

  it('answers the same whatever the server’s own time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/New_York', 'Pacific/Honolulu', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expect(cn.isWorkingDay('2026-09-19'), tz).toBe(false); // a plain Saturday
        expect(cn.isWorkingDay('2026-09-21'), tz).toBe(true);
        expect(cn.isWorkingDay('2026-10-10'), tz).toBe(true);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('comes from a data set that covers 2026', () => {
    expect(chinaOfficialCalendar.years.first).toBeLessThanOrEqual(2025);
    expect(chinaOfficialCalendar.years.last).toBeGreaterThanOrEqual(2026);
  });

  it('falls back to the weekday rule in years the official data does not cover', () => {
    const fake: OfficialCalendar = { name: 'fake', years: { first: 2026, last: 2026 }, override: () => null };
    const c = new WorkCalendar({ region: 'CN', extraHolidays: [], extraWorkingDays: [] }, fake);
    expect(c.isWorkingDay('2031-01-06')).toBe(true);
    expect(c.isWorkingDay('2031-01-05')).toBe(false);
  });

  it('rejects malformed dates', () => {
    expect(() => cn.isWorkingDay('2026-1-5')).toThrow(RangeError);
    expect(() => cn.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('counting working days', () => {
  it('adds working days over the National Day week', () => {
    expect(cn.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cn.addWorkingDays('2026-09-29', 2)).toBe('2026-10-08');
    expect(cn.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10'); // the make-up Saturday
    expect(cn.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    expect(cn.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(weekends.addWorkingDays('2026-09-30', 1)).toBe('2026-10-01');
  });

  it('counts working days strictly after the first date up to and including the second', () => {
    expect(cn.workingDaysAfter('2026-09-30', '2026-10-10')).toBe(3); // 10-08, 10-09, 10-10
    expect(cn.workingDaysAfter('2026-09-30', '2026-09-30')).toBe(0);
    expect(cn.workingDaysAfter('2026-10-01', '2026-10-07')).toBe(0);
    expect(cn.workingDaysAfter('2026-10-10', '2026-09-30')).toBe(-3);
    expect(weekends.workingDaysAfter('2026-09-30', '2026-10-10')).toBe(7);
  });

  it('gives the working day on or before a date', () => {
    expect(cn.workingDayOnOrBefore('2026-10-05')).toBe('2026-09-30');
    expect(cn.workingDayOnOrBefore('2026-10-09')).toBe('2026-10-09');
  });
});

describe('working moments', () => {
  it('keeps an instant inside working hours and moves others to the next start of work', () => {
    const inside = local('2026-11-25 17:59', SH);
    expect(cn.nextWorkingMoment(inside, SH, HOURS)).toEqual(inside);
    expect(cn.nextWorkingMoment(local('2026-11-25 03:00', SH), SH, HOURS)).toEqual(local('2026-11-25 09:00', SH));
    expect(cn.nextWorkingMoment(local('2026-11-25 18:00', SH), SH, HOURS)).toEqual(local('2026-11-26 09:00', SH));
    expect(cn.nextWorkingMoment(local('2026-11-27 20:00', SH), SH, HOURS)).toEqual(local('2026-11-30 09:00', SH));
    expect(cn.nextWorkingMoment(local('2026-09-30 20:00', SH), SH, HOURS)).toEqual(local('2026-10-08 09:00', SH));
  });

  it('reads hours in the zone asked for', () => {
    const instant = new Date('2026-11-25T10:00:00Z'); // 18:00 Shanghai, 10:00 London, 05:00 New York
    expect(cn.isWorkingMoment(instant, SH, HOURS)).toBe(false);
    expect(cn.isWorkingMoment(instant, LDN, HOURS)).toBe(true);
    expect(cn.isWorkingMoment(instant, NY, HOURS)).toBe(false);
    expect(cn.nextWorkingMoment(instant, NY, HOURS)).toEqual(local('2026-11-25 09:00', NY));
  });

  it('keeps 09:00 local across a daylight-saving change', () => {
    // London leaves summer time on Sunday 25 October 2026.
    expect(cn.nextWorkingMoment(new Date('2026-10-23T05:00:00Z'), LDN, HOURS)).toEqual(
      new Date('2026-10-23T08:00:00Z'),
    );
    expect(cn.nextWorkingMoment(new Date('2026-10-23T17:30:00Z'), LDN, HOURS)).toEqual(
      new Date('2026-10-26T09:00:00Z'),
    );
  });

  it('gives local dates per zone', () => {
    const instant = new Date('2026-11-25T20:00:00Z');
    expect(localDateOf(instant, SH)).toBe('2026-11-26');
    expect(localDateOf(instant, NY)).toBe('2026-11-25');
  });
});
