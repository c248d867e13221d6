// The reminder rules file (YAML or JSON). Every field has a default, so an empty file means the defaults.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseOrThrow } from '../shared/validation.js';
import { strictKeys } from '../shared/zod-rules.js';
import { type DocFormat, parseDocument } from '../templates/service.js';

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer')
  .max(365, 'expected at most 365');

const hhmm = z.string({ error: 'expected HH:MM' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

const localDate = z
  .string({ error: 'expected a yyyy-MM-dd date' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid, 'expected a yyyy-MM-dd date');

const dates = z.array(localDate, { error: 'expected a list of yyyy-MM-dd dates' }).max(2000).default([]);

export const reminderRulesSchema = z
  .strictObject(
    {
      calendar: z
        .strictObject(
          {
            region: z.enum(['CN', 'weekends'], { error: 'expected CN or weekends' }).default('CN'),
            extraHolidays: dates,
            extraWorkingDays: dates,
          },
          strictKeys,
        )
        .prefault({}),
      workingHours: z
        .strictObject({ start: hhmm.default('09:00'), end: hhmm.default('18:00') }, strictKeys)
        .prefault({}),
      /** Time of day, in the recipient's zone, at which a day's reminders fall due. */
      remindAt: hhmm.default('09:00'),
      plan: z.strictObject({ dueAfterWorkingDays: positiveInt.default(2) }, strictKeys).prefault({}),
      deadline: z
        .strictObject(
          {
            /** Working days before the deadline's date; the deadline day itself is always reminded. */
            before: z.array(positiveInt, { error: 'expected a list of positive integers' }).max(10).default([3, 1]),
          },
          strictKeys,
        )
        .prefault({}),
      escalation: z
        .strictObject(
          {
            managerAfterWorkingDays: positiveInt.default(2),
            supervisorAfterWorkingDays: positiveInt.default(7),
          },
          strictKeys,
        )
        .prefault({}),
      acceptance: z.strictObject({ remindAfterWorkingDays: positiveInt.default(1) }, strictKeys).prefault({}),
    },
    strictKeys,
  )
  .superRefine((r, ctx) => {
    if (r.workingHours.end <= r.workingHours.start)
      ctx.addIssue({
        code: 'custom',
        path: ['workingHours', 'end'],
        message: 'expected a time after workingHours.start',
      });
    else if (r.remindAt < r.workingHours.start || r.remindAt >= r.workingHours.end)
      ctx.addIssue({ code: 'custom', path: ['remindAt'], message: 'expected a time within workingHours' });
    const seen = new Set<number>();
    r.deadline.before.forEach((n, i) => {
      if (seen.has(n))
        ctx.addIssue({ code: 'custom', path: ['deadline', 'before', i], message: `duplicate value ${n}` });
      seen.add(n);
    });
    const holidays = new Set(r.calendar.extraHolidays);
    r.calendar.extraWorkingDays.forEach((d, i) => {
      if (holidays.has(d))
        ctx.addIssue({
          code: 'custom',
          path: ['calendar', 'extraWorkingDays', i],
          message: `${d} is also in calendar.extraHolidays`,
        });
    });
  });

export type ReminderRules = z.infer<typeof reminderRulesSchema>;

export const DEFAULT_REMINDER_RULES: ReminderRules = reminderRulesSchema.parse({});

/** Validates already-parsed rules; a missing or null document means the defaults. */
export function resolveReminderRules(input: unknown): ReminderRules {
  return parseOrThrow(reminderRulesSchema, input ?? {});
}

/** Parses a rules file; throws ValidationError naming each problem by path, e.g. "workingHours.start: expected HH:MM". */
export function parseReminderRules(text: string, format: DocFormat): ReminderRules {
  return resolveReminderRules(parseDocument(text, format));
}
