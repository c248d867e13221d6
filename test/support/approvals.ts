// The approval flow on the core with its items in memory, for the tests of the flow and of its reminders:
// people by name, and an item Ann submitted for Bob and then Cat to approve.
import { ApprovalService } from '../../src/core/approvals/service.js';
import type { ApprovalRecord } from '../../src/core/approvals/types.js';
import { FlowRoutes } from '../../src/core/flows/registry.js';
import type { Member } from '../../src/core/ports.js';
import { MemoryFlowItems } from './memory-flow-items.js';

export const person = (id: number, name: string, extra: Partial<Member> = {}): Member => ({
  id,
  displayName: name,
  slackUserId: `U${name.toUpperCase()}`,
  feishuOpenId: null,
  role: 'member',
  departmentId: null,
  locale: 'en',
  timeZone: 'Asia/Shanghai',
  ...extra,
});

/** `people` must hold the submitter first, then the two approvers in order. */
export async function submittedApproval(people: Member[], now: Date) {
  const [submitter, first, second] = people as [Member, Member, Member];
  const items = new MemoryFlowItems();
  const routes = new FlowRoutes();
  const approvals = new ApprovalService({
    items,
    people: { membersByIds: async (ids) => people.filter((p) => ids.includes(p.id)) },
  });
  approvals.register(routes);
  const made = await approvals.submit(
    submitter,
    { title: 'Q4 report', body: 'Stores A and B', approverIds: [first.id, second.id] },
    'slack',
    now,
  );
  if (!('item' in made)) throw new Error(made.refused);
  const item: ApprovalRecord = made.item;
  return { items, routes, approvals, item };
}
