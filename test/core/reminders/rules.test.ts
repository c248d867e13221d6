import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_RULES, parseReminderRules } from '../../../src/core/reminders/rules.js';
import { problems } from '../../support/validation.js';

describe('reminder rules file', () => {
  it('defaults to the policy’s rules', () => {
    expect(DEFAULT_REMINDER_RULES).toEqual({
      calendar: { region: 'CN', extraHolidays: [], extraWorkingDays: [] },
      workingHours: { start: '09:00', end: '18:00' },
      remindAt: '09:00',
      plan: { dueAfterWorkingDays: 2 },
      deadline: { before: [3, 1] },
      escalation: { managerAfterWorkingDays: 2, supervisorAfterWorkingDays: 7 },
      acceptance: { remindAfterWorkingDays: 1 },
    });
    expect(parseReminderRules('', 'yaml')).toEqual(DEFAULT_REMINDER_RULES);
    expect(parseReminderRules('{}', 'json')).toEqual(DEFAULT_REMINDER_RULES);
  });

  it('fills what a file leaves out from the defaults', () => {
    const rules = parseReminderRules(
      [
        'calendar:',
        '  region: weekends',
        '  extraHolidays: [2026-12-24]',
        'workingHours: { start: "08:30" }',
        'deadline:',
        '  before: [5, 2, 1]',
      ].join('\n'),
      'yaml',
    );
    expect(rules.calendar).toEqual({ region: 'weekends', extraHolidays: ['2026-12-24'], extraWorkingDays: [] });
    expect(rules.workingHours).toEqual({ start: '08:30', end: '18:00' });
    expect(rules.deadline.before).toEqual([5, 2, 1]);
    expect(rules.escalation.supervisorAfterWorkingDays).toBe(7);
  });

  it('reads JSON too', () => {
    const rules = parseReminderRules('{"escalation": {"managerAfterWorkingDays": 3}, "remindAt": "10:30"}', 'json');
    expect(rules.escalation).toEqual({ managerAfterWorkingDays: 3, supervisorAfterWorkingDays: 7 });
    expect(rules.remindAt).toBe('10:30');
  });

  it('names the path of every problem', () => {
    const yaml = [
      'calendar:',
      '  region: mars',
      '  extraHolidays: [2026-13-01, "2026-02-30", 20261001]',
      'workingHours: { start: "9:00", end: "18:00" }',
      'plan: { dueAfterWorkingDays: 0 }',
      'deadline: { before: [3, 1.5, -1] }',
      'escalation: { managerAfterWorkingDays: "two" }',
    ].join('\n');
    expect(problems(() => parseReminderRules(yaml, 'yaml'))).toEqual([
      'calendar.region: expected CN or weekends',
      'calendar.extraHolidays[0]: expected a yyyy-MM-dd date',
      'calendar.extraHolidays[1]: expected a yyyy-MM-dd date',
      'calendar.extraHolidays[2]: expected a yyyy-MM-dd date',
      'workingHours.start: expected HH:MM',
      'plan.dueAfterWorkingDays: expected a positive integer, got 0',
      'deadline.before[1]: expected a positive integer',
      'deadline.before[2]: expected a positive integer, got -1',
      'escalation.managerAfterWorkingDays: expected a positive integer',
    ]);
  });

  it('checks that the parts agree with each other', () => {
    expect(problems(() => parseReminderRules('workingHours: { start: "18:00", end: "09:00" }', 'yaml'))).toEqual([
      'workingHours.end: expected a time after workingHours.start',
    ]);
    expect(problems(() => parseReminderRules('remindAt: "07:00"', 'yaml'))).toEqual([
      'remindAt: expected a time within workingHours',
    ]);
    expect(
      problems(() =>
        parseReminderRules(
          'deadline: { before: [3, 1, 3] }\ncalendar: { extraHolidays: [2026-12-24], extraWorkingDays: [2026-12-24] }',
          'yaml',
        ),
      ),
    ).toEqual([
      'deadline.before[2]: duplicate value 3',
      'calendar.extraWorkingDays[0]: 2026-12-24 is also in calendar.extraHolidays',
    ]);
  });

  it('rejects unknown keys, so a misspelt setting is not silently ignored', () => {
    expect(
      problems(() => parseReminderRules('workinghours: { start: "08:00" }\nplan: { dueAfterDays: 3 }', 'yaml')),
    ).toEqual([
      'plan.dueAfterDays: unknown key; expected one of dueAfterWorkingDays',
      'workinghours: unknown key (did you mean "workingHours"?)',
    ]);
  });

  it('reports syntax errors and non-objects instead of crashing', () => {
    expect(problems(() => parseReminderRules('deadline: [unclosed', 'yaml'))[0]).toMatch(/^\(syntax\)/);
    expect(problems(() => parseReminderRules('{"deadline":', 'json'))[0]).toMatch(/^\(syntax\)/);
    expect(problems(() => parseReminderRules('- 1\n- 2', 'yaml'))).toEqual(['(root): expected an object']);
    expect(problems(() => parseReminderRules('deadline: 3', 'yaml'))).toEqual(['deadline: expected an object']);
  });
});
