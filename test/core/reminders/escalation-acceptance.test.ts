import { describe, expect, it } from 'vitest';
import { groupByRecipient, type ReminderIntent } from '../../../src/core/reminders/plan.js';
import { ADMIN_LDN, brief, finding, keys, LDN, local, MANAGER, NY, OWNER, SH, SUPERVISOR, sweep } from './fixtures.js';

const escalations = (intents: ReminderIntent[]) => intents.filter((i) => i.kind.startsWith('escalation'));

describe('escalation', () => {
  // Due Monday 16 November: 2 working days overdue on Wednesday the 18th, 7 on Wednesday the 25th.
  const f = [finding({ deadline: local('2026-11-16 18:00', SH) })];

  it('goes to the department manager after 2 working days overdue', () => {
    expect(escalations(sweep(local('2026-11-17 17:00', SH), f))).toEqual([]);
    expect(escalations(sweep(local('2026-11-18 08:59', SH), f))).toEqual([]);
    const wednesday = escalations(sweep(local('2026-11-18 09:00', SH), f));
    expect(wednesday).toEqual([
      {
        key: 'f:12:r0:2026-11-16:escalate:manager:2',
        findingId: 12,
        recipientId: MANAGER,
        kind: 'escalation_manager',
        dueAt: local('2026-11-18 09:00', SH),
        detail: { deadlineDate: '2026-11-16', daysOverdue: 2 },
      },
    ]);
  });

  it('goes to the supervisor and every admin after 7, each at 09:00 in their own zone', () => {
    const level2 = (now: Date) => escalations(sweep(now, f)).filter((i) => i.kind === 'escalation_supervisor');
    expect(level2(local('2026-11-24 17:00', SH))).toEqual([]);
    // 09:00 in Shanghai is 01:00 in London and 20:00 the day before in New York.
    expect(level2(local('2026-11-25 09:00', SH)).map(brief)).toEqual([
      { key: 'f:12:r0:2026-11-16:escalate:supervisor:3', to: SUPERVISOR, kind: 'escalation_supervisor' },
    ]);
    const london = level2(local('2026-11-25 09:00', LDN));
    expect(london.map((i) => [i.recipientId, i.dueAt])).toEqual([
      [SUPERVISOR, local('2026-11-25 09:00', SH)],
      [ADMIN_LDN, local('2026-11-25 09:00', LDN)],
    ]);
    const newYork = level2(local('2026-11-25 09:00', NY));
    expect(newYork.map((i) => [i.key, i.dueAt])).toEqual([
      ['f:12:r0:2026-11-16:escalate:supervisor:4', local('2026-11-25 09:00', LDN)],
      ['f:12:r0:2026-11-16:escalate:supervisor:5', local('2026-11-25 09:00', NY)],
    ]);
    expect(newYork[0]!.detail).toEqual({ deadlineDate: '2026-11-16', daysOverdue: 7 });
  });

  it('is sent once per level: after downtime both levels come once, under the keys they always had', () => {
    // Down from Tuesday the 17th to Thursday the 26th; 17:30 in Shanghai is 09:30 in London.
    const first = sweep(local('2026-11-26 17:30', SH), f, { adminIds: [ADMIN_LDN] });
    expect(escalations(first).map(brief)).toEqual([
      { key: 'f:12:r0:2026-11-16:escalate:manager:2', to: MANAGER, kind: 'escalation_manager' },
      { key: 'f:12:r0:2026-11-16:escalate:supervisor:3', to: SUPERVISOR, kind: 'escalation_supervisor' },
      { key: 'f:12:r0:2026-11-16:escalate:supervisor:4', to: ADMIN_LDN, kind: 'escalation_supervisor' },
    ]);
    expect(first.filter((i) => i.recipientId === OWNER).map((i) => i.kind)).toEqual(['overdue']);
    // A second process sweeping a minute later proposes the very same keys; the store's claim keeps one.
    expect(sweep(local('2026-11-26 17:31', SH), f, { adminIds: [ADMIN_LDN] })).toEqual(first);
  });

  it('reaches each person once and never the owner, and skips a missing manager', () => {
    const ownerIsAdmin = [finding({ deadline: local('2026-11-16 18:00', SH), managerId: null })];
    const intents = sweep(local('2026-11-25 09:30', LDN), ownerIsAdmin, { adminIds: [SUPERVISOR, OWNER, ADMIN_LDN] });
    expect(escalations(intents).map((i) => [i.recipientId, i.kind])).toEqual([
      [SUPERVISOR, 'escalation_supervisor'],
      [ADMIN_LDN, 'escalation_supervisor'],
    ]);
  });

  it('does not escalate to the manager when the manager owns the finding', () => {
    const own = [finding({ deadline: local('2026-11-16 18:00', SH), ownerId: MANAGER })];
    expect(escalations(sweep(local('2026-11-18 10:00', SH), own))).toEqual([]);
  });

  it('stops once the work is submitted', () => {
    const submitted = [
      finding({
        status: 'submitted',
        deadline: local('2026-11-16 18:00', SH),
        submittedAt: local('2026-11-25 08:00', SH),
      }),
    ];
    expect(escalations(sweep(local('2026-11-25 10:00', SH), submitted))).toEqual([]);
  });
});

describe('acceptance waiting', () => {
  // Submitted on Monday afternoon: waiting more than one working day from Wednesday on.
  const submitted = (over = {}) =>
    finding({
      status: 'submitted',
      deadline: local('2026-11-27 18:00', SH),
      submittedAt: local('2026-11-23 15:00', SH),
      ...over,
    });

  it('reminds the supervisor once a check has waited more than a working day, then each working day', () => {
    expect(sweep(local('2026-11-24 17:00', SH), [submitted()])).toEqual([]);
    const wednesday = sweep(local('2026-11-25 09:00', SH), [submitted()]);
    expect(wednesday).toEqual([
      {
        key: 'f:12:r0:acceptance-wait:2026-11-25',
        findingId: 12,
        recipientId: SUPERVISOR,
        kind: 'acceptance_waiting',
        dueAt: local('2026-11-25 09:00', SH),
        detail: { waitingDays: 2 },
      },
    ]);
    expect(keys(sweep(local('2026-11-26 10:00', SH), [submitted()]))).toEqual(['f:12:r0:acceptance-wait:2026-11-26']);
  });

  it('catches up once after downtime and keeps rounds apart', () => {
    const monday = sweep(local('2026-11-30 10:00', SH), [submitted()]);
    expect(keys(monday)).toEqual(['f:12:r0:acceptance-wait:2026-11-30']);
    expect(monday[0]!.detail.waitingDays).toBe(5);
    const resubmitted = submitted({ rejectionCount: 1, submittedAt: local('2026-11-30 11:00', SH) });
    expect(keys(sweep(local('2026-12-02 10:00', SH), [resubmitted]))).toEqual(['f:12:r1:acceptance-wait:2026-12-02']);
  });

  it('ends when the finding is accepted', () => {
    expect(sweep(local('2026-11-26 10:00', SH), [submitted({ status: 'accepted' })])).toEqual([]);
  });
});

describe('digests', () => {
  it('groups reminders per person, the most urgent first', () => {
    const at = local('2026-11-25 10:00', SH);
    const findings = [
      finding({ id: 1, deadline: local('2026-11-27 18:00', SH) }), // 2 working days left
      finding({ id: 2, deadline: local('2026-11-23 18:00', SH) }), // 2 overdue: manager escalation
      finding({ id: 3, status: 'open', createdAt: local('2026-11-20 10:00', SH) }), // plan due the 24th: 1 day late
      finding({ id: 4, deadline: local('2026-11-16 18:00', SH) }), // 7 overdue
      finding({ id: 5, deadline: local('2026-11-25 18:00', SH) }), // today
      finding({ id: 6, status: 'submitted', submittedAt: local('2026-11-20 10:00', SH) }),
    ];
    const groups = groupByRecipient(sweep(at, findings, { adminIds: [] }));
    expect([...groups.keys()]).toEqual([SUPERVISOR, MANAGER, OWNER]);
    expect(groups.get(OWNER)!.map((i) => [i.findingId, i.kind])).toEqual([
      [4, 'overdue'],
      [2, 'overdue'],
      [3, 'plan_overdue'],
      [5, 'deadline_today'],
      [1, 'deadline_soon'],
    ]);
    expect(groups.get(MANAGER)!.map((i) => [i.findingId, i.kind])).toEqual([
      [4, 'escalation_manager'],
      [2, 'escalation_manager'],
    ]);
    expect(groups.get(SUPERVISOR)!.map((i) => [i.findingId, i.kind])).toEqual([
      [4, 'escalation_supervisor'],
      [6, 'acceptance_waiting'],
    ]);
  });
});
