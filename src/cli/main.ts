// Operator CLI. Reads DATABASE_URL (default file:./data/dudao.db) and never needs platform secrets.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, memberDefaults, preferredPlatform } from '../config/env.js';
import { createCore } from '../core/create-core.js';
import { pick } from '../core/i18n/t.js';
import { parseOrgFile } from '../core/org/import.js';
import type { OutboxRepo } from '../core/ports.js';
import { WorkCalendar } from '../core/reminders/calendar.js';
import { DEFAULT_REMINDER_RULES, parseReminderRules } from '../core/reminders/rules.js';
import type { SweepResult } from '../core/reminders/sweep.js';
import { ValidationError } from '../core/shared/validation.js';
import { formatFromFilename, TemplateService, templateOf } from '../core/templates/service.js';
import { createReminderSweeper } from '../delivery/reminder-scheduler.js';
import { openMigratedDatabase } from '../store/database.js';
import { createRepos } from '../store/index.js';
import { runEvalCommand } from './eval.js';
import { runEvalConfigCommand } from './eval-config.js';

const USAGE = `usage: dudao <command>

  migrate                                   apply database migrations
  org import <file.yaml|file.json|file.csv> load departments and members (format: docs/operations.md, "Org import format")
  template list                             list checklist templates (newest versions)
  template import <file.yaml|file.json>     add a new template version
  template export <key> [--version N] [--format yaml|json] [--out FILE]
  sweep [--dry-run] [--at ISO-TIME]        run a reminder sweep now (findings and pending evaluations);
                                            --dry-run prints what would be sent and changes nothing
                                            (the bot sends queued digests)
  eval config list                          list evaluation configuration versions (criteria, weights, grades)
  eval config import <file.yaml|file.json>  add a new version (example: examples/evaluation-config.yaml);
                                            cycles opened afterwards use it, open ones keep theirs
  eval config export [--version N] [--format yaml|json] [--out FILE]
  outbox list-failed                        list messages given up for good (id, platform, target,
                                            attempts, queued at, reason) and how many there are
  outbox retry --all | <id>...              put failed messages back in the queue (attempts reset); the
                                            running bot sends them on its next sweep
  eval list                                 list evaluation cycles
  eval summary <cycle id or name> [--lang zh-CN|en]
                                            print a cycle's summary (completion, scores, grades,
                                            members flagged for a position review)
  eval export <cycle id or name> --out FILE [--format csv|xlsx] [--lang zh-CN|en]
                                            write the summary as XLSX (sheets Summary, Members) or the
                                            members table as CSV (UTF-8 with BOM); format from FILE's
                                            extension unless given; headers in --lang (default zh-CN)

Environment: DATABASE_URL (default file:./data/dudao.db), DUDAO_REMINDER_RULES (sweep),
             DUDAO_DEFAULT_LOCALE, DUDAO_DEFAULT_TIMEZONE (org import: new members)`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

type Repos = ReturnType<typeof createRepos>;

function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
      at: { type: 'string' },
      lang: { type: 'string' },
      all: { type: 'boolean' },
    },
  });
}

type CliValues = ReturnType<typeof parseCliArgs>['values'];

export async function runCli(
  argv: string[],
  io: Io = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCliArgs(argv);
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd) {
    io.out(`${USAGE}\n`);
    return cmd ? 0 : 2;
  }
  const url = env.DATABASE_URL || 'file:./data/dudao.db';
  const usage = () => {
    io.err(`${USAGE}\n`);
    return 2;
  };
  // Checked before the database is opened, so a mistyped command creates no database file.
  if (!isKnownCommand(positionals, values)) return usage();

  const db = await openMigratedDatabase(url);
  try {
    const repos = createRepos(db);
    const now = new Date();
    if (cmd === 'eval' && sub === 'config')
      return await runEvalConfigCommand(db, arg, positionals[3], values, io, usage, now);
    if (cmd === 'eval') return await runEvalCommand(db, sub!, arg, values, io, usage);
    if (cmd === 'outbox')
      return await runOutboxCommand(repos.outbox, sub!, values.all ? null : positionals.slice(2).map(Number), io, now);
    if (cmd === 'migrate') {
      io.out(db.applied.length ? `applied: ${db.applied.join(', ')}\n` : 'database is up to date\n');
      return 0;
    }
    if (cmd === 'sweep') return await runSweepCommand(repos, values, io, usage, env, now);
    if (cmd === 'org') {
      const plan = parseOrgFile(readFileSync(arg!, 'utf8'), basename(arg!));
      // New members get the configured defaults; existing ones keep whatever the file leaves out.
      const r = await repos.org.importOrg(plan, memberDefaults(env));
      io.out(`imported ${r.departments} departments and ${r.members} members\n`);
      return 0;
    }
    return await runTemplateCommand(new TemplateService(repos.templates), sub!, arg, values, io, usage, now);
  } catch (e) {
    return reportFailure(e, io);
  } finally {
    await db.close();
  }
}

function isKnownCommand(positionals: string[], values: CliValues): boolean {
  const [cmd, sub, arg] = positionals;
  return !!(
    (cmd === 'eval' &&
      (sub === 'list' ||
        ((sub === 'summary' || sub === 'export') && arg) ||
        (sub === 'config' && ['list', 'import', 'export'].includes(arg ?? '')))) ||
    (cmd === 'outbox' &&
      ((sub === 'list-failed' && !arg) ||
        (sub === 'retry' && (values.all ? !arg : positionals.slice(2).every((x) => /^[1-9]\d*$/.test(x)) && !!arg)))) ||
    cmd === 'migrate' ||
    cmd === 'sweep' ||
    (cmd === 'org' && sub === 'import' && arg) ||
    (cmd === 'template' && (sub === 'list' || ((sub === 'import' || sub === 'export') && arg)))
  );
}

/** A file or settings mistake is told in a line or two, not a stack trace; anything else is a bug and thrown. */
function reportFailure(e: unknown, io: Io): number {
  if (e instanceof ValidationError) {
    io.err(`invalid file, nothing was changed:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  if (e instanceof ConfigError) {
    io.err(`invalid settings, nothing was changed:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    io.err(`file not found: ${(e as NodeJS.ErrnoException).path}\n`);
    return 1;
  }
  throw e;
}

/** `sweep`: the bot's sweep, findings and pending evaluation steps in one digest per person. */
async function runSweepCommand(
  repos: Repos,
  values: CliValues,
  io: Io,
  usage: () => number,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<number> {
  const at = values.at ? new Date(values.at) : now;
  if (Number.isNaN(at.getTime())) return usage();
  const rulesPath = env.DUDAO_REMINDER_RULES;
  const rules = rulesPath
    ? parseReminderRules(readFileSync(rulesPath, 'utf8'), formatFromFilename(rulesPath))
    : DEFAULT_REMINDER_RULES;
  // Its findings' cards show the new reminder counts, drawn as the bot draws them.
  const defaults = memberDefaults(env);
  const calendar = new WorkCalendar(rules.calendar);
  const { rectification } = createCore(repos, {
    profiles: {},
    defaults: { ...defaults, admins: [] },
    rectification: {
      deadlineTime: rules.workingHours.end,
      rules,
      calendar,
    },
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
    },
    calendar,
  );
  const dryRun = values['dry-run'] ?? false;
  const r = await sweeper.sweep(at, { dryRun });
  printSweep(r, dryRun, io);
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
  if (r.redrawError) io.err(`finding cards not redrawn with the new reminder counts: ${r.redrawError}\n`);
}

/** `template list|import|export`. */
async function runTemplateCommand(
  templates: TemplateService,
  sub: string,
  arg: string | undefined,
  values: CliValues,
  io: Io,
  usage: () => number,
  now: Date,
): Promise<number> {
  if (sub === 'list') {
    await templates.ensureDefault(now);
    for (const s of await templates.list()) {
      const tpl = templateOf(s);
      io.out(
        `${s.key}\tv${s.version}\t${pick(tpl.name, 'en')} / ${pick(tpl.name, 'zh-CN')}\t${s.createdAt.toISOString()}\n`,
      );
    }
    return 0;
  }
  if (sub === 'import') {
    const stored = await templates.import(readFileSync(arg!, 'utf8'), formatFromFilename(arg!), now);
    io.out(`imported template ${stored.key} as version ${stored.version}\n`);
    return 0;
  }
  await templates.ensureDefault(now);
  const format =
    values.format === 'json' ? 'json' : values.format === undefined || values.format === 'yaml' ? 'yaml' : null;
  const version = values.version === undefined ? undefined : Number(values.version);
  if (!format || (version !== undefined && !Number.isInteger(version))) return usage();
  const text = await templates.export(arg!, version, format);
  if (text === null) {
    io.err(`no template ${arg}${version ? ` version ${version}` : ''}\n`);
    return 1;
  }
  if (values.out) writeFileSync(values.out, text);
  else io.out(text);
  return 0;
}

const LIST_FAILED_LIMIT = 500;

/** `outbox list-failed` and `outbox retry`: failed rows are kept with their reason until an operator puts them back. */
async function runOutboxCommand(
  outbox: OutboxRepo,
  sub: string,
  ids: number[] | null,
  io: Io,
  now: Date,
): Promise<number> {
  if (sub === 'list-failed') {
    const [rows, total] = await Promise.all([outbox.listFailed(LIST_FAILED_LIMIT), outbox.failedCount()]);
    for (const r of rows)
      io.out(
        `${r.id}\t${r.platform}\t${r.target.kind}:${r.target.id}\t${r.attempts} attempt(s)\t${r.createdAt.toISOString()}\t${r.lastError ?? ''}\n`,
      );
    io.out(`${total} failed message(s)${total > rows.length ? ` (the first ${rows.length} shown)` : ''}\n`);
    return 0;
  }
  const wanted = ids ? [...new Set(ids)] : null;
  const n = await outbox.retryFailed(wanted, now);
  io.out(`re-queued ${n} failed message(s)\n`);
  if (wanted && n < wanted.length) {
    io.err(
      `${wanted.length - n} of the ids given are not failed messages (unknown, pending or sent); see \`dudao outbox list-failed\`\n`,
    );
    return 1;
  }
  return 0;
}

if (process.argv[1] && /cli[\\/]main\.ts$|bin[\\/]dudao(\.js)?$/.test(process.argv[1])) {
  process.exitCode = await runCli(process.argv.slice(2));
}
