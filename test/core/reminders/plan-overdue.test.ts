// A finding whose owner never submits a plan is not forgotten: daily reminders while the plan is late, and the
// escalation ladder of the rules file, counted from the plan's due date.
import { describe, expect, it } from 'vitest';
import type { ReminderIntent } from '../../../src/core/reminders/plan.js';
import { resolveReminderRules } from '../../../src/core/reminders/rules.js';
import {
  ADMIN_LDN,
  ADMIN_NY,
  brief,
  finding,
  keys,
  LDN,
  local,
  MANAGER,
  OWNER,
  SH,
  SUPERVISOR,
  sweep,
} from './fixtures.js';

// Found Monday 16 November: the plan is due Wednesday the 18th (2 working days), late from Thursday the 19th.
const open = [finding({ status: 'open', createdAt: local('2026-11-16 10:00', SH) })];
const toOwner = (intents: ReminderIntent[]) => intents.filter((i) => i.recipientId === OWNER);
const escalations = (intents: ReminderIntent[]) => intents.filter((i) => i.kind.includes('escalation'));

describe('a late plan', () => {
  it('reminds the owner on each working day it is late, each day under its own key, quiet at weekends and out of hours', () => {
    expect(keys(toOwner(sweep(local('2026-11-18 09:00', SH), open)))).toEqual(['f:12:plan-due:2026-11-18']);
    expect(sweep(local('2026-11-19 08:59', SH), open)).toEqual([]); // before working hours
    const thursday = toOwner(sweep(local('2026-11-19 09:00', SH), open));
    expect(thursday).toEqual([
      {
        key: 'f:12:plan-due:2026-11-18:overdue:2026-11-19',
        findingId: 12,
        recipientId: OWNER,
        kind: 'plan_overdue',
        dueAt: local('2026-11-19 09:00', SH),
        detail: { planDueDate: '2026-11-18', daysOverdue: 1 },
      },
    ]);
    // The same occurrence whenever the sweep runs that day: claimed once, never duplicated.
    expect(toOwner(sweep(local('2026-11-19 17:30', SH), open))).toEqual(thursday);
    expect(sweep(local('2026-11-19 19:00', SH), open)).toEqual([]);
    expect(keys(toOwner(sweep(local('2026-11-20 10:00', SH), open)))).toEqual([
      'f:12:plan-due:2026-11-18:overdue:2026-11-20',
    ]);
    expect(sweep(local('2026-11-21 10:00', SH), open)).toEqual([]);
    expect(sweep(local('2026-11-22 10:00', SH), open)).toEqual([]);
    const monday = toOwner(sweep(local('2026-11-23 10:00', SH), open));
    expect(monday.map((i) => [i.key, i.detail.daysOverdue])).toEqual([
      ['f:12:plan-due:2026-11-18:overdue:2026-11-23', 3],
    ]);
  });

  it('catches up once after downtime: the latest day only', () => {
    // Down from Thursday until the next Wednesday.
    const back = toOwner(sweep(local('2026-11-25 11:00', SH), open));
    expect(back.map((i) => [i.key, i.kind, i.detail.daysOverdue])).toEqual([
      ['f:12:plan-due:2026-11-18:overdue:2026-11-25', 'plan_overdue', 5],
    ]);
  });

  it('climbs the escalation ladder: the manager after 2 working days late, the supervisor and every admin after 7, in their own zones', () => {
    expect(escalations(sweep(local('2026-11-19 10:00', SH), open))).toEqual([]);
    expect(escalations(sweep(local('2026-11-20 10:00', SH), open)).map(brief)).toEqual([
      { key: 'f:12:plan-due:2026-11-18:escalate:manager:2', to: MANAGER, kind: 'plan_escalation_manager' },
    ]);
    // Friday 27 November, 7 working days late: the supervisor (Shanghai) at once; London and New York at 09:00 theirs.
    const friday = escalations(sweep(local('2026-11-27 10:00', SH), open));
    expect(friday.map(brief)).toEqual([
      { key: 'f:12:plan-due:2026-11-18:escalate:manager:2', to: MANAGER, kind: 'plan_escalation_manager' },
      { key: 'f:12:plan-due:2026-11-18:escalate:supervisor:3', to: SUPERVISOR, kind: 'plan_escalation_supervisor' },
    ]);
    expect(friday[1]!.detail).toEqual({ planDueDate: '2026-11-18', daysOverdue: 7 });
    expect(escalations(sweep(local('2026-11-27 09:00', LDN), open)).map(brief)).toContainEqual({
      key: 'f:12:plan-due:2026-11-18:escalate:supervisor:4',
      to: ADMIN_LDN,
      kind: 'plan_escalation_supervisor',
    });
    expect(escalations(sweep(local('2026-11-27 09:00', 'America/New_York'), open)).map((i) => i.recipientId)).toContain(
      ADMIN_NY,
    );
  });

  it('follows the rules file: escalation days apply to late plans as to late deadlines', () => {
    const rules = resolveReminderRules({ escalation: { managerAfterWorkingDays: 1, supervisorAfterWorkingDays: 3 } });
    expect(escalations(sweep(local('2026-11-19 10:00', SH), open, { rules })).map((i) => i.kind)).toEqual([
      'plan_escalation_manager',
    ]);
    expect(escalations(sweep(local('2026-11-23 10:00', SH), open, { rules })).map((i) => i.kind)).toEqual([
      'plan_escalation_manager',
      'plan_escalation_supervisor',
    ]);
  });

  it('never escalates to the owner, and stops once the plan is in', () => {
    const managerOwns = [finding({ status: 'open', createdAt: local('2026-11-16 10:00', SH), ownerId: MANAGER })];
    expect(escalations(sweep(local('2026-11-20 10:00', SH), managerOwns))).toEqual([]);
    expect(
      sweep(local('2026-11-27 10:00', SH), [finding({ status: 'planned', createdAt: local('2026-11-16 10:00', SH) })]),
    ).toEqual([]);
  });
});
