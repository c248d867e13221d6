// Runs a whole inspection through the core with one failed item, for tests that need a finding.
import type { DudaoCore } from '../../src/core/facade.js';
import type { ActorRef } from '../../src/core/ports.js';
import type { FormView, Reply } from '../../src/core/views/types.js';
import { failFirst, passAll } from './forms.js';

export const asForm = (r: Reply): FormView => {
  if (r.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(r)}`);
  return r.form;
};

/** Text a person would read in a reply (every block). */
export const textOf = (r: Reply) => (r.kind === 'message' ? r.message.blocks.map((b) => ('text' in b ? b.text : b.kind === 'fields' ? b.fields.map((f) => `${f.label}: ${f.value}`).join('\n') : b.kind === 'actions' ? b.buttons.map((x) => `[${x.label}]`).join(' ') : '')).join('\n') + '\n' + r.message.text : '');

export async function inspectWithFinding(core: DudaoCore, supervisor: ActorRef, dept: string, now: Date, finding: { desc: string; sev?: string; owner?: string } = { desc: 'Fire exit blocked' }): Promise<void> {
  let form = asForm(await core.command({ actor: supervisor, text: `inspect ${dept}`, channelId: 'C-ops', now }));
  let first = true;
  for (;;) {
    const values = first ? failFirst(form, finding) : passAll(form);
    first = false;
    const out = await core.submitForm({ actor: supervisor, formType: form.formType, formId: form.formId, page: form.page, values, now });
    if (out.kind === 'next') form = out.form;
    else if (out.kind === 'done') return;
    else throw new Error(`inspection did not go through: ${JSON.stringify(out)}`);
  }
}
