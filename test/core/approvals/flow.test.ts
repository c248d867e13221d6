// The approval flow on the core, with the flow items in memory: submit, return with a reason, revise and
// resubmit, approvers in order, stale and refused steps, the cards and notices each step writes, and history.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../../src/core/approvals/service.js';
import type { ApprovalRecord } from '../../../src/core/approvals/types.js';
import type { ActionInput, FormSubmitInput } from '../../../src/core/facade.js';
import type { FlowRoutes } from '../../../src/core/flows/registry.js';
import type { Member } from '../../../src/core/ports.js';
import type { FormOutcome, FormView, Reply } from '../../../src/core/views/types.js';
import { person, submittedApproval } from '../../support/approvals.js';
import type { MemoryFlowItems } from '../../support/memory-flow-items.js';

const ANN = person(1, 'Ann', { locale: 'zh-CN' });
const BOB = person(2, 'Bob', { role: 'manager' });
const CAT = person(3, 'Cat');
const DAN = person(4, 'Dan');
const PEOPLE = [ANN, BOB, CAT, DAN];

const NOW = new Date('2026-12-07T02:00:00Z');
const textOf = (r: Reply) => (r.kind === 'message' ? r.message.text : '');

describe('approval flow', () => {
  let items: MemoryFlowItems;
  let routes: FlowRoutes;
  let approvals: ApprovalService;
  let item: ApprovalRecord;

  const current = async () => (await items.byId('approval', item.id)) as ApprovalRecord;
  const click = async (who: Member, step: string, value = String(item.id)): Promise<Reply | null> => {
    const input: ActionInput = {
      actor: { platform: 'slack', userId: who.slackUserId! },
      actionId: `approval.${step}`,
      value,
      channelId: 'D1',
      now: NOW,
    };
    return (await routes.actionHandler(input.actionId)?.(who, input)) ?? null;
  };
  const submit = async (who: Member, form: FormView, values: Record<string, string>): Promise<FormOutcome> => {
    const input: FormSubmitInput = {
      actor: { platform: 'slack', userId: who.slackUserId! },
      formType: form.formType,
      formId: form.formId,
      page: 0,
      values,
      now: NOW,
    };
    return routes.formHandler(form.formType)!(who, input);
  };
  const step = async (who: Member, name: string, values: Record<string, string>) => {
    const opened = await click(who, name);
    if (opened?.kind !== 'form') throw new Error(`no form: ${opened && textOf(opened)}`);
    return submit(who, opened.form, values);
  };
  const sent = () =>
    items.outbox
      .splice(0)
      .map((o) => `${o.target.id} ${o.refKey ? 'card' : 'notice'}${o.updateOnly ? ' (update)' : ''}`);

  beforeEach(async () => {
    ({ items, routes, approvals, item } = await submittedApproval(PEOPLE, NOW));
  });

  it('goes to the first approver on submission: their card and a notice, the submitter’s card, the rest wait', async () => {
    expect(item).toMatchObject({ state: 'pending', version: 0, data: { stage: 0, round: 1 } });
    expect(item.dueAt?.toISOString()).toBe('2026-12-09T02:00:00.000Z');
    expect(sent()).toEqual(['UANN card (update)', 'UBOB card', 'UBOB notice']);
    const notice = items.history.get(item.id);
    expect(notice?.map((e) => e.action)).toEqual(['submit']);
  });

  it('returns with a reason to the submitter, who revises and resubmits to the first approver again', async () => {
    sent();
    // A return needs its reason.
    const empty = await step(BOB, 'return', { reason: ' ' });
    expect(empty.kind).toBe('errors');
    expect(items.outbox).toEqual([]);

    expect((await step(BOB, 'return', { reason: 'Store B numbers missing' })).kind).toBe('done');
    expect(await current()).toMatchObject({ state: 'returned', version: 1, dueAt: null });
    const returned = items.outbox.find((o) => o.target.id === 'UANN' && !o.refKey);
    expect(returned?.message.text).toContain('Store B numbers missing');
    expect(returned?.message.tone).toBe('danger');
    expect(sent()).toEqual(['UANN card', 'UANN notice', 'UBOB card (update)']);

    // Only the submitter may revise; approvers cannot act on a returned item.
    expect(textOf((await click(BOB, 'resubmit'))!)).toContain('Only the submitter');
    expect(textOf((await click(BOB, 'approve'))!)).toContain('is returned for revision');
    const revised = await step(ANN, 'resubmit', {
      title: 'Q4 report',
      body: 'Stores A and B, with B',
      comment: 'added B',
    });
    expect(revised.kind).toBe('done');
    expect(await current()).toMatchObject({
      state: 'pending',
      version: 2,
      data: { stage: 0, round: 2, body: 'Stores A and B, with B', returnReason: null },
    });
    expect(sent()).toEqual(['UANN card (update)', 'UBOB card', 'UBOB notice']);
  });

  it('goes through the approvers in order, and is approved after the last, with the whole history', async () => {
    sent();
    // Cat is second: not her turn yet.
    expect(textOf((await click(CAT, 'approve'))!)).toContain('Only the approver whose turn it is');
    expect((await step(BOB, 'approve', { comment: 'fine' })).kind).toBe('done');
    expect(await current()).toMatchObject({ state: 'pending', data: { stage: 1 } });
    expect(sent()).toEqual(['UANN card', 'UBOB card (update)', 'UCAT card', 'UCAT notice']);

    const form = await click(CAT, 'approve');
    if (form?.kind !== 'form') throw new Error('no form');
    expect((await submit(CAT, form.form, {})).kind).toBe('done');
    expect(await current()).toMatchObject({ state: 'approved', version: 2, dueAt: null });
    const done = items.outbox.find((o) => o.target.id === 'UANN' && !o.refKey);
    expect(done?.message.text).toBe('Cat 已批准 #1“Q4 report”，审批全部通过。');
    expect(sent()).toEqual(['UANN card', 'UANN notice', 'UBOB card', 'UCAT card (update)']);

    // The same form again: the item moved since it was opened.
    const again = await submit(CAT, form.form, {});
    expect(again).toEqual({
      kind: 'refused',
      message: 'Approval #1 changed since this form was opened; nothing was saved. Open it again.',
    });
    expect(items.outbox).toEqual([]);

    const history = await approvals.show(BOB, item.id);
    const blocks = history.kind === 'message' ? JSON.stringify(history.message.blocks) : '';
    expect(blocks).toContain('Submit for approval: awaiting approval → awaiting approval');
    expect(blocks).toContain('Approve: awaiting approval → approved');
    expect(textOf(await approvals.show(DAN, item.id))).toContain('Only its submitter');
  });

  it('refuses a submission without an approver other than the submitter, and unknown people', async () => {
    for (const approverIds of [[], [ANN.id], [99]]) {
      const r = await approvals.submit(ANN, { title: 'x', body: 'y', approverIds }, 'slack', NOW);
      expect(r).toEqual({ refused: '请至少指定一位除您以外的审批人。' });
    }
  });

  it('answers buttons with a value it does not know with nothing, and unknown items plainly', async () => {
    expect(await click(BOB, 'approve', 'x')).toBeNull();
    expect(textOf((await click(BOB, 'approve', '42'))!)).toBe('There is no approval #42.');
  });
});
