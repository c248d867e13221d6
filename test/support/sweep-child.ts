// A separate bot process for race tests: runs one reminder sweep on DATABASE_URL at the instant given,
// after waiting for a shared start time so that the sweeps overlap, and prints the result as JSON.
import { WorkCalendar } from '../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../src/core/reminders/sweep.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';

const [url, at, startAt] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(url);
const repos = createRepos(db);
await repos.org.listMembers(); // connect before the start line
const sweeper = new ReminderSweeper({ repo: repos.reminders, org: repos.org, rules: DEFAULT_REMINDER_RULES, calendar: new WorkCalendar(DEFAULT_REMINDER_RULES.calendar, chinaOfficialCalendar), preferredPlatform: 'slack' });
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const r = await sweeper.sweep(new Date(at));
process.stdout.write(JSON.stringify({ reminders: r.reminders, digests: r.digests }) + '\n');
await db.close();
