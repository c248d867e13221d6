// Reminders of a declared flow from the due times on its records, on the approval flow with its items in
// memory: the approver whose turn it is gets the card again with a reminder on top, once per due time however
// many sweeps run; after two reminders the submitter hears who holds it up; a step starts the count again.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../../src/core/approvals/service.js';
import type { ApprovalRecord } from '../../../src/core/approvals/types.js';
import type { FormSubmitInput } from '../../../src/core/facade.js';
import type { FlowRoutes } from '../../../src/core/flows/registry.js';
import { remindFlows } from '../../../src/core/flows/reminders.js';
import { plainText } from '../../../src/core/views/text.js';
import type { MessageView } from '../../../src/core/views/types.js';
import { person, submittedApproval } from '../../support/approvals.js';
import type { MemoryFlowItems } from '../../support/memory-flow-items.js';

const ANN = person(1, 'Ann', { locale: 'zh-CN' });
const BOB = person(2, 'Bob');
const CAT = person(3, 'Cat', { slackUserId: null, feishuOpenId: 'ou_cat' });
const PEOPLE = [ANN, BOB, CAT];

const T0 = new Date('2026-12-07T02:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const words = (m: MessageView) =>
  plainText(m.blocks.map((b) => ('text' in b && typeof b.text === 'string' ? b.text : '')).join('\n'));
const buttons = (m: MessageView) =>
  m.blocks.flatMap((b) => (b.kind === 'actions' ? b.buttons.map((x) => x.actionId) : []));

describe('flow reminders (approvals)', () => {
  let items: MemoryFlowItems;
  let approvals: ApprovalService;
  let routes: FlowRoutes;
  let item: ApprovalRecord;
  const sweep = (at: Date, dryRun = false) => remindFlows([approvals.engine], at, 'slack', { dryRun });
  const sent = () => items.outbox.splice(0).map((o) => ({ to: o.target.id, text: o.message.text, m: o.message }));

  beforeEach(async () => {
    ({ items, routes, approvals, item } = await submittedApproval(PEOPLE, T0));
    items.outbox.splice(0);
  });

  it('reminds the approver whose turn it is once the decision is 48 hours late, with the buttons to decide', async () => {
    expect(await sweep(hours(47))).toMatchObject({ records: 0, messages: 0 });
    expect(sent()).toEqual([]);

    expect(await sweep(hours(48))).toMatchObject({ records: 1, messages: 1, errors: [] });
    const [reminder, ...rest] = sent();
    expect(rest).toEqual([]);
    expect(reminder!.to).toBe('UBOB');
    expect(words(reminder!.m)).toContain('Reminder 1: approval #1 “Q4 report” is waiting for your decision.');
    expect(buttons(reminder!.m)).toEqual(['approval.approve', 'approval.return', 'approval.history']);
  });

  it('sends each reminder once however many sweeps (or bot processes) look at the same due time', async () => {
    const [a, b] = await Promise.all([sweep(hours(48)), sweep(hours(48))]);
    expect(a.records + b.records).toBe(1);
    expect(await sweep(hours(49))).toMatchObject({ records: 0 });
    expect(sent()).toHaveLength(1);
  });

  it('tells the submitter, in her language, who holds it up from the third reminder on', async () => {
    await sweep(hours(48));
    await sweep(hours(96));
    expect(sent().map((s) => s.to)).toEqual(['UBOB', 'UBOB']);
    await sweep(hours(144));
    const third = sent();
    expect(third.map((s) => s.to)).toEqual(['UANN', 'UBOB']);
    expect(third[0]!.text).toBe('审批 #1“Q4 report”已催办 3 次，仍在等待Bob审批。');
    expect(words(third[1]!.m)).toContain('Reminder 3:');
  });

  it('records every reminder in the history, and a step starts the count again for the next approver', async () => {
    await sweep(hours(48));
    const approve = routes.formHandler('approval.approve')!;
    const input: FormSubmitInput = {
      actor: { platform: 'slack', userId: 'UBOB' },
      formType: 'approval.approve',
      formId: `${item.id}:0`,
      page: 0,
      values: {},
      now: hours(50),
    };
    expect((await approve(BOB, input)).kind).toBe('done');
    sent();
    expect(await sweep(hours(97))).toMatchObject({ records: 0 });
    await sweep(hours(98));
    const [toCat] = sent();
    expect(toCat!.to).toBe('ou_cat');
    expect(words(toCat!.m)).toContain('Reminder 1: approval #1');

    const history = await approvals.show(ANN, item.id);
    const text = history.kind === 'message' ? words(history.message) : '';
    expect(text.match(/催办/g)).toHaveLength(2);
    expect(text).toContain('批准');
  });

  it('reminds nobody about a returned item, and a dry run changes nothing', async () => {
    expect(await sweep(hours(48), true)).toMatchObject({ records: 1, messages: 1 });
    expect(sent()).toEqual([]);
    expect((await items.byId('approval', item.id))?.dueAt).toEqual(hours(48));

    const ret = routes.formHandler('approval.return')!;
    await ret(BOB, {
      actor: { platform: 'slack', userId: 'UBOB' },
      formType: 'approval.return',
      formId: `${item.id}:0`,
      page: 0,
      values: { reason: 'Add store C' },
      now: hours(1),
    });
    sent();
    expect(await sweep(hours(500))).toMatchObject({ records: 0, messages: 0 });
  });
});
