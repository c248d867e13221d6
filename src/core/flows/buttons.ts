// A flow card's row of buttons, the same for every flow: one per step the reader may take (`<key>.<step>`),
// the way forward highlighted and the way back in red, then the record's history (`<key>.history`).
import { t } from '../i18n/t.js';
import type { Locale } from '../ports.js';
import type { Block, Button } from '../views/types.js';

export interface StepButtonStyle<Step extends string> {
  label: (step: Step) => string;
  /** Steps that move the record on (approve, submit, accept). */
  primary: readonly Step[];
  /** Steps that send it back (return, reject). */
  danger: readonly Step[];
}

export function stepActions<Step extends string>(
  key: string,
  id: number,
  steps: readonly Step[],
  locale: Locale,
  style: StepButtonStyle<Step>,
): Block {
  const buttons: Button[] = steps.map((s) => ({
    actionId: `${key}.${s}`,
    label: style.label(s),
    value: String(id),
    ...(style.primary.includes(s)
      ? { style: 'primary' as const }
      : style.danger.includes(s)
        ? { style: 'danger' as const }
        : {}),
  }));
  buttons.push({ actionId: `${key}.history`, label: t(locale, 'action.history'), value: String(id) });
  return { kind: 'actions', buttons };
}
