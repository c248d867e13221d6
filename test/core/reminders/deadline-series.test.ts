import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { brief, finding, keys, LDN, local, MEMBERS, NY, OWNER, OWNER_LDN, OWNER_NY, SH, sweep } from './fixtures.js';

const weekends = new WorkCalendar({ ...DEFAULT_REMINDER_RULES.calendar, region: 'weekends' });
const ownerOnly = { adminIds: [], members: new Map([...MEMBERS].filter(([id]) => id === OWNER)) };

describe('the same deadline across time zones', () => {
  // 10:00 UTC on Thursday 26 November: 18:00 in Shanghai, 10:00 in London, 05:00 in New York — the 26th everywhere.
  const deadline = new Date('2026-11-26T10:00:00Z');
  const owners = [
    [21, OWNER, SH],
    [22, OWNER_LDN, LDN],
    [23, OWNER_NY, NY],
  ] as const;
  const findings = owners.map(([id, ownerId]) => finding({ id, ownerId, deadline, managerId: null }));

  it('reminds each owner the day before at 09:00 in their own zone', () => {
    for (const [id, ownerId, zone] of owners) {
      const nine = local('2026-11-25 09:00', zone);
      expect(sweep(new Date(nine.getTime() - 60_000), findings).filter((i) => i.recipientId === ownerId)).toEqual([]);
      const mine = sweep(nine, findings).filter((i) => i.recipientId === ownerId);
      expect(mine).toEqual([
        {
          key: `f:${id}:r0:2026-11-26:deadline-before:1`,
          findingId: id,
          recipientId: ownerId,
          kind: 'deadline_soon',
          dueAt: nine,
          detail: { deadlineDate: '2026-11-26', daysLeft: 1 },
        },
      ]);
    }
  });

  it('pings only those inside their working hours at the moment of the sweep', () => {
    // 17:30 in Shanghai, 09:30 in London, 04:30 in New York.
    expect(sweep(new Date('2026-11-25T09:30:00Z'), findings).map((i) => i.recipientId)).toEqual([OWNER, OWNER_LDN]);
    // 20:00 in Shanghai, 12:00 in London, 07:00 in New York.
    expect(sweep(new Date('2026-11-26T12:00:00Z'), findings).map(brief)).toEqual([
      { key: 'f:22:r0:2026-11-26:deadline-today', to: OWNER_LDN, kind: 'deadline_today' },
    ]);
  });
});

describe('working hours and days', () => {
  it('holds a reminder due while nobody is at work until the next working morning, then returns it on every sweep', () => {
    // Created Monday 23 November; the plan is due two working days later, Wednesday the 25th.
    const open = [finding({ status: 'open', createdAt: local('2026-11-23 10:00', SH) })];
    expect(sweep(local('2026-11-25 08:59', SH), open)).toEqual([]);
    expect(sweep(local('2026-11-25 20:00', SH), open)).toEqual([]);
    expect(sweep(local('2026-11-26 03:00', SH), open)).toEqual([]);
    // The next working morning the plan is late: the series' latest occurrence is the first "plan overdue".
    const morning = sweep(local('2026-11-26 09:00', SH), open);
    expect(morning).toEqual([
      {
        key: 'f:12:plan-due:2026-11-25:overdue:2026-11-26',
        findingId: 12,
        recipientId: OWNER,
        kind: 'plan_overdue',
        dueAt: local('2026-11-26 09:00', SH),
        detail: { planDueDate: '2026-11-25', daysOverdue: 1 },
      },
    ]);
    expect(sweep(local('2026-11-26 15:00', SH), open)).toEqual(morning);
  });

  it('says nothing at weekends and counts overdue days in working days', () => {
    const f = [finding({ deadline: local('2026-11-20 18:00', SH) })]; // Friday
    expect(sweep(local('2026-11-21 10:00', SH), f, ownerOnly)).toEqual([]);
    expect(sweep(local('2026-11-22 10:00', SH), f, ownerOnly)).toEqual([]);
    const monday = sweep(local('2026-11-23 10:00', SH), f, ownerOnly);
    expect(monday.map(brief)).toEqual([{ key: 'f:12:r0:2026-11-20:overdue:2026-11-23', to: OWNER, kind: 'overdue' }]);
    expect(monday[0]!.detail).toEqual({ deadlineDate: '2026-11-20', daysOverdue: 1 });
  });

  it('moves a deadline that falls on a Saturday to Monday morning, where it is already overdue', () => {
    const f = [finding({ deadline: local('2026-11-28 12:00', SH) })];
    expect(keys(sweep(local('2026-11-27 09:00', SH), f, ownerOnly))).toEqual(['f:12:r0:2026-11-28:deadline-before:1']);
    expect(sweep(local('2026-11-28 10:00', SH), f, ownerOnly)).toEqual([]);
    const monday = sweep(local('2026-11-30 09:00', SH), f, ownerOnly);
    expect(keys(monday)).toEqual(['f:12:r0:2026-11-28:overdue:2026-11-30']);
    expect(monday[0]!.dueAt).toEqual(local('2026-11-30 09:00', SH));
  });
});

describe('the Chinese official calendar', () => {
  const f = [finding({ deadline: local('2026-09-30 17:00', SH) })]; // the eve of National Day

  it('stays quiet over National Day and counts the make-up Saturday as a working day', () => {
    expect(sweep(local('2026-10-01 10:00', SH), f, ownerOnly)).toEqual([]);
    expect(sweep(local('2026-10-05 10:00', SH), f, ownerOnly)).toEqual([]);
    const back = sweep(local('2026-10-08 10:00', SH), f, ownerOnly);
    expect(keys(back)).toEqual(['f:12:r0:2026-09-30:overdue:2026-10-08']);
    expect(back[0]!.detail.daysOverdue).toBe(1);
    const saturday = sweep(local('2026-10-10 10:00', SH), f, ownerOnly);
    expect(keys(saturday)).toEqual(['f:12:r0:2026-09-30:overdue:2026-10-10']);
    expect(saturday[0]!.detail.daysOverdue).toBe(3);
    expect(sweep(local('2026-10-11 10:00', SH), f, ownerOnly)).toEqual([]);
  });

  it('with region "weekends" National Day is an ordinary working week', () => {
    const first = sweep(local('2026-10-01 10:00', SH), f, { ...ownerOnly, calendar: weekends });
    expect(keys(first)).toEqual(['f:12:r0:2026-09-30:overdue:2026-10-01']);
    expect(sweep(local('2026-10-10 10:00', SH), f, { ...ownerOnly, calendar: weekends })).toEqual([]);
  });

  it('reminds on a make-up Sunday, the working day before a Monday deadline', () => {
    const monday = [finding({ deadline: local('2026-09-21 18:00', SH) })];
    expect(keys(sweep(local('2026-09-20 10:00', SH), monday, ownerOnly))).toEqual([
      'f:12:r0:2026-09-21:deadline-before:1',
    ]);
    expect(keys(sweep(local('2026-09-18 10:00', SH), monday, ownerOnly))).toEqual([
      'f:12:r0:2026-09-21:deadline-before:3',
    ]);
    expect(sweep(local('2026-09-20 10:00', SH), monday, { ...ownerOnly, calendar: weekends })).toEqual([]);
    expect(keys(sweep(local('2026-09-18 10:00', SH), monday, { ...ownerOnly, calendar: weekends }))).toEqual([
      'f:12:r0:2026-09-21:deadline-before:1',
    ]);
  });

  it('gives a plan two working days, not counting the holiday', () => {
    const open = [finding({ status: 'open', createdAt: local('2026-09-30 10:00', SH) })];
    expect(sweep(local('2026-10-08 17:00', SH), open)).toEqual([]);
    expect(keys(sweep(local('2026-10-09 09:00', SH), open))).toEqual(['f:12:plan-due:2026-10-09']);
    expect(keys(sweep(local('2026-10-02 09:00', SH), open, { calendar: weekends }))).toEqual([
      'f:12:plan-due:2026-10-02',
    ]);
  });
});

describe('catching up after downtime', () => {
  it('sends one overdue reminder, not one per missed working day', () => {
    const f = [finding({ deadline: local('2026-11-16 18:00', SH) })]; // Monday
    const tuesday = sweep(local('2026-11-17 09:05', SH), f, ownerOnly);
    expect(keys(tuesday)).toEqual(['f:12:r0:2026-11-16:overdue:2026-11-17']);
    // Down from Tuesday noon until Friday: Wednesday's and Thursday's reminders are never sent.
    expect(sweep(local('2026-11-20 08:30', SH), f, ownerOnly)).toEqual([]);
    const friday = sweep(local('2026-11-20 11:00', SH), f, ownerOnly);
    expect(keys(friday)).toEqual(['f:12:r0:2026-11-16:overdue:2026-11-20']);
    expect(friday[0]!.detail.daysOverdue).toBe(4);
  });

  it('sends only the latest of the reminders before the deadline', () => {
    const f = [finding({ deadline: local('2026-11-27 18:00', SH) })]; // Friday: 3 days before is Tuesday, 1 day before Thursday
    expect(sweep(local('2026-11-23 10:00', SH), f, ownerOnly)).toEqual([]);
    const tuesday = sweep(local('2026-11-24 10:00', SH), f, ownerOnly);
    expect(keys(tuesday)).toEqual(['f:12:r0:2026-11-27:deadline-before:3']);
    expect(tuesday[0]!.detail.daysLeft).toBe(3);
    expect(keys(sweep(local('2026-11-26 10:00', SH), f, ownerOnly))).toEqual(['f:12:r0:2026-11-27:deadline-before:1']);
    expect(keys(sweep(local('2026-11-27 10:00', SH), f, ownerOnly))).toEqual(['f:12:r0:2026-11-27:deadline-today']);
  });

  it('gives one occurrence the same key and time whenever the sweep runs', () => {
    const f = [finding({ deadline: local('2026-11-16 18:00', SH) })];
    const early = sweep(local('2026-11-17 09:00', SH), f);
    const late = sweep(local('2026-11-17 17:59', SH), f);
    expect(early).toEqual(late);
    expect(early.map((i) => [i.key, i.dueAt.toISOString()])).toEqual([
      ['f:12:r0:2026-11-16:overdue:2026-11-17', '2026-11-17T01:00:00.000Z'],
    ]);
    const after = sweep(local('2026-11-18 10:00', SH), f);
    const later = sweep(local('2026-11-18 16:00', SH), f);
    expect(after).toEqual(later);
    expect(keys(after)).toEqual(['f:12:r0:2026-11-16:overdue:2026-11-18', 'f:12:r0:2026-11-16:escalate:manager:2']);
  });
});

describe('a new deadline', () => {
  it('after a rejection restarts the series under new keys', () => {
    const overdue = [finding({ deadline: local('2026-11-20 18:00', SH) })];
    expect(keys(sweep(local('2026-11-23 10:00', SH), overdue, ownerOnly))).toEqual([
      'f:12:r0:2026-11-20:overdue:2026-11-23',
    ]);
    const rejected = [finding({ deadline: local('2026-11-27 18:00', SH), rejectionCount: 1 })];
    expect(keys(sweep(local('2026-11-24 10:00', SH), rejected))).toEqual(['f:12:r1:2026-11-27:deadline-before:3']);
    expect(keys(sweep(local('2026-11-27 10:00', SH), rejected))).toEqual(['f:12:r1:2026-11-27:deadline-today']);
  });

  it('after an extension restarts it too, keyed by the new date', () => {
    const extended = [finding({ deadline: local('2026-12-02 18:00', SH) })];
    expect(keys(sweep(local('2026-11-27 10:00', SH), extended, ownerOnly))).toEqual([
      'f:12:r0:2026-12-02:deadline-before:3',
    ]);
  });
});

describe('which findings are reminded', () => {
  const deadline = local('2026-11-20 18:00', SH);
  const at = local('2026-11-23 10:00', SH);

  it('reminds an open finding of both its plan and a deadline it already has', () => {
    const open = [finding({ status: 'open', createdAt: local('2026-11-16 10:00', SH), deadline })];
    // The plan was due on the 18th: it is late as well.
    expect(sweep(at, open, ownerOnly).map((i) => i.kind)).toEqual(['plan_overdue', 'overdue']);
  });

  it('asks no plan once planned, and nothing of the owner once submitted or accepted', () => {
    expect(sweep(at, [finding({ status: 'planned', deadline })], ownerOnly).map((i) => i.kind)).toEqual(['overdue']);
    expect(sweep(at, [finding({ status: 'submitted', deadline, submittedAt: at })])).toEqual([]);
    expect(sweep(at, [finding({ status: 'accepted', deadline })])).toEqual([]);
    expect(sweep(at, [finding({ status: 'in_progress', deadline: null })])).toEqual([]);
  });

  it('skips people it cannot place in a time zone', () => {
    const members = new Map([[OWNER, { id: OWNER, timeZone: 'Mars/Olympus' }]]);
    expect(sweep(at, [finding({ deadline })], { members })).toEqual([]);
    expect(sweep(at, [finding({ deadline, ownerId: 99 })])).toEqual([]);
  });
});
