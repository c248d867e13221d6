// Approvals for the rest of the core: submitting an item for approval (the flows to come, e.g. formal
// reports, start one), and its steps, run by the flow engine on the declaration in flow.ts.
import { FlowEngine } from '../flows/engine.js';
import { itemRepo } from '../flows/items.js';
import type { FlowRoutes } from '../flows/registry.js';
import { t } from '../i18n/t.js';
import type { Member, Platform } from '../ports.js';
import type { Reply } from '../views/types.js';
import { type ApprovalDeps, approvalDue, approvalFlow } from './flow.js';
import { APPROVAL_LIMITS } from './forms.js';
import { APPROVAL_FLOW, type ApprovalData, type ApprovalRecord, type ApprovalState } from './types.js';

export type { ApprovalDeps };

export interface NewApproval {
  title: string;
  body: string;
  /** In the order they decide; the submitter is not one of them. */
  approverIds: number[];
}

export class ApprovalService {
  readonly engine;

  constructor(private readonly d: ApprovalDeps) {
    this.engine = new FlowEngine(approvalFlow(d), {
      repo: itemRepo<ApprovalData, ApprovalState>(d.items, APPROVAL_FLOW),
      people: d.people,
    });
  }

  /** The form types and buttons of every step (`approval.<step>`, `approval.history`). */
  register(routes: FlowRoutes): void {
    this.engine.register(routes);
  }

  show(me: Member, id: number): Promise<Reply> {
    return this.engine.show(me, id);
  }

  /**
   * Submits an item: saved with its history line, its cards (the submitter's, the first approver's) and a
   * notice to the first approver, in one transaction. A refusal (a sentence for `me`) when it cannot be.
   */
  async submit(
    me: Member,
    input: NewApproval,
    platform: Platform,
    now: Date,
  ): Promise<{ item: ApprovalRecord } | { refused: string }> {
    const title = input.title.trim();
    const body = input.body.trim();
    if (!title || !body) return { refused: t(me.locale, 'inspect.err.required') };
    if (title.length > APPROVAL_LIMITS.title)
      return { refused: t(me.locale, 'inspect.err.tooLong', { n: APPROVAL_LIMITS.title }) };
    if (body.length > APPROVAL_LIMITS.body)
      return { refused: t(me.locale, 'inspect.err.tooLong', { n: APPROVAL_LIMITS.body }) };
    const ids = [...new Set(input.approverIds)].filter((id) => id !== me.id);
    const known = new Set((await this.d.people.membersByIds(ids)).map((m) => m.id));
    if (ids.length === 0 || ids.some((id) => !known.has(id)))
      return { refused: t(me.locale, 'approval.refuse.noApprovers') };
    const data: ApprovalData = {
      title,
      body,
      submitterId: me.id,
      approverIds: ids,
      stage: 0,
      round: 1,
      returnReason: null,
    };
    const draft: ApprovalRecord = {
      id: 0,
      flow: APPROVAL_FLOW,
      state: 'pending',
      version: 0,
      data,
      dueAt: approvalDue({ state: 'pending' }, now, this.d.decisionHours),
      createdAt: now,
      updatedAt: now,
    };
    const outbox = await this.engine.opening(draft, me, platform, [ids[0]!], (reader, r) =>
      t(reader.locale, 'approval.notice.submit', { actor: me.displayName, id: r.id, title }),
    );
    const item = await this.d.items.create<ApprovalData, ApprovalState>(
      {
        flow: APPROVAL_FLOW,
        state: 'pending',
        data,
        dueAt: draft.dueAt,
        event: { actorId: me.id, at: now, action: 'submit', from: 'pending', to: 'pending', note: null, data: {} },
        outbox,
      },
      now,
    );
    return { item };
  }
}
