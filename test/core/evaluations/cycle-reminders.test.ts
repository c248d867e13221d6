// Reminders for pending evaluation steps on the in-memory store: in the same per-person digest as findings, daily
// from 3 working days before the deadline at the reminder time in the owner's zone, exactly once per day,
// moved to whoever owns the next step, escalated once past the deadline, and none after closing.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import { EvaluationReminderPlanner, escalationTo } from '../../../src/core/evaluations/cycles/reminders.js';
import type { ActorRef } from '../../../src/core/ports.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../../src/core/reminders/sweep.js';
import { type FormView, fieldsOf } from '../../../src/core/views/types.js';
import { asForm } from '../../support/inspections.js';
import { MemoryDb, type MemoryRepos, memoryRepos } from '../../support/memory/index.js';
import { buildOrg, STANDARD_ORG } from '../../support/org.js';
import { local, SH } from '../reminders/fixtures.js';

const slack = (userId: string): ActorRef => ({ platform: 'slack', userId });
const HR = slack('UHR');
const STAFF = slack('USTAFF');
const rules = DEFAULT_REMINDER_RULES;
const calendar = new WorkCalendar(rules.calendar, chinaOfficialCalendar);
const ORG = [
  ...STANDARD_ORG,
  { name: 'Helen HR', slack: 'UHR', feishu: 'ou_hr', role: 'hr' as const, locale: 'en' as const },
];
const fill = (form: FormView) =>
  Object.fromEntries(
    fieldsOf(form)
      .filter((f) => f.id.endsWith('_score'))
      .map((f) => [f.id, '4']),
  );

describe('evaluation reminders', () => {
  let db: MemoryDb;
  let repos: MemoryRepos;
  let core: ReturnType<typeof createCore>['core'];
  let sweeper: ReminderSweeper;

  beforeEach(async () => {
    db = new MemoryDb();
    repos = memoryRepos(db);
    await buildOrg(repos, ORG);
    const built = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: SH, admins: [] },
      rectification: { calendar },
    });
    await built.evaluations!.ensureDefaultConfig(local('2026-11-23 10:00', SH));
    core = built.core;
    sweeper = new ReminderSweeper({
      repo: repos.reminders,
      org: repos.org,
      rules,
      calendar,
      preferredPlatform: 'slack',
      evaluations: new EvaluationReminderPlanner(repos.evaluations),
    });
    // Monday 23 Nov: the deadline is Mon 7 Dec 18:00 (30 Nov + 5 working days); reminders start Wed 2 Dec.
    await core.command({
      actor: HR,
      text: 'eval open monthly dept 门店A',
      channelId: 'D1',
      now: local('2026-11-23 10:00', SH),
    });
    await db.outboxMessage.deleteMany();
  });

  const digests = async () =>
    (
      await db.outboxMessage.findMany({
        where: { dedupeKey: { startsWith: 'digest:' } },
        orderBy: { id: 'asc' },
      })
    ).map((r) => ({ to: r.targetId, text: r.payload }));

  it('reminds each owner daily from 3 working days before the deadline, once a day, then the next owner, then escalates past the deadline', async () => {
    const staff = await db.evaluationParticipant.findFirstOrThrow({
      where: { memberId: (await repos.org.memberByPlatform('slack', 'USTAFF'))!.id },
    });
    // Nothing before the series starts; the next look is its first morning.
    expect((await sweeper.sweep(local('2026-11-30 10:00', SH))).reminders).toBe(0);
    expect(
      (await db.evaluationParticipant.findUniqueOrThrow({ where: { id: staff.id } })).nextReminderAt?.toISOString(),
    ).toBe(local('2026-12-02 09:00', SH).toISOString());
    expect((await sweeper.sweep(local('2026-12-02 08:30', SH))).reminders).toBe(0);

    // Wed 2 Dec 09:05: the two members in the self-evaluation stage, each in their own digest, once.
    expect(await sweeper.sweep(local('2026-12-02 09:05', SH))).toMatchObject({ reminders: 2, digests: 2 });
    expect(await sweeper.sweep(local('2026-12-02 11:00', SH))).toMatchObject({ reminders: 0 });
    const first = await digests();
    expect(first.map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
    const toStaff = first.find((d) => d.to === 'USTAFF')!.text;
    expect(toStaff).toContain('您的自评（2026-11），截止 北京时间 2026-12-07 18:00');
    expect(toStaff).toContain('"actionId":"eval.self"');
    expect(await db.reminderLog.count({ where: { findingId: null, participantId: { not: null } } })).toBe(2);

    // The next working day again; then the staff member submits and the step moves to the manager.
    expect(await sweeper.sweep(local('2026-12-03 09:30', SH))).toMatchObject({ reminders: 2 });
    const form = asForm(
      await core.action({
        actor: STAFF,
        actionId: 'eval.self',
        value: String(staff.id),
        channelId: 'D1',
        now: local('2026-12-03 10:00', SH),
      }),
    );
    expect(
      (
        await core.submitForm({
          actor: STAFF,
          formType: form.formType,
          formId: form.formId,
          page: 0,
          values: fill(form),
          now: local('2026-12-03 10:00', SH),
        })
      ).kind,
    ).toBe('done');
    await db.outboxMessage.deleteMany();
    // The same morning's reminder was claimed already for the staff member; the manager's step is new (his own self-evaluation was reminded too).
    const later = await sweeper.sweep(local('2026-12-03 10:30', SH));
    expect(later).toMatchObject({ reminders: 1, digests: 1 });
    expect((await digests())[0]!.text).toContain('评价 李员工（2026-11）');

    // Past the deadline (Tue 8 Dec): overdue to the manager (both his own self-evaluation and his evaluation of the
    // staff member, in one digest); the staff member's pending step escalates to HR and the admin (the manager is the
    // one it waits for); the manager's own self-evaluation to his supervisor (HR, who opened the cycle), never to himself.
    await db.outboxMessage.deleteMany();
    const past = await sweeper.sweep(local('2026-12-08 09:10', SH));
    const sent = await digests();
    expect(sent.map((d) => d.to).sort()).toEqual(['UADMIN', 'UHR', 'UMGR']);
    const toMgr = sent.find((d) => d.to === 'UMGR')!.text;
    expect(toMgr).toContain('已超过截止时间');
    expect(sent.find((d) => d.to === 'UHR')!.text).toContain('still pending with 王经理');
    expect(past.reminders).toBe(5);
    // Escalations are sent once; the daily reminder again the next day.
    await db.outboxMessage.deleteMany();
    expect(await sweeper.sweep(local('2026-12-08 15:00', SH))).toMatchObject({ reminders: 0 });
    expect(await sweeper.sweep(local('2026-12-09 09:10', SH))).toMatchObject({ reminders: 2, digests: 1 });

    // A closed cycle reminds nobody.
    await core.command({ actor: HR, text: 'eval close', channelId: 'D1', now: local('2026-12-09 10:00', SH) });
    expect(await sweeper.sweep(local('2026-12-10 09:10', SH))).toMatchObject({ reminders: 0 });
  });

  it('never escalates a manager’s own overdue evaluation to the manager: it goes to their supervisor, else HR and admins', async () => {
    const mgrId = (await repos.org.memberByPlatform('slack', 'UMGR'))!.id;
    const mgr = await db.evaluationParticipant.findFirstOrThrow({ where: { memberId: mgrId } });
    // The manager submits his self-evaluation; his supervisor (HR, who opened the cycle: no parent department
    // has a manager) does not evaluate him before the deadline.
    const at = local('2026-12-03 10:00', SH);
    const form = asForm(
      await core.action({
        actor: slack('UMGR'),
        actionId: 'eval.self',
        value: String(mgr.id),
        channelId: 'D1',
        now: at,
      }),
    );
    expect(
      (
        await core.submitForm({
          actor: slack('UMGR'),
          formType: form.formType,
          formId: form.formId,
          page: 0,
          values: fill(form),
          now: at,
        })
      ).kind,
    ).toBe('done');
    await db.outboxMessage.deleteMany();
    await sweeper.sweep(local('2026-12-08 09:10', SH));
    const escalations = await db.reminderLog.findMany({
      where: { participantId: mgr.id, key: { contains: ':escalate:' } },
    });
    const hrId = (await repos.org.memberByPlatform('slack', 'UHR'))!.id;
    const adminId = (await repos.org.memberByPlatform('slack', 'UADMIN'))!.id;
    // The step waits for HR: the admin hears of it, not the manager (the participant), not HR (the owner).
    expect(escalations.map((e) => e.key)).toEqual([`e:${mgr.id}:supervisor:supervisor:${hrId}:escalate:${adminId}`]);
    const toMgr = (await digests())
      .filter((d) => d.to === 'UMGR')
      .map((d) => d.text)
      .join('\n');
    expect(toMgr).not.toContain('王经理 · 2026-11');
    expect(toMgr).toContain('李员工 · 2026-11 — 李员工 仍未完成');
  });
});

describe('escalationTo', () => {
  const p = (memberId: number, supervisorId: number | null) => ({ memberId, supervisorId });
  it('goes to the department manager unless they are the participant or the owner, then to the supervisor, then to HR and admins', () => {
    // A member's self-evaluation: the manager.
    expect(escalationTo(p(1, 2), 1, 2, [8, 9])).toEqual([2]);
    // A manager's own self-evaluation: not themselves; their supervisor (the parent department's manager).
    expect(escalationTo(p(2, 3), 2, 2, [8, 9])).toEqual([3]);
    // The manager's supervisor's step on the manager: neither the manager nor the owner; HR and admins.
    expect(escalationTo(p(2, 3), 3, 2, [3, 8, 9])).toEqual([8, 9]);
    // HR is both the owner and in the fallback: left out.
    expect(escalationTo(p(2, 8), 8, 2, [8, 9])).toEqual([9]);
    // No manager at all.
    expect(escalationTo(p(1, null), 1, null, [8])).toEqual([8]);
  });
});
