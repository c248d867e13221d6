// The form of each rectification step and its validation. A form's id is "<finding id>:<version>", so a
// submission decided on an older state of the finding (double click, someone else acted first) is refused.
import { DateTime } from 'luxon';
import { formIdOf, parseFormId } from '../flows/rules.js';
import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { localDateOf, localInstant } from '../reminders/calendar.js';
import { zoneName } from '../shared/format.js';
import { type DayCalendar, offDayError, workingDayOnOrAfter } from '../shared/working-day.js';
import { answeredFields, onePageForm } from '../views/forms.js';
import type { FieldErrors, FormField, FormView, SelectOption } from '../views/types.js';
import { RECTIFICATION_RULES } from './lifecycle.js';
import { type FindingAction, type FindingRecord, ownerOf } from './types.js';

export type FormAction = Exclude<FindingAction, never>;

const LIMITS = { text: 1000, reason: 500 } as const;
const PERCENTS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

export interface StepFormContext {
  finding: FindingRecord;
  locale: Locale;
  /** The reader's zone: "today" and the current deadline are shown and checked in it. */
  timeZone: string;
  /** People the finding can be given to (its department first). */
  people: SelectOption[];
  /**
   * A deadline is a date in the owner's zone ending at `time` (the end of working hours); `owner` gives the
   * name and zone of the finding's owner or of one offered in `people`.
   */
  deadline: { time: string; owner: (memberId: number) => { name: string; timeZone: string } | undefined };
  /** Working days: a deadline date must be one. */
  calendar: DayCalendar;
}

export { formIdOf, parseFormId };

// A deadline date and the instant it ends are converted by the calendar, as the reminders' dates are.
const localDate = localDateOf;
/** The instant a deadline date ends: `time` (HH:MM) that day in `zone`. */
export const deadlineAt = (date: string, zone: string, time: string): Date => localInstant(date, time, zone);

/** The owner whose zone a deadline date is read in: the one chosen on the plan form, else the finding's. */
function deadlineOwner(c: StepFormContext, ownerId?: number) {
  const id = ownerId ?? ownerOf(c.finding);
  const o = c.deadline.owner(id);
  return { name: o?.name ?? '?', zone: o?.timeZone ?? c.timeZone };
}

/**
 * The earliest working day whose deadline, in `zone`, is still ahead of `now`: today, or the next working
 * day once today's has passed or when today is a day off.
 */
function earliestDate(now: Date, zone: string, time: string, calendar: DayCalendar): string {
  const today = localDate(now, zone);
  return workingDayOnOrAfter(
    deadlineAt(today, zone, time) > now ? today : DateTime.fromISO(today, { zone }).plus({ days: 1 }).toISODate()!,
    calendar,
  );
}

function deadlineHint(c: StepFormContext, now: Date, ownerId?: number): string {
  const o = deadlineOwner(c, ownerId);
  return t(c.locale, 'form.deadlineHint', {
    owner: o.name,
    zone: zoneName(o.zone, c.locale, now),
    time: c.deadline.time,
    earliest: earliestDate(now, o.zone, c.deadline.time, c.calendar),
  });
}

function fields(action: FormAction, c: StepFormContext, now: Date): FormField[] {
  const { locale, finding } = c;
  const l = (key: MessageKey) => t(locale, key);
  const currentOwner = String(finding.ownerId ?? finding.responsibleMemberId);
  const ownerField: FormField = {
    id: 'owner',
    label: l('form.owner'),
    kind: 'select',
    required: true,
    options: c.people,
    initial: currentOwner,
  };
  // Deadline dates are the owner's dates: shown, pre-filled and checked in their zone.
  const ownerZone = deadlineOwner(c).zone;
  const deadline = finding.deadline ? localDate(finding.deadline, ownerZone) : undefined;
  const hint = deadlineHint(c, now);
  switch (action) {
    case 'plan':
      return [
        {
          id: 'measures',
          label: l('form.measures'),
          kind: 'textarea',
          required: true,
          maxLength: LIMITS.text,
          initial: finding.planMeasures ?? undefined,
        },
        ownerField,
        { id: 'deadline', label: l('form.deadline'), kind: 'date', required: true, initial: deadline, hint },
        {
          id: 'support',
          label: l('form.support'),
          kind: 'textarea',
          required: false,
          maxLength: LIMITS.text,
          initial: finding.planSupport ?? undefined,
        },
      ];
    case 'progress':
      return [
        {
          id: 'percent',
          label: l('form.percent'),
          kind: 'select',
          required: true,
          options: PERCENTS.map((p) => ({ value: String(p), label: `${p}%` })),
          initial: String(finding.progressPercent),
        },
        { id: 'note', label: l('form.progressNote'), kind: 'textarea', required: true, maxLength: LIMITS.text },
      ];
    case 'submit':
      return [
        { id: 'done', label: l('form.done'), kind: 'textarea', required: true, maxLength: LIMITS.text },
        { id: 'evidence', label: l('form.evidence'), kind: 'textarea', required: false, maxLength: 3000 },
      ];
    case 'accept':
      return [{ id: 'effect', label: l('form.effect'), kind: 'textarea', required: false, maxLength: LIMITS.text }];
    case 'reject':
      return [
        { id: 'reason', label: l('form.reason'), kind: 'textarea', required: true, maxLength: LIMITS.reason },
        { id: 'deadline', label: l('form.newDeadline'), kind: 'date', required: true, hint },
      ];
    case 'extend':
      return [
        { id: 'deadline', label: l('form.newDeadline'), kind: 'date', required: true, initial: deadline, hint },
        { id: 'reason', label: l('form.reason'), kind: 'textarea', required: true, maxLength: LIMITS.reason },
      ];
    case 'reassign':
      return [
        ownerField,
        { id: 'reason', label: l('form.reason'), kind: 'textarea', required: false, maxLength: LIMITS.reason },
      ];
  }
}

export function stepForm(
  action: FormAction,
  c: StepFormContext,
  now: Date,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
): FormView {
  const head = {
    formType: `${RECTIFICATION_RULES.key}.${action}`,
    formId: formIdOf(c.finding),
    title: t(c.locale, `form.${action}.title`, { id: c.finding.id }),
  };
  return onePageForm(c.locale, head, [
    { kind: 'section', title: c.finding.description.slice(0, 150) },
    ...answeredFields(fields(action, c, now), values, errors),
  ]);
}

export interface CleanStep {
  measures?: string;
  support?: string;
  ownerId?: number;
  /** The chosen local date. */
  date?: string;
  percent?: number;
  note?: string;
  evidence?: string[];
}

const isUrl = (s: string) => /^https?:\/\/\S+$/i.test(s) && URL.canParse(s);

/**
 * Checks a step's answers. A deadline date is the owner's (on the plan form, the owner chosen there): the
 * instant it ends (the end of working hours that day in their zone) must be still ahead.
 */
export function validateStep(
  action: FormAction,
  c: StepFormContext,
  raw: Record<string, string | undefined>,
  now: Date,
): { clean: CleanStep; errors: FieldErrors } {
  const { locale } = c;
  const errors: FieldErrors = {};
  const clean: CleanStep = {};
  const peopleIds = new Set(c.people.map((p) => p.value));
  for (const f of fields(action, c, now)) {
    const v = (raw[f.id] ?? '').trim();
    const err = (key: MessageKey, params?: Record<string, string | number>) =>
      (errors[f.id] ??= t(locale, key, params));
    if (!v) {
      if (f.required) err(f.kind === 'date' ? 'form.err.date' : 'inspect.err.required');
      continue;
    }
    if (f.maxLength && v.length > f.maxLength) {
      err('inspect.err.tooLong', { n: f.maxLength });
      continue;
    }
    switch (f.id) {
      case 'owner':
        if (!peopleIds.has(v)) err('inspect.err.invalidOption');
        else if (action === 'reassign' && Number(v) === (c.finding.ownerId ?? c.finding.responsibleMemberId))
          err('form.err.sameOwner');
        else clean.ownerId = Number(v);
        break;
      case 'deadline': {
        const owner = deadlineOwner(c, clean.ownerId);
        const d = DateTime.fromISO(v, { zone: owner.zone });
        const today = localDate(now, owner.zone);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !d.isValid) err('form.err.date');
        else if (v < today) err('form.err.past', { today });
        else if (deadlineAt(v, owner.zone, c.deadline.time) <= now)
          err('form.err.deadlinePassed', {
            owner: owner.name,
            zone: zoneName(owner.zone, locale, now),
            time: c.deadline.time,
            earliest: earliestDate(now, owner.zone, c.deadline.time, c.calendar),
          });
        else if (d.diff(DateTime.fromISO(today, { zone: owner.zone }), 'days').days > 366) err('form.err.tooFar');
        else if (!c.calendar.isWorkingDay(v)) errors[f.id] ??= offDayError(v, c.calendar, locale)!;
        else if (action === 'extend' && c.finding.deadline && v <= localDate(c.finding.deadline, owner.zone))
          err('form.err.notLater', { deadline: localDate(c.finding.deadline, owner.zone) });
        else clean.date = v;
        break;
      }
      case 'percent':
        if (!PERCENTS.includes(Number(v)) || !/^\d+$/.test(v)) err('inspect.err.invalidOption');
        else clean.percent = Number(v);
        break;
      case 'evidence': {
        const links = v.split(/\s+/).filter(Boolean);
        if (links.some((x) => !isUrl(x))) err('inspect.err.url');
        else clean.evidence = links;
        break;
      }
      case 'measures':
        clean.measures = v;
        break;
      case 'support':
        clean.support = v;
        break;
      default:
        // note, done, effect, reason: the step's note.
        clean.note = clean.note ? `${clean.note}\n${v}` : v;
    }
  }
  return { clean, errors };
}
