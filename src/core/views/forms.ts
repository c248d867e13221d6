// What the one-page forms of the flows (approval, rectification and evaluation steps, peer nominations) have in
// common: how they are framed, how a field shows what was typed and what was wrong, and how a form goes back to
// the person with its errors instead of being saved.
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import type { FieldErrors, FormElement, FormField, FormOutcome, FormView } from './types.js';

/** A single-page form with the usual submit and cancel buttons. */
export function onePageForm(
  locale: Locale,
  head: { formType: string; formId: string; title: string },
  elements: FormElement[],
): FormView {
  return {
    ...head,
    page: 0,
    pageCount: 1,
    submitLabel: t(locale, 'common.submit'),
    closeLabel: t(locale, 'common.cancel'),
    elements,
  };
}

/** Each field as a form element, showing the value typed before and its error when the form comes back. */
export function answeredFields(list: FormField[], values: Record<string, string>, errors: FieldErrors): FormElement[] {
  return list.map((f) => ({
    kind: 'field' as const,
    field: {
      ...f,
      ...(values[f.id] !== undefined ? { initial: values[f.id] } : {}),
      ...(errors[f.id] ? { error: errors[f.id] } : {}),
    },
  }));
}

/** The answers as submitted, so that a form sent back keeps what the person typed. */
export function keptAnswers(raw: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The form sent back with an error on each wrong field and a line saying how many; null when nothing is wrong. */
export function sentBack(locale: Locale, errors: FieldErrors, form: () => FormView): FormOutcome | null {
  const n = Object.keys(errors).length;
  if (n === 0) return null;
  return { kind: 'errors', errors, summary: t(locale, 'inspect.err.summary', { n }), form: form() };
}
