// One table from each form type and each button's action id to the handler that owns it, filled by every
// feature when the core is made (src/core/create-core.ts); src/core/app.ts looks names up here and knows no
// feature's prefixes.

import type { ActionInput, FormSubmitInput } from '../facade.js';
import type { Member } from '../ports.js';
import type { FormOutcome, Reply } from '../views/types.js';

export type FormHandler = (me: Member, input: FormSubmitInput) => Promise<FormOutcome>;
/** Null: the button's value is not one the handler knows (an old message, a forged payload). */
export type ActionHandler = (me: Member, input: ActionInput) => Promise<Reply | null>;

export class FlowRoutes {
  private readonly forms = new Map<string, FormHandler>();
  private readonly actions = new Map<string, ActionHandler>();

  /** A form type has exactly one handler: a second registration is a programming error. */
  form(formType: string, handler: FormHandler): this {
    if (this.forms.has(formType)) throw new Error(`form type ${formType} is registered twice`);
    this.forms.set(formType, handler);
    return this;
  }

  action(actionId: string, handler: ActionHandler): this {
    if (this.actions.has(actionId)) throw new Error(`action ${actionId} is registered twice`);
    this.actions.set(actionId, handler);
    return this;
  }

  formHandler(formType: string): FormHandler | undefined {
    return this.forms.get(formType);
  }

  actionHandler(actionId: string): ActionHandler | undefined {
    return this.actions.get(actionId);
  }

  /** Every registered name, for tests and diagnostics. */
  names(): { forms: string[]; actions: string[] } {
    return { forms: [...this.forms.keys()], actions: [...this.actions.keys()] };
  }
}
