// Sweeps larger than one batch, in memory: one digest per person whatever the batch size. How the store pages
// due findings and claims many people at once is tested on the databases (test/store/reminder-claims.test.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import type { ActorRef } from '../../../src/core/ports.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../../src/core/reminders/sweep.js';
import { inspectWithFinding } from '../../support/inspections.js';
import { MemoryDb, type MemoryRepos, memoryRepos } from '../../support/memory/index.js';
import { buildOrg, STANDARD_ORG } from '../../support/org.js';
import { local, SH } from './fixtures.js';

const SUP: ActorRef = { platform: 'slack', userId: 'USUP' };
const rules = DEFAULT_REMINDER_RULES;
const calendar = new WorkCalendar(rules.calendar, chinaOfficialCalendar);

describe('reminder sweep in batches', () => {
  let db: MemoryDb;
  let repos: MemoryRepos;
  let people: Awaited<ReturnType<typeof buildOrg>>;

  beforeEach(async () => {
    const monday = local('2026-11-23 10:00', SH);
    db = new MemoryDb();
    repos = memoryRepos(db);
    people = await buildOrg(repos, STANDARD_ORG);
    const built = createCore(repos, { profiles: {}, defaults: { locale: 'zh-CN', timeZone: SH, admins: [] } });
    await built.templates.ensureDefault(monday);
    // One finding for the store manager, three for a staff member.
    await inspectWithFinding(built.core, SUP, '门店A', monday, { desc: 'Fire exit blocked' });
    for (const desc of ['Till unattended', 'Fridge too warm', 'Floor wet'])
      await inspectWithFinding(built.core, SUP, '门店A', monday, { desc, owner: String(people.李员工!.id) });
    await db.outboxMessage.deleteMany();
  });

  const digests = async () =>
    (
      await db.outboxMessage.findMany({
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
    expect((await db.finding.findMany({ select: { reminderCount: true } })).map((f) => f.reminderCount)).toEqual([
      1, 1, 1, 1,
    ]);
    expect(await sweeper.sweep(local('2026-11-25 09:10', SH))).toMatchObject({ reminders: 0 });
  });
});
