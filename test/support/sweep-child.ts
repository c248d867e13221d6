// A separate bot process for race tests: runs one reminder sweep on DATABASE_URL at the instant given and
// prints the result as JSON. Modes (third argument):
// - "barrier": before its first claim the process prints {"at":"claim","due":n} and waits for a line "go" on
//   stdin, so the test can release two processes only once both have read the same due reminders: their
//   claims then really race.
// - "die-after-first-claim": the process exits abruptly (no cleanup, no commit of anything further) right
//   after its first claim committed: a bot killed in the middle of a sweep.
import { createInterface } from 'node:readline';
import type { ReminderRepo } from '../../src/core/rectification/types.js';
import { WorkCalendar } from '../../src/core/reminders/calendar.js';
import { chinaOfficialCalendar } from '../../src/core/reminders/official-calendar-cn.js';
import { DEFAULT_REMINDER_RULES } from '../../src/core/reminders/rules.js';
import { ReminderSweeper } from '../../src/core/reminders/sweep.js';
import { openDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';

const [url, at, mode] = process.argv.slice(2) as [string, string, string | undefined];
const db = openDatabase(url);
const repos = createRepos(db);
const base = repos.reminders;
let due = 0;
let released: Promise<void> | undefined;
/** Once, before the first claim: says how many reminders were due and waits for the test's "go". */
const barrier = () =>
  (released ??= new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (l) => {
      if (l.trim() !== 'go') return;
      lines.close();
      resolve();
    });
    process.stdout.write(`${JSON.stringify({ at: 'claim', due })}\n`);
  }));

// One person per claim (no claimMany), so that "after the first claim" leaves the others unclaimed.
const repo: ReminderRepo = {
  dueFindings: async (...args) => {
    const rows = await base.dueFindings(...args);
    due += rows.length;
    return rows;
  },
  claimedKeys: base.claimedKeys.bind(base),
  reschedule: base.reschedule.bind(base),
  claim: async (...args) => {
    if (mode === 'barrier') await barrier();
    const ok = await base.claim(...args);
    if (mode === 'die-after-first-claim') process.exit(9);
    return ok;
  },
};
const sweeper = new ReminderSweeper({
  repo,
  org: repos.org,
  rules: DEFAULT_REMINDER_RULES,
  calendar: new WorkCalendar(DEFAULT_REMINDER_RULES.calendar, chinaOfficialCalendar),
  preferredPlatform: 'slack',
});
const r = await sweeper.sweep(new Date(at));
process.stdout.write(`${JSON.stringify({ reminders: r.reminders, digests: r.digests })}\n`);
await db.close();
