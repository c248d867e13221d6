// The evaluation forms (self, supervisor, peer, customer on their behalf, review) and their validation.
// A form's id is "<participant id>:<version>", so a self or supervisor evaluation decided on an older state
// (double click, the cycle moved on) is refused. One page: one select (1-5) and an optional comment per
// criterion asked of the rater kind, under a heading per dimension (the default configuration makes 25
// elements, well within a Slack modal's 100 blocks and a Feishu card's 30 KB; a configuration that would not
// fit is refused when it is imported, see MAX_FORM_ELEMENTS in criteria.ts).

import type { MessageKey } from '../../i18n/messages.js';
import { pick, t } from '../../i18n/t.js';
import type { Locale } from '../../ports.js';
import { truncate } from '../../shared/format.js';
import { answeredFields, onePageForm } from '../../views/forms.js';
import type { FieldErrors, FormElement, FormField, FormView } from '../../views/types.js';
import type { EvaluationConfig, RaterKind } from '../criteria.js';

export { MAX_FORM_ELEMENTS, ratingFormSize } from '../criteria.js';

import { lit } from '../../views/text.js';
import { criteriaFor } from './rules.js';
import type { ParticipantRecord, SubmissionRecord } from './types.js';

export const EVAL_FORM_PREFIX = 'eval.';
export type RatingKind = RaterKind;
export type EvalFormKind = RaterKind | 'review';
/** A criterion's comment, in chat forms and on the customer's web form alike. */
export const NOTE_MAX = 500;
const TEXT_MAX = 2000;

export const formIdOf = (p: Pick<ParticipantRecord, 'id' | 'version'>) => `${p.id}:${p.version}`;
export function parseFormId(formId: string): { id: number; version: number } | null {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(formId);
  return m ? { id: Number(m[1]), version: Number(m[2]) } : null;
}

export interface RatingFormContext {
  config: EvaluationConfig;
  kind: RatingKind;
  participant: ParticipantRecord;
  memberName: string;
  period: string;
  locale: Locale;
  /** Shown beside each criterion on the supervisor's form. */
  self?: SubmissionRecord | null;
}

const scoreId = (i: number) => `c${i}_score`;
const noteId = (i: number) => `c${i}_note`;

export function ratingForm(
  c: RatingFormContext,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
): FormView {
  const l = c.locale;
  const options = [5, 4, 3, 2, 1].map((n) => ({
    value: String(n),
    label: t(l, `evaluation.form.scale${n}` as 'evaluation.form.scale1'),
  }));
  const elements: FormElement[] = [
    {
      kind: 'section',
      title: t(l, 'evaluation.form.intro', { name: c.memberName, period: c.period }),
      text: t(l, `evaluation.form.who.${c.kind}`),
    },
  ];
  if (c.kind === 'customer')
    elements.push({
      kind: 'field',
      field: {
        id: 'customer',
        label: t(l, 'evaluation.form.customerName'),
        kind: 'text',
        required: true,
        maxLength: 100,
        initial: values.customer,
        error: errors.customer,
      },
    });
  for (const { dimension, criteria } of criteriaFor(c.config, c.kind)) {
    elements.push({ kind: 'section', title: `${lit(pick(dimension.name, l))} (${dimension.weight}%)` });
    for (const { criterion, index } of criteria) {
      const own = c.self?.scores[criterion.key];
      const note = c.self?.comments[criterion.key];
      const hint = c.self
        ? own === undefined
          ? t(l, 'evaluation.form.selfNone')
          : t(l, 'evaluation.form.selfHint', { score: own, comment: note ? ` — ${truncate(note, 300)}` : '' })
        : undefined;
      elements.push({
        kind: 'field',
        field: {
          id: scoreId(index),
          label: lit(truncate(pick(criterion.text, l), 150)),
          kind: 'select',
          required: true,
          options,
          ...(hint ? { hint } : {}),
          initial: values[scoreId(index)],
          error: errors[scoreId(index)],
        },
      });
      elements.push({
        kind: 'field',
        field: {
          id: noteId(index),
          label: t(l, 'evaluation.form.comment'),
          kind: 'textarea',
          required: false,
          maxLength: NOTE_MAX,
          initial: values[noteId(index)],
          error: errors[noteId(index)],
        },
      });
    }
  }
  const head = { formType: `${EVAL_FORM_PREFIX}${c.kind}`, formId: formIdOf(c.participant) };
  return onePageForm(l, { ...head, title: t(l, `evaluation.form.title.${c.kind}`) }, elements);
}

export interface CleanRating {
  scores: Record<string, number>;
  comments: Record<string, string>;
  customer?: string;
}

/** Every asked criterion needs a whole score 1-5; comments are optional and limited. */
export function validateRating(
  c: Pick<RatingFormContext, 'config' | 'kind' | 'locale'>,
  raw: Record<string, string | undefined>,
): { clean: CleanRating; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const clean: CleanRating = { scores: {}, comments: {} };
  if (c.kind === 'customer') {
    const name = (raw.customer ?? '').trim();
    if (!name) errors.customer = t(c.locale, 'inspect.err.required');
    else if (name.length > 100) errors.customer = t(c.locale, 'inspect.err.tooLong', { n: 100 });
    else clean.customer = name;
  }
  for (const { criteria } of criteriaFor(c.config, c.kind))
    for (const { criterion, index } of criteria) {
      const v = (raw[scoreId(index)] ?? '').trim();
      if (!v) errors[scoreId(index)] = t(c.locale, 'inspect.err.required');
      else if (!/^[1-5]$/.test(v)) errors[scoreId(index)] = t(c.locale, 'evaluation.form.err.score');
      else clean.scores[criterion.key] = Number(v);
      const note = (raw[noteId(index)] ?? '').trim();
      if (note.length > NOTE_MAX) errors[noteId(index)] = t(c.locale, 'inspect.err.tooLong', { n: NOTE_MAX });
      else if (note) clean.comments[criterion.key] = note;
    }
  return { clean, errors };
}

export function reviewForm(
  p: ParticipantRecord,
  memberName: string,
  period: string,
  locale: Locale,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
): FormView {
  const text = (id: 'plan' | 'goals', label: MessageKey): FormField => ({
    id,
    label: t(locale, label),
    kind: 'textarea',
    required: true,
    maxLength: TEXT_MAX,
  });
  const head = {
    formType: `${EVAL_FORM_PREFIX}review`,
    formId: formIdOf(p),
    title: t(locale, 'evaluation.form.title.review'),
  };
  return onePageForm(locale, head, [
    {
      kind: 'section',
      title: t(locale, 'evaluation.form.intro', { name: memberName, period }),
      text: t(locale, 'evaluation.form.who.review'),
    },
    ...answeredFields([text('plan', 'evaluation.form.plan'), text('goals', 'evaluation.form.goals')], values, errors),
  ]);
}

export function validateReview(
  locale: Locale,
  raw: Record<string, string | undefined>,
): { clean: { plan: string; goals: string }; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const get = (id: 'plan' | 'goals') => {
    const v = (raw[id] ?? '').trim();
    if (!v) errors[id] = t(locale, 'inspect.err.required');
    else if (v.length > TEXT_MAX) errors[id] = t(locale, 'inspect.err.tooLong', { n: TEXT_MAX });
    return v;
  };
  return { clean: { plan: get('plan'), goals: get('goals') }, errors };
}

/** "c:name:<normalized>": one customer, one answer, however their name is typed (case, spaces, width). */
export function customerKey(name: string): string {
  return `c:name:${name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()}`;
}
