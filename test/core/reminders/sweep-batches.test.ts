// Sweeps larger than one batch: one digest per person whatever the batch size, every due finding read once
// (pages ordered by check time and id), and batched claims that drop only the digests another sweep got first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import type { ActorRef } from '../../../src/core/ports.js';
import type { DueCursor, ReminderClaim } from '../../../src/core/rectification/types.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../../src/core/reminders/sweep.js';
import { createRepos, type Repos } from '../../../src/store/index.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../../support/db.js';
import { inspectWithFinding } from '../../support/inspections.js';
import { buildOrg, STANDARD_ORG } from '../../support/org.js';
import { local, SH } from './fixtures.js';

const SUP: ActorRef = { platform: 'slack', userId: 'USUP' };
const rules = DEFAULT_REMINDER_RULES;
const calendar = new WorkCalendar(rules.calendar, chinaOfficialCalendar);

describe.each(STORE_BACKENDS)('reminder sweep in batches on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repos;
  let people: Awaited<ReturnType<typeof buildOrg>>;

  beforeEach(async () => {
    const monday = local('2026-11-23 10:00', SH);
    db = await createTestDatabase(kind);
    repos = createRepos(db);
    people = await buildOrg(repos, STANDARD_ORG);
    const built = createCore(repos, { profiles: {}, defaults: { locale: 'zh-CN', timeZone: SH, admins: [] } });
    await built.templates.ensureDefault(monday);
    // One finding for the store manager, three for a staff member.
    await inspectWithFinding(built.core, SUP, '门店A', monday, { desc: 'Fire exit blocked' });
    for (const desc of ['Till unattended', 'Fridge too warm', 'Floor wet'])
      await inspectWithFinding(built.core, SUP, '门店A', monday, { desc, owner: String(people.李员工!.id) });
    await db.prisma.outboxMessage.deleteMany();
  });
  afterEach(async () => db.destroy());

  const digests = async () =>
    (
      await db.prisma.outboxMessage.findMany({
        where: { dedupeKey: { startsWith: 'digest:' } },
        orderBy: { id: 'asc' },
      })
    ).map((r) => r.targetId);

  it('gives each person one digest when their findings fall into different batches', async () => {
    const sweeper = new ReminderSweeper({
      repo: repos.reminders,
      org: repos.org,
      rules,
      calendar,
      preferredPlatform: 'slack',
      batchSize: 1,
      claimGroup: 1,
    });
    const at = local('2026-11-25 09:05', SH);
    expect(await sweeper.sweep(at, { dryRun: true })).toMatchObject({ findings: 4, reminders: 4, digests: 2 });
    expect(await sweeper.sweep(at)).toMatchObject({ findings: 4, reminders: 4, digests: 2 });
    expect((await digests()).sort()).toEqual(['UMGR', 'USTAFF']);
    expect((await db.prisma.finding.findMany({ select: { reminderCount: true } })).map((f) => f.reminderCount)).toEqual(
      [1, 1, 1, 1],
    );
    expect(await sweeper.sweep(local('2026-11-25 09:10', SH))).toMatchObject({ reminders: 0 });
  });

  it('pages through due findings that share one check time, each once, in id order', async () => {
    const at = local('2026-11-25 09:05', SH);
    await db.prisma.finding.updateMany({ data: { nextReminderAt: local('2026-11-25 09:00', SH) } });
    const ids: number[] = [];
    let after: DueCursor | null = null;
    for (;;) {
      const page = await repos.reminders.dueFindings(at, 1, after);
      const last = page[page.length - 1];
      if (!last) break;
      ids.push(...page.map((f) => f.id));
      after = { nextReminderAt: last.nextReminderAt!, id: last.id };
    }
    const all = (await db.prisma.finding.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((f) => f.id);
    expect(ids).toEqual(all);
  });

  it('claims many people at once, and drops only the digest whose reminder another sweep claimed first', async () => {
    const [f1, f2] = await db.prisma.finding.findMany({ orderBy: { id: 'asc' } });
    const now = local('2026-11-25 09:05', SH);
    const claim = (key: string, findingId: number, to: string, dedupeKey: string): ReminderClaim => ({
      occurrences: [{ key, findingId, recipientId: people[to]!.id, kind: 'plan_due', dueAt: now, escalation: false }],
      digest: {
        platform: 'slack',
        target: { kind: 'user', id: people[to]!.slackUserId! },
        message: { text: dedupeKey, blocks: [] },
        dedupeKey,
      },
    });
    expect(await repos.reminders.claim(claim('k-mgr', f1!.id, '王经理', 'digest:other-sweep'), now)).toBe(true);
    const ok = await repos.reminders.claimMany!(
      [claim('k-mgr', f1!.id, '王经理', 'digest:mgr'), claim('k-staff', f2!.id, '李员工', 'digest:staff')],
      now,
    );
    expect(ok).toEqual([false, true]);
    expect(
      (await db.prisma.reminderLog.findMany({ orderBy: { key: 'asc' } })).map((r) => [r.key, r.outboxKey]),
    ).toEqual([
      ['k-mgr', 'digest:other-sweep'],
      ['k-staff', 'digest:staff'],
    ]);
    expect((await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => r.dedupeKey)).toEqual([
      'digest:other-sweep',
      'digest:staff',
    ]);
    expect((await db.prisma.finding.findMany({ orderBy: { id: 'asc' }, take: 2 })).map((f) => f.reminderCount)).toEqual(
      [1, 1],
    );
  });
});
