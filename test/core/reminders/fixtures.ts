import { DateTime } from 'luxon';
import type { CoreRepos } from '../../../src/core/create-core.js';
import type { ActorRef, OrgRepo } from '../../../src/core/ports.js';
import type { ReminderRepo } from '../../../src/core/rectification/types.js';
import { WorkCalendar } from '../../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../../src/core/reminders/official-calendar-cn.js';
import {
  dueReminders,
  type ReminderFinding,
  type ReminderIntent,
  type ReminderRecipient,
} from '../../../src/core/reminders/plan.js';
import { DEFAULT_REMINDER_RULES, type ReminderRules } from '../../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../../src/core/reminders/sweep.js';
import { inspectionCoreOn, inspectWithFinding } from '../../support/inspections.js';

export const SH = 'Asia/Shanghai';
export const LDN = 'Europe/London';
export const NY = 'America/New_York';

/** A wall-clock time in a zone, e.g. local('2026-11-25 09:00', SH). */
export function local(wallClock: string, zone: string): Date {
  const dt = DateTime.fromFormat(wallClock, 'yyyy-MM-dd HH:mm', { zone });
  if (!dt.isValid) throw new Error(`bad fixture time ${wallClock}`);
  return dt.toJSDate();
}

export const OWNER = 1;
export const MANAGER = 2;
export const SUPERVISOR = 3;
export const ADMIN_LDN = 4;
export const ADMIN_NY = 5;
export const OWNER_LDN = 11;
export const OWNER_NY = 12;

export const MEMBERS = new Map<number, ReminderRecipient>(
  (
    [
      [OWNER, SH],
      [MANAGER, SH],
      [SUPERVISOR, SH],
      [ADMIN_LDN, LDN],
      [ADMIN_NY, NY],
      [OWNER_LDN, LDN],
      [OWNER_NY, NY],
    ] as const
  ).map(([id, timeZone]) => [id, { id, timeZone }]),
);

export function finding(over: Partial<ReminderFinding> = {}): ReminderFinding {
  return {
    id: 12,
    status: 'in_progress',
    createdAt: local('2026-11-02 10:00', SH),
    deadline: null,
    submittedAt: null,
    ownerId: OWNER,
    managerId: MANAGER,
    supervisorId: SUPERVISOR,
    rejectionCount: 0,
    ...over,
  };
}

export interface SweepOptions {
  rules?: ReminderRules;
  calendar?: WorkCalendar;
  members?: Map<number, ReminderRecipient>;
  adminIds?: number[];
}

const cnCalendar = new WorkCalendar(DEFAULT_REMINDER_RULES.calendar);

export function sweep(now: Date, findings: ReminderFinding[], opts: SweepOptions = {}): ReminderIntent[] {
  const rules = opts.rules ?? DEFAULT_REMINDER_RULES;
  return dueReminders({
    now,
    rules,
    calendar: opts.calendar ?? cnCalendar,
    findings,
    members: opts.members ?? MEMBERS,
    adminIds: opts.adminIds ?? [ADMIN_LDN, ADMIN_NY],
  });
}

/** The parts of an intent a reader of a test cares about. */
export const brief = (i: ReminderIntent) => ({ key: i.key, to: i.recipientId, kind: i.kind });
export const keys = (intents: ReminderIntent[]) => intents.map((i) => i.key);

const SUP: ActorRef = { platform: 'slack', userId: 'USUP' };
const officialCalendar = new WorkCalendar(DEFAULT_REMINDER_RULES.calendar, chinaOfficialCalendar);

/** The sweep with the default rules and China's official calendar, its digests for Slack. */
export const sweeperFor = (repos: { reminders: ReminderRepo; org: OrgRepo }, repo: ReminderRepo = repos.reminders) =>
  new ReminderSweeper({
    repo,
    org: repos.org,
    rules: DEFAULT_REMINDER_RULES,
    calendar: officialCalendar,
    preferredPlatform: 'slack',
  });

/**
 * The core on `repos` (the standard org, the default template) with two findings of 门店A raised at `at` by
 * Sam Supervisor: "Fire exit blocked" for the store manager, "Till unattended" for 李员工.
 */
export async function twoFindings<R extends CoreRepos>(repos: R, at: Date) {
  const { people, core } = await inspectionCoreOn(repos, { now: () => at });
  await inspectWithFinding(core, SUP, '门店A', at, { desc: 'Fire exit blocked' });
  await inspectWithFinding(core, SUP, '门店A', at, { desc: 'Till unattended', owner: String(people.李员工!.id) });
  return { people, core };
}

/** The digests among outbox rows (in the order given): to whom, and the payload. */
export const digestsOf = (rows: Array<{ dedupeKey: string; targetId: string; payload: string }>) =>
  rows.filter((r) => r.dedupeKey.startsWith('digest:')).map((r) => ({ to: r.targetId, text: r.payload }));
