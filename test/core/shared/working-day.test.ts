// A deadline a person picks is refused on a day off by the organisation's calendar (mainland China's
// official one by default), with the next working day named in the reader's language.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { offDayError } from '../../../src/core/shared/working-day.js';

const cn = new WorkCalendar(DEFAULT_REMINDER_RULES.calendar);

describe('a chosen deadline on a day off', () => {
  it('names a weekend and the next working day, in both languages', () => {
    expect(offDayError('2026-11-28', cn, 'zh-CN')).toBe(
      '2026-11-28（星期六）是周末，不是工作日；下一个工作日是 2026-11-30（星期一）。',
    );
    expect(offDayError('2026-11-29', cn, 'en')).toBe(
      '2026-11-29 (Sunday) is a weekend; the next working day is 2026-11-30 (Monday).',
    );
  });

  it('names a public holiday, skipping the whole holiday to the next working day', () => {
    // National Day 2026: 1-7 October off.
    expect(offDayError('2026-10-05', cn, 'zh-CN')).toBe(
      '2026-10-05（星期一）是节假日，不是工作日；下一个工作日是 2026-10-08（星期四）。',
    );
    expect(offDayError('2026-10-05', cn, 'en')).toBe(
      '2026-10-05 (Monday) is a public holiday; the next working day is 2026-10-08 (Thursday).',
    );
    // The Mid-Autumn weekend before it runs from a Friday, and a Saturday in it is still a weekend.
    expect(offDayError('2026-09-25', cn, 'en')).toBe(
      '2026-09-25 (Friday) is a public holiday; the next working day is 2026-09-28 (Monday).',
    );
  });

  it('accepts a working day, and a weekend that is an official make-up working day (调休)', () => {
    expect(offDayError('2026-11-30', cn, 'zh-CN')).toBeNull();
    expect(offDayError('2026-10-10', cn, 'zh-CN')).toBeNull(); // a Saturday worked for National Day
  });

  it('keeps to the organisation’s own days off and days worked', () => {
    const own = new WorkCalendar({
      region: 'weekends',
      extraHolidays: ['2026-12-24'],
      extraWorkingDays: ['2026-12-26'],
    });
    expect(offDayError('2026-12-24', own, 'en')).toBe(
      '2026-12-24 (Thursday) is a public holiday; the next working day is 2026-12-25 (Friday).',
    );
    expect(offDayError('2026-12-26', own, 'en')).toBeNull();
  });
});
