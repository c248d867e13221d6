// `dudao sweep [--dry-run] [--at ISO-TIME]`: the bot's reminder sweep, findings and pending evaluation steps
// in one digest per person; a dry run prints what would be sent and changes nothing.
import { memberDefaults, preferredPlatform } from '../config/env.js';
import { createCore } from '../core/create-core.js';
import { WorkCalendar } from '../core/reminders/calendar.js';
import { DEFAULT_REMINDER_RULES, parseReminderRules } from '../core/reminders/rules.js';
import type { SweepResult } from '../core/reminders/sweep.js';
import { formatFromContent } from '../core/templates/service.js';
import { createReminderSweeper } from '../delivery/reminder-scheduler.js';
import { createRepos } from '../store/index.js';
import { type DbContext, str } from './context.js';
import { readInputFile } from './files.js';
import { type Io, UsageError } from './io.js';

export async function sweep({ db, options, io, env, now }: DbContext): Promise<number> {
  const atText = str(options.at);
  const at = atText ? new Date(atText) : now;
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--at must be a date and time such as 2026-11-25T01:00:00Z, not ${atText}`);
  const rulesPath = env.DUDAO_REMINDER_RULES;
  const rules = rulesPath ? parseRules(readInputFile(rulesPath)) : DEFAULT_REMINDER_RULES;
  const repos = createRepos(db);
  // Its findings' cards show the new reminder counts, drawn as the bot draws them.
  const defaults = memberDefaults(env);
  const calendar = new WorkCalendar(rules.calendar);
  const { rectification, flows } = createCore(repos, {
    profiles: {},
    defaults: { ...defaults, admins: [] },
    rectification: { deadlineTime: rules.workingHours.end, rules, calendar },
  });
  const redrawCards = (ids: number[], when: Date) => rectification.redrawCards(ids, preferredPlatform(env), when);
  const sweeper = createReminderSweeper(
    {
      repo: repos.reminders,
      org: repos.org,
      evaluations: repos.evaluations,
      rules,
      preferredPlatform: preferredPlatform(env),
      redrawCards,
      flows,
    },
    calendar,
  );
  const dryRun = options['dry-run'] === true;
  printSweep(await sweeper.sweep(at, { dryRun }), dryRun, io);
  return 0;
}

function printSweep(r: SweepResult, dryRun: boolean, io: Io): void {
  for (const p of r.planned) {
    io.out(
      `${p.recipient.displayName} (${p.recipient.slackUserId ?? p.recipient.feishuOpenId ?? '-'}, ${p.recipient.timeZone}): ${p.intents.length + (p.evaluations?.length ?? 0)} reminder(s)\n`,
    );
    for (const i of p.intents)
      io.out(`  #${i.findingId} ${i.kind} due ${i.dueAt.toISOString()} ${JSON.stringify(i.detail)}\n`);
    for (const e of p.evaluations ?? [])
      io.out(
        `  evaluation ${e.cycleName} participant ${e.participantId} ${e.kind} (${e.pending}) deadline ${e.deadline.toISOString()}\n`,
      );
  }
  io.out(
    `${dryRun ? 'would send' : 'queued'} ${r.reminders} reminder(s) in ${r.digests} digest(s); ${r.findings} finding(s) looked at\n`,
  );
  if (r.flows.records > 0)
    io.out(
      `${dryRun ? 'would remind' : 'reminded'} ${r.flows.records} approval(s) and similar item(s) in ${r.flows.messages} message(s)\n`,
    );
  if (r.flowErrors) for (const e of r.flowErrors) io.err(`flow reminders failed: ${e}\n`);
  if (r.redrawError) io.err(`finding cards not redrawn with the new reminder counts: ${r.redrawError}\n`);
}

const parseRules = (text: string) => parseReminderRules(text, formatFromContent(text));
