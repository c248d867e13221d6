// The flow item store on each database: an approval saved with its history and its cards in one
// transaction, steps applied only at the version they were decided on, items of one flow invisible to another.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalService } from '../../src/core/approvals/service.js';
import type { ApprovalData, ApprovalState } from '../../src/core/approvals/types.js';
import type { FlowEvent } from '../../src/core/flows/definition.js';
import type { Member } from '../../src/core/ports.js';
import { DEFAULT_REMINDER_RULES } from '../../src/core/reminders/rules.js';
import { createReminderSweeper } from '../../src/delivery/reminder-scheduler.js';
import { createRepos, type Repos } from '../../src/store/index.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';
import { buildOrg } from '../support/org.js';

const NOW = new Date('2026-12-07T02:00:00Z');

describe.each(STORE_BACKENDS)('flow items on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repos;
  let people: Record<string, Member>;
  let approvals: ApprovalService;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    repos = createRepos(db);
    people = await buildOrg(repos, [
      { name: 'Ann', slack: 'UANN' },
      { name: 'Bob', slack: 'UBOB' },
      { name: 'Cat', feishu: 'ou_cat' },
    ]);
    approvals = new ApprovalService({ items: repos.flowItems, people: repos.org });
  });
  afterEach(async () => db.destroy());

  const submitted = async () => {
    const r = await approvals.submit(
      people.Ann!,
      { title: 'Budget', body: '¥ 12,000', approverIds: [people.Bob!.id, people.Cat!.id] },
      'slack',
      NOW,
    );
    if (!('item' in r)) throw new Error(r.refused);
    return r.item;
  };
  const event = (action: string, from: ApprovalState, to: ApprovalState): FlowEvent<ApprovalState> => ({
    actorId: people.Bob!.id,
    at: NOW,
    action,
    from,
    to,
    note: null,
    data: {},
  });

  it('saves a submission with its history line and its cards, keyed to update in place', async () => {
    const item = await submitted();
    expect(await repos.flowItems.byId('approval', item.id)).toEqual(item);
    expect(item).toMatchObject({ state: 'pending', version: 0, data: { title: 'Budget', stage: 0 } });
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.targetId, r.refKey, r.updateOnly])).toEqual([
      ['UANN', `approval:${item.id}:card:${people.Ann!.id}`, true],
      ['UBOB', `approval:${item.id}:card:${people.Bob!.id}`, false],
      ['UBOB', null, false],
    ]);
    expect((await repos.flowItems.events('approval', item.id)).map((e) => [e.action, e.from, e.to])).toEqual([
      ['submit', 'pending', 'pending'],
    ]);
    // Another flow's key finds nothing.
    expect(await repos.flowItems.byId('report', item.id)).toBeNull();
    expect(await repos.flowItems.events('report', item.id)).toEqual([]);
  });

  it('applies one of two steps decided on the same version, with its event and outbox, and nothing of the other', async () => {
    const item = await submitted();
    await db.prisma.outboxMessage.deleteMany();
    const step = (note: string) =>
      repos.flowItems.transition<ApprovalData, ApprovalState>(
        'approval',
        {
          id: item.id,
          expectedVersion: 0,
          patch: { data: { ...item.data, returnReason: note } },
          state: 'returned',
          dueAt: null,
          event: { ...event('return', 'pending', 'returned'), note },
          outbox: [
            {
              platform: 'slack',
              target: { kind: 'user', id: 'UANN' },
              message: { text: note, blocks: [] },
              dedupeKey: `approval:${item.id}:v1:notice:${note}`,
            },
          ],
        },
        NOW,
      );
    const results = await Promise.all([step('first'), step('second')]);
    const applied = results.filter((r) => r !== null);
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ state: 'returned', version: 1, dueAt: null });
    const note = applied[0]!.data.returnReason;
    expect((await repos.flowItems.events('approval', item.id)).map((e) => e.note)).toEqual([null, note]);
    expect((await db.prisma.outboxMessage.findMany()).map((r) => r.dedupeKey)).toEqual([
      `approval:${item.id}:v1:notice:${note}`,
    ]);
    expect(await repos.flowItems.list('approval', { states: ['returned'], limit: 10 })).toHaveLength(1);
    expect(await repos.flowItems.list('approval', { states: ['pending'], limit: 10 })).toEqual([]);
  });

  it('carries an approval to approved through the engine, the Feishu approver reached on Feishu', async () => {
    const item = await submitted();
    const opened = await approvals.engine.open(people.Bob!, 'approve', item.id, NOW);
    if (opened.kind !== 'form') throw new Error('no form');
    expect((await approvals.engine.submit(people.Bob!, 'approve', opened.form.formId, {}, 'slack', NOW)).kind).toBe(
      'done',
    );
    const cat = await db.prisma.outboxMessage.findMany({ where: { targetId: 'ou_cat' } });
    expect(cat.map((r) => [r.platform, r.refKey !== null])).toEqual([
      ['feishu', true],
      ['feishu', false],
    ]);
    const second = await approvals.engine.open(people.Cat!, 'approve', item.id, NOW);
    if (second.kind !== 'form') throw new Error('no form');
    expect((await approvals.engine.submit(people.Cat!, 'approve', second.form.formId, {}, 'feishu', NOW)).kind).toBe(
      'done',
    );
    expect(await repos.flowItems.byId('approval', item.id)).toMatchObject({ state: 'approved', version: 2 });
  });

  it('claims a due reminder once when two sweeps race, writing its history line and its card together', async () => {
    const item = await submitted();
    await db.prisma.outboxMessage.deleteMany();
    const due = new Date(NOW.getTime() + 48 * 3_600_000);
    const sweeper = createReminderSweeper({
      repo: repos.reminders,
      org: repos.org,
      rules: DEFAULT_REMINDER_RULES,
      preferredPlatform: 'slack',
      flows: [approvals.engine],
    });
    const [a, b] = await Promise.all([sweeper.sweep(due), sweeper.sweep(due)]);
    expect(a.flows.records + b.flows.records).toBe(1);
    const rows = await db.prisma.outboxMessage.findMany();
    expect(rows.map((r) => [r.targetId, r.dedupeKey])).toEqual([
      ['UBOB', `approval:${item.id}:remind:${due.toISOString()}:${people.Bob!.id}`],
    ]);
    const events = await repos.flowItems.events('approval', item.id);
    expect(events.map((e) => e.action)).toEqual(['submit', 'remind']);
    expect((await repos.flowItems.byId('approval', item.id))?.dueAt).toEqual(new Date(due.getTime() + 48 * 3_600_000));
  });
});
