// An approval as each person sees it (its state, the approvers in order, the buttons of the steps that person
// may take) and its history.

import { stepActions } from '../flows/buttons.js';
import type { FlowEvent } from '../flows/definition.js';
import { flowHistory } from '../flows/history.js';
import { availableSteps } from '../flows/rules.js';
import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Locale, Member } from '../ports.js';
import { truncate } from '../shared/format.js';
import { lit } from '../views/text.js';
import type { Block, MessageView } from '../views/types.js';
import { APPROVAL_RULES } from './rules.js';
import { APPROVAL_FLOW, type ApprovalRecord, type ApprovalState } from './types.js';

export const APPROVAL_HISTORY_ACTION = `${APPROVAL_FLOW}.history`;

const stateLabel = (locale: Locale, s: ApprovalState) => t(locale, `approval.status.${s}`);

/** The approvers in order: ✓ for those who approved in this round, ▶ for whoever decides now. */
function approverLine(r: ApprovalRecord, names: Map<number, string>): string {
  return r.data.approverIds
    .map((id, i) => {
      const name = lit(names.get(id) ?? `#${id}`);
      if (i < r.data.stage && r.state !== 'returned') return `✓ ${name}`;
      return i === r.data.stage && r.state === 'pending' ? `▶ ${name}` : name;
    })
    .join(' → ');
}

export function approvalCard(
  r: ApprovalRecord,
  reader: Member,
  names: Map<number, string>,
  lead?: string,
): MessageView {
  const { locale } = reader;
  const title = t(locale, 'approval.cardTitle', { id: r.id, title: truncate(r.data.title, 150) });
  const blocks: Block[] = [{ kind: 'header', text: title }];
  if (lead) blocks.push({ kind: 'text', text: lead });
  blocks.push(
    { kind: 'text', text: lit(truncate(r.data.body, 1500)) },
    {
      kind: 'fields',
      fields: [
        { label: t(locale, 'approval.field.status'), value: stateLabel(locale, r.state) },
        {
          label: t(locale, 'approval.field.submitter'),
          value: lit(names.get(r.data.submitterId) ?? `#${r.data.submitterId}`),
        },
        { label: t(locale, 'approval.field.approvers'), value: approverLine(r, names) },
        { label: t(locale, 'approval.field.round'), value: String(r.data.round) },
      ],
    },
  );
  if (r.state === 'returned' && r.data.returnReason)
    blocks.push({
      kind: 'text',
      text: `*${t(locale, 'approval.field.returnReason')}*\n${lit(truncate(r.data.returnReason, 500))}`,
    });
  blocks.push(
    stepActions(APPROVAL_FLOW, r.id, availableSteps(APPROVAL_RULES, r, reader), locale, {
      label: (s) => t(locale, `approval.action.${s}`),
      primary: ['approve', 'resubmit'],
      danger: ['return'],
    }),
  );
  return {
    text: title,
    tone: r.state === 'approved' ? 'success' : r.state === 'returned' ? 'warning' : 'default',
    blocks,
  };
}

export function approvalHistory(
  r: ApprovalRecord,
  events: Array<FlowEvent<ApprovalState>>,
  names: Map<number, string>,
  reader: Pick<Member, 'locale' | 'timeZone'>,
): MessageView {
  const { locale } = reader;
  return flowHistory(events, names, reader, {
    title: t(locale, 'approval.historyTitle', { id: r.id }),
    action: (a) => t(locale, `approval.action.${a}` as MessageKey),
    state: (s) => stateLabel(locale, s),
  });
}
