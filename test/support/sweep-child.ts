// A separate bot process for race tests: runs one reminder sweep on DATABASE_URL at the instant given,
// after waiting for a shared start time so that the sweeps overlap, and prints the result as JSON.
// With a fourth argument "die-after-first-claim" the process exits abruptly (no cleanup, no commit of
// anything further) right after its first claim committed: a bot killed in the middle of a sweep.
import { WorkCalendar } from '../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../src/core/reminders/sweep.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';

const [url, at, startAt, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const db = openDatabase(url);
const repos = createRepos(db);
await repos.org.listMembers(); // connect before the start line
const base = repos.reminders;
// One person per claim, so that "after the first claim" leaves the others unclaimed.
const repo =
  mode === 'die-after-first-claim'
    ? {
        dueFindings: base.dueFindings.bind(base),
        claimedKeys: base.claimedKeys.bind(base),
        reschedule: base.reschedule.bind(base),
        claim: async (...args: Parameters<typeof base.claim>) => {
          const ok = await base.claim(...args);
          process.exit(9);
          return ok;
        },
      }
    : base;
const sweeper = new ReminderSweeper({
  repo,
  org: repos.org,
  rules: DEFAULT_REMINDER_RULES,
  calendar: new WorkCalendar(DEFAULT_REMINDER_RULES.calendar, chinaOfficialCalendar),
  preferredPlatform: 'slack',
});
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const r = await sweeper.sweep(new Date(at));
process.stdout.write(`${JSON.stringify({ reminders: r.reminders, digests: r.digests })}\n`);
await db.close();
