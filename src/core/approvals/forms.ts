// The form of each approval step and its validation. Form type `approval.<step>`, form id `<id>:<version>`.
import { formIdOf } from '../flows/rules.js';
import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import { answeredFields, onePageForm } from '../views/forms.js';
import type { FieldErrors, FormField, FormView } from '../views/types.js';
import { APPROVAL_FLOW, type ApprovalClean, type ApprovalRecord, type ApprovalStep } from './types.js';

export const APPROVAL_LIMITS = { title: 150, body: 3000, reason: 500 } as const;

export interface ApprovalFormContext {
  item: ApprovalRecord;
  locale: Locale;
}

function fields(step: ApprovalStep, c: ApprovalFormContext): FormField[] {
  const l = (key: MessageKey) => t(c.locale, key);
  switch (step) {
    case 'approve':
      return [
        {
          id: 'comment',
          label: l('approval.form.comment'),
          kind: 'textarea',
          required: false,
          maxLength: APPROVAL_LIMITS.reason,
        },
      ];
    case 'return':
      return [
        {
          id: 'reason',
          label: l('approval.form.reason'),
          kind: 'textarea',
          required: true,
          maxLength: APPROVAL_LIMITS.reason,
        },
      ];
    case 'resubmit':
      return [
        {
          id: 'title',
          label: l('approval.form.title'),
          kind: 'text',
          required: true,
          maxLength: APPROVAL_LIMITS.title,
          initial: c.item.data.title,
        },
        {
          id: 'body',
          label: l('approval.form.body'),
          kind: 'textarea',
          required: true,
          maxLength: APPROVAL_LIMITS.body,
          initial: c.item.data.body,
        },
        {
          id: 'comment',
          label: l('approval.form.changes'),
          kind: 'textarea',
          required: false,
          maxLength: APPROVAL_LIMITS.reason,
        },
      ];
  }
}

export function approvalForm(
  step: ApprovalStep,
  c: ApprovalFormContext,
  _now: Date,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
): FormView {
  const head = {
    formType: `${APPROVAL_FLOW}.${step}`,
    formId: formIdOf(c.item),
    title: t(c.locale, `approval.form.${step}.title`, { id: c.item.id }),
  };
  return onePageForm(c.locale, head, [
    { kind: 'section', title: c.item.data.title.slice(0, 150) },
    ...answeredFields(fields(step, c), values, errors),
  ]);
}

export function validateApproval(
  step: ApprovalStep,
  c: ApprovalFormContext,
  raw: Record<string, string | undefined>,
): { clean: ApprovalClean; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const clean: ApprovalClean = {};
  for (const f of fields(step, c)) {
    const v = (raw[f.id] ?? '').trim();
    if (!v) {
      if (f.required) errors[f.id] = t(c.locale, 'inspect.err.required');
      continue;
    }
    if (f.maxLength && v.length > f.maxLength) {
      errors[f.id] = t(c.locale, 'inspect.err.tooLong', { n: f.maxLength });
      continue;
    }
    clean[f.id as keyof ApprovalClean] = v;
  }
  return { clean, errors };
}
