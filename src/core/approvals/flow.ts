// The approval flow declared for the flow engine: submit → each approver in order approves, or returns it
// with a reason → the submitter revises and resubmits → the approvers decide again from the first. Kept in
// the shared flow item store (no table of its own).
import type { FlowDefinition, FlowReminder } from '../flows/definition.js';
import type { FlowItemPatch, FlowItemStore } from '../flows/items.js';
import type { MessageKey } from '../i18n/messages.js';
import { t } from '../i18n/t.js';
import type { Member } from '../ports.js';
import { type ApprovalFormContext, approvalForm, validateApproval } from './forms.js';
import { APPROVAL_RULES } from './rules.js';
import {
  type ApprovalClean,
  type ApprovalData,
  type ApprovalRecord,
  type ApprovalState,
  type ApprovalStep,
  type ApprovalViewer,
  currentApprover,
} from './types.js';
import { approvalCard, approvalHistory } from './views.js';

export interface ApprovalDeps {
  items: FlowItemStore;
  people: { membersByIds(ids: number[]): Promise<Member[]> };
  /** How long an approver has to decide before the item is due for a reminder (default 48 hours). */
  decisionHours?: number;
}

export type ApprovalFlow = FlowDefinition<
  ApprovalRecord,
  ApprovalState,
  ApprovalStep,
  FlowItemPatch<ApprovalData>,
  ApprovalClean,
  ApprovalViewer,
  ApprovalFormContext
>;

/** The submitter and the approvers reached so far (all of them once approved): one card each. */
export const approvalConcerned = (r: ApprovalRecord) => [
  r.data.submitterId,
  ...r.data.approverIds.slice(0, r.state === 'approved' ? r.data.approverIds.length : r.data.stage + 1),
];

/** When an item waiting for a decision is due; nothing is due once it is returned or approved. */
export const approvalDue = (r: Pick<ApprovalRecord, 'state'>, now: Date, hours = 48): Date | null =>
  r.state === 'pending' ? new Date(now.getTime() + hours * 3_600_000) : null;

/** Reminders an approver gets before the submitter is told who holds the item up. */
const ESCALATE_AFTER = 2;

/** The approver whose turn it is is reminded; the submitter hears who holds it up. */
const APPROVAL_REMINDER: FlowReminder<ApprovalRecord> = {
  waitingOn: (r) => [currentApprover(r)].filter((x): x is number => x !== null),
  lead: (r, reader, n) => t(reader.locale, 'approval.remind.lead', { n, id: r.id, title: r.data.title }),
  // From the third reminder on, the submitter hears that it is stuck and with whom.
  escalateAfter: ESCALATE_AFTER,
  escalateTo: (r) => [r.data.submitterId],
  escalation: (r, reader, n, waiting) =>
    t(reader.locale, 'approval.remind.escalation', {
      n,
      id: r.id,
      title: r.data.title,
      // One approver decides at a time.
      approver: waiting[0]?.displayName ?? '?',
    }),
};

export function approvalFlow(d: ApprovalDeps): ApprovalFlow {
  return {
    ...APPROVAL_RULES,
    texts: {
      unknown: 'approval.unknown',
      viewNotAllowed: 'approval.viewNotAllowed',
      stale: 'approval.refuse.stale',
      wrongStatus: 'approval.refuse.wrongStatus',
      notAllowed: 'approval.refuse.notAllowed',
      saved: 'approval.saved',
      status: (s) => `approval.status.${s}`,
      step: (s) => `approval.action.${s}`,
      role: (r) => `approval.who.${r}` as MessageKey,
      or: 'who.or',
    },
    viewer: async (me) => me,
    mayView: (me, r) => me.role === 'admin' || r.data.submitterId === me.id || r.data.approverIds.includes(me.id),
    formContext: async (me, r) => ({ item: r, locale: me.locale }),
    form: approvalForm,
    validate: (step, c, raw) => validateApproval(step, c, raw),
    patch: async (step, r, c) => {
      switch (step) {
        case 'approve':
          return { data: { ...r.data, stage: r.data.stage + 1 } };
        case 'return':
          return { data: { ...r.data, returnReason: c.reason ?? null } };
        case 'resubmit':
          // Decided again from the first approver: what they approved before was another text.
          return {
            data: {
              ...r.data,
              title: c.title ?? r.data.title,
              body: c.body ?? r.data.body,
              stage: 0,
              round: r.data.round + 1,
              returnReason: null,
            },
          };
      }
    },
    apply: (r, patch, state) => ({ ...r, data: patch.data, state }),
    event: (_step, c) => ({ note: c.reason ?? c.comment ?? null, data: c.title ? { title: c.title } : {} }),
    cards: async (r) => {
      const people = await d.people.membersByIds([...new Set([r.data.submitterId, ...r.data.approverIds])]);
      const names = new Map(people.map((m) => [m.id, m.displayName]));
      return {
        concerned: approvalConcerned,
        draw: async (x, reader, lead) => approvalCard(x, reader, names, lead),
      };
    },
    nextActors: (step, r) => {
      if (step === 'resubmit' || (step === 'approve' && r.state === 'pending'))
        return [currentApprover(r)].filter((x): x is number => x !== null);
      return [r.data.submitterId];
    },
    notice: ({ step, record: r, actor, clean, reader, people }) => {
      const next = currentApprover(r);
      const key = step === 'approve' && r.state === 'approved' ? 'approval.notice.approved' : `approval.notice.${step}`;
      return t(reader.locale, key as MessageKey, {
        actor: actor.displayName,
        id: r.id,
        title: r.data.title,
        next: people.find((p) => p.id === next)?.displayName ?? `#${next}`,
        note: clean.reason ?? '',
        round: r.data.round,
      });
    },
    noticeTone: (step) => (step === 'return' ? 'danger' : 'default'),
    due: (r, now) => approvalDue(r, now, d.decisionHours),
    reminder: APPROVAL_REMINDER,
    history: approvalHistory,
  };
}
