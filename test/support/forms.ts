import type { FormElement, FormField, FormView } from '../../src/core/views/types.js';
import { fieldsOf } from '../../src/core/views/types.js';

/** Answers every item on a page as passing (best score), like a supervisor with nothing to report.
 *  Pre-filled values are submitted too, as Slack and Feishu do with initial options. */
export function passAll(form: FormView): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of fieldsOf(form)) {
    if (f.initial) values[f.id] = f.initial;
    if (f.id.endsWith('_score')) values[f.id] = f.options?.some((o) => o.value === 'pass') ? 'pass' : '5';
  }
  return values;
}

/** Marks the first item of a page failed, with a complete finding. */
export function failFirst(
  form: FormView,
  finding: { desc: string; owner?: string; sev?: string; note?: string; impact?: string; ev?: string },
): Record<string, string> {
  const values = passAll(form);
  const first = fieldsOf(form).find((f) => f.id.endsWith('_score'))!;
  const p = first.id.replace(/_score$/, '');
  values[first.id] = first.options?.some((o) => o.value === 'fail') ? 'fail' : '1';
  values[`${p}_note`] = finding.note ?? 'seen on site';
  values[`${p}_desc`] = finding.desc;
  values[`${p}_sev`] = finding.sev ?? 'high';
  if (finding.owner) values[`${p}_owner`] = finding.owner;
  if (finding.impact) values[`${p}_impact`] = finding.impact;
  if (finding.ev) values[`${p}_ev`] = finding.ev;
  return values;
}

/**
 * The peer picker form (eval.peers 7:2:1) with its one 'users' field, required, for the renderers' tests:
 * `picker` adds to the field (options, initial, error, maxItems), `before` goes above it.
 */
export function peerPickerForm(picker: Partial<FormField>, before: FormElement[] = []): FormView {
  return {
    formType: 'eval.peers',
    formId: '7:2:1',
    page: 0,
    pageCount: 1,
    title: 'Nominate peers',
    submitLabel: 'Submit',
    closeLabel: 'Cancel',
    elements: [
      ...before,
      {
        kind: 'field',
        field: {
          id: 'peers',
          label: 'Peer raters',
          kind: 'users',
          required: true,
          placeholder: 'Choose colleagues',
          ...picker,
        },
      },
    ],
  };
}
