// The sweep on the in-memory store: reminders at the right local time, caught up once after downtime and a
// crash, and counted on the finding. That each reminder is claimed once by racing sweepers and processes is the
// database's to keep: test/store/reminder-claims.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import type { ReminderRepo } from '../../../src/core/rectification/types.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../../src/core/reminders/sweep.js';
import type { MessageView } from '../../../src/core/views/types.js';
import { FixedClock } from '../../support/clock.js';
import { asForm } from '../../support/inspections.js';
import { MemoryDb, type MemoryRepos, memoryRepos } from '../../support/memory/index.js';
import { digestsOf, local, SH, sweeperFor, twoFindings } from './fixtures.js';

const rules = DEFAULT_REMINDER_RULES;
const calendar = new WorkCalendar(rules.calendar, chinaOfficialCalendar);

describe('reminder sweep', () => {
  let db: MemoryDb;
  let repos: MemoryRepos;
  let people: Awaited<ReturnType<typeof twoFindings>>['people'];
  let core: Awaited<ReturnType<typeof twoFindings>>['core'];
  const clock = new FixedClock();

  beforeEach(async () => {
    clock.set(local('2026-11-23 10:00', SH)); // a Monday
    db = new MemoryDb();
    repos = memoryRepos(db);
    // Two findings: one for the store manager, one for a staff member.
    ({ people, core } = await twoFindings(repos, clock.now()));
    db.outboxMessage.deleteMany();
  });

  const digests = async () => digestsOf(db.outboxMessage.findMany({ orderBy: { id: 'asc' } }));

  it('reminds each owner once when the plan falls due, at 09:00 their time on a working day', async () => {
    const sweeper = sweeperFor(repos);
    // Tuesday: not due yet. Wednesday 08:30: before the reminder time.
    expect((await sweeper.sweep(local('2026-11-24 10:00', SH))).reminders).toBe(0);
    expect((await sweeper.sweep(local('2026-11-25 08:30', SH))).reminders).toBe(0);
    const r = await sweeper.sweep(local('2026-11-25 09:05', SH));
    expect(r).toMatchObject({ reminders: 2, digests: 2 });
    expect(await sweeper.sweep(local('2026-11-25 09:10', SH))).toMatchObject({ reminders: 0 });
    expect(await sweeper.sweep(local('2026-11-25 15:00', SH))).toMatchObject({ reminders: 0 });
    const sent = await digests();
    expect(sent.map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
    expect(sent[0]!.text).toContain('整改计划须在 2026-11-25 前提交');
    const counts = await db.finding.findMany({ select: { reminderCount: true } });
    expect(counts.map((c) => c.reminderCount)).toEqual([1, 1]);
  });

  it("redraws the cards of reminded findings in place with the new reminder counts, and leaves a moved finding's cards to its step", async () => {
    const built = createCore(repos, { profiles: {}, defaults: { locale: 'zh-CN', timeZone: SH, admins: [] } });
    const sweeper = new ReminderSweeper({
      repo: repos.reminders,
      org: repos.org,
      rules,
      calendar,
      preferredPlatform: 'slack',
      redrawCards: (ids, now) => built.rectification.redrawCards(ids, 'slack', now),
    });
    const cards = async () =>
      (
        await db.outboxMessage.findMany({
          where: { refKey: { startsWith: 'finding:' } },
          orderBy: { id: 'asc' },
        })
      ).map((r) => {
        const fields = (JSON.parse(r.payload) as MessageView).blocks.flatMap((b) =>
          b.kind === 'fields' ? b.fields : [],
        );
        return {
          to: r.targetId,
          refKey: r.refKey,
          updateOnly: r.updateOnly,
          counts: fields.find((f) => /验收退回|Rejections/.test(f.label))?.value,
        };
      });
    // Nothing due on Tuesday: no card is touched.
    await sweeper.sweep(local('2026-11-24 10:00', SH));
    expect(await cards()).toEqual([]);
    // Wednesday 09:05: both plans are due; each finding's people see "1" reminder on the card they have.
    expect(await sweeper.sweep(local('2026-11-25 09:05', SH))).toMatchObject({ reminders: 2 });
    const after = await cards();
    const till = (await db.finding.findFirstOrThrow({ where: { description: 'Till unattended' } })).id;
    expect(
      after
        .filter((c) => c.refKey?.startsWith(`finding:${till}:`))
        .map((c) => [c.to, c.counts, c.updateOnly])
        .sort(),
    ).toEqual([
      ['UMGR', '0 / 1 / 0', true],
      ['USTAFF', '0 / 1 / 0', true],
      ['USUP', '0 / 1 / 0', true],
    ]);
    expect(after.every((c) => c.counts === '0 / 1 / 0')).toBe(true);
    // A step taken after the sweep read the finding: its card is the newer one, and the sweep's is not queued.
    await db.outboxMessage.deleteMany();
    const stale = (await repos.findings.byId(till))!;
    await db.finding.update({ where: { id: till }, data: { version: { increment: 1 } } });
    await repos.findings.redraw(
      [
        {
          id: till,
          version: stale.version,
          outbox: [
            {
              platform: 'slack',
              target: { kind: 'user', id: 'USTAFF' },
              message: { text: 'old', blocks: [] },
              dedupeKey: 'stale-card',
              refKey: `finding:${till}:card:x`,
              updateOnly: true,
            },
          ],
        },
      ],
      clock.now(),
    );
    expect(await cards()).toEqual([]);
  });

  it('after a crash in the middle of a sweep, the restarted process sends the rest and repeats nothing', async () => {
    let claims = 0;
    const crashing: ReminderRepo = {
      dueFindings: (n, l) => repos.reminders.dueFindings(n, l),
      claimedKeys: (k) => repos.reminders.claimedKeys(k),
      reschedule: (i) => repos.reminders.reschedule(i),
      claim: async (c, n) => {
        if (++claims === 2) throw new Error('process killed');
        return repos.reminders.claim(c, n);
      },
    };
    await expect(sweeperFor(repos, crashing).sweep(local('2026-11-25 09:05', SH))).rejects.toThrow('process killed');
    expect(await digests()).toHaveLength(1);
    const restarted = await sweeperFor(repos).sweep(local('2026-11-25 09:20', SH));
    expect(restarted.reminders).toBe(1);
    expect((await digests()).map((d) => d.to).sort()).toEqual(['UMGR', 'USTAFF']);
  });

  it('catches up once after downtime and escalates to the manager, then the supervisor and admins', async () => {
    // The manager plans with a deadline of Friday 27 Nov, then the bot is down for a week.
    const form = asForm(
      await core.action({
        actor: { platform: 'slack', userId: 'UMGR' },
        actionId: 'finding.plan',
        value: String((await db.finding.findFirstOrThrow({ where: { description: 'Fire exit blocked' } })).id),
        channelId: 'D',
        now: clock.now(),
      }),
    );
    const planned = await core.submitForm({
      actor: { platform: 'slack', userId: 'UMGR' },
      formType: form.formType,
      formId: form.formId,
      page: 0,
      values: { measures: 'Clear it', owner: String(people.王经理!.id), deadline: '2026-11-27' },
      now: clock.now(),
    });
    expect(planned.kind).toBe('done');
    await db.outboxMessage.deleteMany();
    const sweeper = sweeperFor(repos);
    // Back on Wednesday 2 Dec (3 working days overdue): one overdue reminder, not one per missed day, and the
    // manager escalation (reached after 2 working days) goes to... the manager is the owner here, so nobody else.
    const r1 = await sweeper.sweep(local('2026-12-02 09:30', SH));
    const mine = r1.planned.find((p) => p.recipient.displayName === '王经理')!;
    expect(mine.intents.filter((i) => i.findingId !== undefined && i.kind === 'overdue')).toHaveLength(1);
    expect(mine.intents.find((i) => i.kind === 'overdue')?.detail.daysOverdue).toBe(3);
    expect(await sweeper.sweep(local('2026-12-02 11:00', SH))).toMatchObject({ reminders: 0 });
    // The other finding never got a plan (due Wed 25 Nov): its owner hears that it is late, and the manager
    // has it escalated (2 working days late since Fri 27 Nov).
    const staff = r1.planned.find((p) => p.recipient.displayName === '李员工')!;
    expect(staff.intents.map((i) => [i.kind, i.detail])).toEqual([
      ['plan_overdue', { planDueDate: '2026-11-25', daysOverdue: 5 }],
    ]);
    expect(mine.intents.map((i) => i.kind)).toEqual(['plan_escalation_manager', 'overdue']);
    // Seven working days overdue (Tue 8 Dec): the supervisor (London) and the admin hear at 09:00 their time,
    // of the late deadline and of the plan, late for 9 working days (the supervisor level came on Fri 4 Dec).
    const shanghaiMorning = await sweeper.sweep(local('2026-12-08 09:30', SH));
    expect(shanghaiMorning.planned.map((p) => p.recipient.displayName).sort()).toEqual([
      'Ada Admin',
      '李员工',
      '王经理',
    ]);
    const londonMorning = await sweeper.sweep(local('2026-12-08 09:30', 'Europe/London'));
    expect(londonMorning.planned.map((p) => [p.recipient.displayName, p.intents.map((i) => i.kind)])).toEqual([
      ['Sam Supervisor', ['plan_escalation_supervisor', 'escalation_supervisor']],
    ]);
    const f = await db.finding.findFirstOrThrow({ where: { description: 'Fire exit blocked' } });
    expect(f.escalationCount).toBe(2);
    const late = await db.finding.findFirstOrThrow({ where: { description: 'Till unattended' } });
    expect(late).toMatchObject({ status: 'open', escalationCount: 3 }); // the manager, the admin, the supervisor
    const supDigest = (await digests()).find((d) => d.to === 'USUP')!;
    expect(supDigest.text).toContain('escalated to you: 王经理 is 7 working day(s) overdue');
    expect(supDigest.text).toContain(
      'escalated to you: 李员工 has not submitted a rectification plan, 9 working day(s) late (due 2026-11-25)',
    );
  });

  it('dry run shows what would be sent and claims nothing', async () => {
    const r = await sweeperFor(repos).sweep(local('2026-11-25 09:05', SH), { dryRun: true });
    expect(r.planned.map((p) => p.recipient.displayName).sort()).toEqual(['李员工', '王经理']);
    expect(await db.reminderLog.count()).toBe(0);
    expect(await digests()).toEqual([]);
  });
});
