// `overdue` lists findings whose plan is late (never submitted) as well as those past their deadline.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import type { ActorRef } from '../../../src/core/ports.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../../src/core/reminders/rules.js';
import type { Reply } from '../../../src/core/views/types.js';
import { inspectWithFinding } from '../../support/inspections.js';
import { memoryRepos } from '../../support/memory/index.js';
import { buildOrg, STANDARD_ORG } from '../../support/org.js';
import { local, SH } from './fixtures.js';

const SUP: ActorRef = { platform: 'slack', userId: 'USUP' };
const rules = DEFAULT_REMINDER_RULES;
const calendar = new WorkCalendar(rules.calendar, chinaOfficialCalendar);
const textOf = (r: Reply) =>
  r.kind === 'message' ? r.message.blocks.map((b) => ('text' in b ? b.text : '')).join('\n') : '';

describe('overdue with late plans', () => {
  let core: ReturnType<typeof createCore>['core'];

  beforeEach(async () => {
    const repos = memoryRepos();
    const people = await buildOrg(repos, STANDARD_ORG);
    const built = createCore(repos, {
      profiles: {},
      defaults: { locale: 'zh-CN', timeZone: SH, admins: [] },
      rectification: { rules, calendar },
    });
    const at = local('2026-11-23 10:00', SH); // Monday: plans due Wednesday the 25th at 18:00
    await built.templates.ensureDefault(at);
    core = built.core;
    await inspectWithFinding(core, SUP, '门店A', at, { desc: 'Till unattended', owner: String(people.李员工!.id) });
  });

  const overdue = async (at: Date) =>
    textOf(await core.command({ actor: SUP, text: 'overdue', channelId: 'D1', now: at }));

  it('lists an open finding once its plan is past due, saying it is the plan that is late', async () => {
    expect(await overdue(local('2026-11-25 17:59', SH))).toContain('Nothing is overdue.');
    const text = await overdue(local('2026-11-27 10:00', SH));
    expect(text).toContain('Till unattended');
    expect(text).toContain('李员工');
    expect(text).toContain('rectification plan 2 d overdue');
    expect(text).not.toContain('Nothing is overdue.');
  });
});
