// One reminder sweep at scale (issue 3): 100,000 open findings, 5,000 of them due now across 2,000 people in
// three time zones, then the outbox drained to a sender that answers at once (and again through dudao's
// SlackSender to a Web API stand-in on loopback). Goals: the sweep under 2 s, adding under 200 MB to the
// process. The sweeps run in a child process of their own so that the memory measured is theirs; beside the
// sweep, in the same run, the raw SQL read of the due rows and a second sweep that finds nothing due.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { MessageSender, OutboxTarget } from '../src/core/ports.js';
import { WorkCalendar } from '../src/core/reminders/calendar.js';
import { DEFAULT_REMINDER_RULES } from '../src/core/reminders/rules.js';
import { ReminderSweeper } from '../src/core/reminders/sweep.js';
import { openDatabase, openMigratedDatabase } from '../src/store/database.js';
import { createRepos } from '../src/store/index.js';
import { runBenchChild } from './child.js';
import { fmt } from './stats.js';

const DEPTS = 50;
const MEMBERS = 2_000;
const INSPECTIONS = 10_000;
const FINDINGS = 100_000;
/** Every 20th finding is due: 5,000. */
const DUE_EVERY = 20;
const PRIOR_REMINDERS = 100_000;
const PRIOR_MESSAGES = 20_000;
const DIMENSIONS = ['process', 'service', 'efficiency', 'risk', 'teamwork'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const ACTIVE = ['open', 'planned', 'in_progress', 'submitted'];

const SH = 'Asia/Shanghai';
const LDN = 'Europe/London';
const NY = 'America/New_York';
/**
 * A Wednesday, 17:00 in Shanghai and 09:00 in London: a working moment in both. It is 04:00 in New York, so
 * the findings owned there are looked at and moved on, and their owners hear at their own 09:00.
 */
const NOW_ISO = '2026-11-25T17:00';
const instants = new Map<string, Date>();
function at(localDate: string, time: string, zone: string): Date {
  const k = `${localDate}T${time}|${zone}`;
  let d = instants.get(k);
  if (!d) instants.set(k, (d = DateTime.fromISO(`${localDate}T${time}`, { zone }).toJSDate()));
  return d;
}
const NOW = at('2026-11-25', '17:00', SH);
const zoneOf = (memberId: number) => (memberId % 20 === 0 ? NY : memberId % 20 <= 3 ? LDN : SH);
const ADMINS = [1, 5]; // London, Shanghai
const SUPERVISORS = Array.from({ length: 20 }, (_, i) => 6 + i);
const managerOf = (dept: number) => 25 + dept;

/** How Prisma's SQLite adapter stores a DateTime; raw rows must match it for date comparisons to hold. */
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** What each due finding is (by its index among the due ones), and the dates that make it due at NOW. */
function dueShape(k: number, owner: number, supervisor: number) {
  const tz = zoneOf(owner);
  const base = {
    status: 'in_progress',
    createdAt: at('2026-11-02', '10:00', tz),
    deadline: null as Date | null,
    submitted: null as Date | null,
  };
  switch (k % 10) {
    case 0:
    case 1:
    case 2: // plan due: found two working days ago
      return { ...base, status: 'open', createdAt: at('2026-11-23', '10:00', tz) };
    case 3:
    case 4: // deadline today
      return { ...base, deadline: at('2026-11-25', '18:00', tz) };
    case 5: // deadline tomorrow: the "1 working day before" reminder
      return { ...base, status: 'planned', deadline: at('2026-11-26', '18:00', tz) };
    case 6:
    case 7: // two working days overdue: the owner, and the department manager by escalation
      return { ...base, deadline: at('2026-11-23', '18:00', tz) };
    case 8: // eight working days overdue: the supervisor and the admins too
      return { ...base, deadline: at('2026-11-13', '18:00', tz) };
    default: // waiting for acceptance since Monday: the supervisor's nudge
      return {
        ...base,
        status: 'submitted',
        deadline: at('2026-11-27', '18:00', tz),
        submitted: at('2026-11-23', '10:00', zoneOf(supervisor)),
      };
  }
}

function seed(path: string): { due: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const t0 = iso(at('2026-01-05', '09:00', SH));
  const later = at('2026-11-26', '09:00', SH); // tomorrow's look for the findings not due now
  let due = 0;
  db.transaction(() => {
    const dept = db.prepare(
      'INSERT INTO "Department" (id, name, "managerId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
    );
    for (let d = 1; d <= DEPTS; d++) dept.run(d, `Dept ${d}`, managerOf(d), t0, t0);
    const member = db.prepare(
      'INSERT INTO "Member" (id, "displayName", "slackUserId", role, "departmentId", locale, "timeZone", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let m = 1; m <= MEMBERS; m++) {
      const role = ADMINS.includes(m)
        ? 'admin'
        : SUPERVISORS.includes(m)
          ? 'supervisor'
          : m > 25 && m <= 25 + DEPTS
            ? 'manager'
            : 'member';
      const deptId = m > 25 && m <= 25 + DEPTS ? m - 25 : (m % DEPTS) + 1;
      member.run(m, `Member ${m}`, `U${m}`, role, deptId, m % 3 === 0 ? 'en' : 'zh-CN', zoneOf(m), t0, t0);
    }
    const insp = db.prepare(
      'INSERT INTO "Inspection" (id, "draftId", "templateVersionId", "departmentId", "supervisorId", status, platform, "channelId", "startedAt", "submittedAt", "overallScore") VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let i = 1; i <= INSPECTIONS; i++)
      insp.run(
        i,
        `draft-${i}`,
        (i % DEPTS) + 1,
        SUPERVISORS[i % SUPERVISORS.length]!,
        'submitted',
        'slack',
        'C1',
        t0,
        t0,
        60 + (i % 40),
      );
    const f = db.prepare(
      'INSERT INTO "Finding" ("inspectionId", "dimensionKey", "itemKey", "departmentId", "responsibleMemberId", "ownerId", description, severity, status, "createdById", "createdAt", "updatedAt", deadline, "acceptanceRequestedAt", "nextReminderAt", version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let i = 1; i <= FINDINGS; i++) {
      const insId = (i % INSPECTIONS) + 1;
      const deptId = (insId % DEPTS) + 1;
      const supervisor = SUPERVISORS[insId % SUPERVISORS.length]!;
      const desc = `Finding ${i}: fire exit partly blocked by boxes`;
      // One finding in DUE_EVERY is due at this morning's look (not yet taken); the rest are looked at later.
      const k = i / DUE_EVERY - 1;
      const dueNow = i % DUE_EVERY === 0;
      const owner = dueNow ? (k % MEMBERS) + 1 : (i % MEMBERS) + 1;
      const row = dueNow
        ? { ...dueShape(k, owner, supervisor), nextLook: at('2026-11-25', '09:00', SH) }
        : {
            status: ACTIVE[i % 4]!,
            createdAt: at('2026-11-10', '10:00', SH),
            deadline: at('2026-12-18', '18:00', SH),
            submitted: null,
            nextLook: later,
          };
      // Half the due ones name the owner in the plan, half leave it to the responsible person.
      const ownerId = dueNow && k % 2 ? owner : null;
      f.run(
        insId,
        DIMENSIONS[i % 5],
        'item',
        deptId,
        owner,
        ownerId,
        desc,
        SEVERITIES[i % 4],
        row.status,
        supervisor,
        iso(row.createdAt),
        iso(row.createdAt),
        row.deadline && iso(row.deadline),
        row.submitted && iso(row.submitted),
        iso(row.nextLook),
        1,
      );
      if (dueNow) due++;
    }
    // History: earlier sweeps' claims and sent messages, so that the unique indexes the claim checks are not empty.
    const log = db.prepare(
      'INSERT INTO "ReminderLog" (key, "findingId", "recipientId", kind, "dueAt", "claimedAt", "outboxKey") VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (let i = 1; i <= PRIOR_REMINDERS; i++)
      log.run(
        `f:${i}:r0:2026-11-18:deadline-before:3`,
        i,
        (i % MEMBERS) + 1,
        'deadline_soon',
        t0,
        t0,
        `digest:old:${i % PRIOR_MESSAGES}`,
      );
    const msg = db.prepare(
      'INSERT INTO "OutboxMessage" ("dedupeKey", platform, "targetKind", "targetId", payload, status, attempts, "nextAttemptAt", "createdAt", "sentAt") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
    );
    for (let i = 0; i < PRIOR_MESSAGES; i++)
      msg.run(`digest:old:${i}`, 'slack', 'user', `U${(i % MEMBERS) + 1}`, '{"text":"old"}', 'sent', t0, t0, t0);
  })();
  db.close();
  return { due };
}

// ---- the child: one sweep, measured ----

interface ChildResult {
  rawSelectMs: number;
  rawRows: number;
  dryRunMs: number;
  dryRunReminders: number;
  sweepMs: number;
  findings: number;
  reminders: number;
  digests: number;
  claimedRows: number;
  queued: number;
  rssIdleMb: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  heapBeforeMb: number;
  heapPeakMb: number;
  emptySweepMs: number;
  emptyRawSelectMs: number;
  emptyFindings: number;
  drainMs: number;
  sent: number;
  sendCalls: number;
  recipients: number;
  deliveryProblems: number;
  slackDrainMs: number;
  slackSent: number;
  slackCalls: Record<string, number>;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function child(url: string, path: string): Promise<ChildResult> {
  const db = openDatabase(url);
  const repos = createRepos(db);
  await repos.org.listMembers(); // connect, and load the client's code paths
  // The process at rest, connected, before any sweep: what the sweeps add is measured against this.
  const idle = process.memoryUsage().rss;
  const rules = DEFAULT_REMINDER_RULES;
  const sweeper = new ReminderSweeper({
    repo: repos.reminders,
    org: repos.org,
    rules,
    calendar: new WorkCalendar(rules.calendar),
    preferredPlatform: 'slack',
  });
  const raw = new Database(path, { readonly: true });
  // The best hand-written read of the due rows: a range on the nextReminderAt index, nothing else.
  const rawDue = raw.prepare('SELECT * FROM "Finding" WHERE "nextReminderAt" <= ? ORDER BY "nextReminderAt", id');
  const readDue = () => {
    const s = performance.now();
    const rows = rawDue.all(iso(NOW)).length;
    return { ms: performance.now() - s, rows };
  };

  // A dry run plans one batch and writes nothing: it warms the code paths the way earlier sweeps would have.
  let s = performance.now();
  const dry = await sweeper.sweep(NOW, { dryRun: true });
  const dryRunMs = performance.now() - s;
  const rawBefore = readDue();

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  const sampler = setInterval(sample, 2);
  s = performance.now();
  const r = await sweeper.sweep(NOW);
  const sweepMs = performance.now() - s;
  clearInterval(sampler);
  sample();
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;

  const claimedRows = (await db.prisma.reminderLog.count()) - PRIOR_REMINDERS;
  const queued = await db.prisma.outboxMessage.count({ where: { status: 'pending' } });

  // Side by side: the same question once nothing is due.
  const rawAfter = readDue();
  s = performance.now();
  const empty = await sweeper.sweep(NOW);
  const emptySweepMs = performance.now() - s;

  // The drain, to a sender that answers at once (loaded only now, so that the sweep's memory is its own).
  const { OutboxDispatcher } = await import('../src/delivery/outbox-dispatcher.js');
  const { createSlackWebClient, SlackSender } = await import('../src/platforms/slack/sender.js');
  let sendCalls = 0;
  const recipients = new Set<string>();
  const fake: MessageSender = {
    platform: 'slack',
    async send(target: OutboxTarget) {
      sendCalls++;
      recipients.add(target.id);
      return { channelId: `D${target.id}`, messageId: String(sendCalls) };
    },
  };
  let problems = 0;
  const logger = { info: () => undefined, warn: () => void problems++, error: () => void problems++ };
  const clock = { now: () => NOW };
  s = performance.now();
  const sent = await new OutboxDispatcher({
    repo: repos.outbox,
    senders: [fake],
    refs: repos.messageRefs,
    clock,
    logger,
  }).drain();
  const drainMs = performance.now() - s;

  // The same digests again through dudao's real Slack sender, to a Web API stand-in on loopback.
  const calls: Record<string, number> = {};
  const api = createServer((req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '');
    calls[method] = (calls[method] ?? 0) + 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: method === 'conversations.open' ? { id: 'D1' } : 'D1', ts: '1.1' }));
    });
  });
  await new Promise<void>((ok) => api.listen(0, '127.0.0.1', ok));
  await db.prisma.outboxMessage.updateMany({
    where: { dedupeKey: { startsWith: `digest:` }, NOT: { dedupeKey: { startsWith: 'digest:old:' } } },
    data: { status: 'pending', attempts: 0, sentAt: null, leaseUntil: null },
  });
  const slack = new SlackSender(
    createSlackWebClient('xoxb-bench', `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/`),
  );
  s = performance.now();
  const slackSent = await new OutboxDispatcher({ repo: repos.outbox, senders: [slack], clock, logger }).drain();
  const slackDrainMs = performance.now() - s;
  await new Promise<void>((ok) => api.close(() => ok()));

  raw.close();
  await db.close();
  return {
    rawSelectMs: rawBefore.ms,
    rawRows: rawBefore.rows,
    dryRunMs,
    dryRunReminders: dry.reminders,
    sweepMs,
    findings: r.findings,
    reminders: r.reminders,
    digests: r.digests,
    claimedRows,
    queued,
    rssIdleMb: mb(idle),
    rssBeforeMb: mb(before.rss),
    // maxRSS is the peak of the process's whole life so far: the dry run and the sweep, nothing else.
    rssPeakMb: mb(Math.max(rssPeak, maxRssAfter)),
    heapBeforeMb: mb(before.heapUsed),
    heapPeakMb: mb(heapPeak),
    emptySweepMs,
    emptyRawSelectMs: rawAfter.ms,
    emptyFindings: empty.findings,
    drainMs,
    sent,
    sendCalls,
    recipients: recipients.size,
    deliveryProblems: problems,
    slackDrainMs,
    slackSent,
    slackCalls: calls,
  };
}

// ---- the parent: seed, run the child, clean up ----

const SELF = fileURLToPath(import.meta.url);

const runChild = (url: string, path: string) => runBenchChild<ChildResult>(SELF, [url, path], 'sweep');

export async function benchSweep() {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-sweep-'));
  try {
    const path = join(dir, 'bench.db');
    const url = `file:${path}`;
    await (await openMigratedDatabase(url)).close();
    const t0 = performance.now();
    const { due } = seed(path);
    const seedMs = performance.now() - t0;
    return { seedMs, due, ...(await runChild(url, path)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSweep(r: Awaited<ReturnType<typeof benchSweep>>) {
  const sweepGoal = r.sweepMs < 2000;
  const grownMb = r.rssPeakMb - r.rssIdleMb;
  const memGoal = grownMb < 200;
  console.log(
    `\n## reminder sweep at scale (SQLite, ${FINDINGS} open findings, ${r.due} due across ${MEMBERS} people; ${NOW_ISO} Shanghai = 09:00 London, 04:00 New York)`,
  );
  console.log(`seeded in ${fmt(r.seedMs / 1000, 1)} s; raw SQL sees ${r.rawRows} due rows`);
  console.log(
    `one sweep         ${fmt(r.sweepMs, 0)} ms (goal < 2000 ms: ${sweepGoal ? 'met' : 'MISSED'}): looked at ${r.findings} findings, claimed ${r.reminders} reminders (${r.claimedRows} ReminderLog rows) in ${r.digests} digests (${r.queued} queued)`,
  );
  console.log(
    `  side by side    raw SQL read of the due rows ${fmt(r.rawSelectMs, 1)} ms (sweep/raw ${fmt(r.sweepMs / r.rawSelectMs, 0)}x); dry run of all batches, cold, ${fmt(r.dryRunMs, 0)} ms (${r.dryRunReminders} reminders planned)`,
  );
  console.log(
    `  nothing due     second sweep ${fmt(r.emptySweepMs, 1)} ms (${r.emptyFindings} findings), raw SQL read ${fmt(r.emptyRawSelectMs, 2)} ms; full sweep / empty sweep ${fmt(r.sweepMs / r.emptySweepMs, 0)}x`,
  );
  console.log(
    `memory            RSS ${fmt(r.rssIdleMb, 0)} MB idle (connected, before any sweep), ${fmt(r.rssBeforeMb, 0)} MB before this sweep, peak ${fmt(r.rssPeakMb, 0)} MB: sweeps add ${fmt(grownMb, 0)} MB (goal < 200 MB: ${memGoal ? 'met' : 'MISSED'}); heap ${fmt(r.heapBeforeMb, 0)} MB before, peak +${fmt(r.heapPeakMb - r.heapBeforeMb, 0)} MB`,
  );
  console.log(
    `drain (instant fake sender)  ${fmt(r.drainMs, 0)} ms  sent ${r.sent}, platform calls ${r.sendCalls} to ${r.recipients} people (one per person: ${r.sendCalls === r.recipients && r.recipients <= MEMBERS ? 'yes' : 'NO'}), delivery problems ${r.deliveryProblems}`,
  );
  const slackTotal = Object.values(r.slackCalls).reduce((a, b) => a + b, 0);
  console.log(
    `drain (SlackSender, loopback stub)  ${fmt(r.slackDrainMs, 0)} ms  sent ${r.slackSent}, Web API calls ${slackTotal}: ${Object.entries(
      r.slackCalls,
    )
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
}

if (process.argv[2] === '--child' && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [url, path] = process.argv.slice(3) as [string, string];
  const result = await child(url, path);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
