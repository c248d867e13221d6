// Evaluations at scale (issue 4): 5,000 members in 50 departments on SQLite.
// (a) Opening a monthly cycle for all of them, through the chat flow's service (EvaluationCycleService via
//     createCore) when it is there, else the same writes in bulk (participants and one DM outbox row each);
//     time, memory and the outbox rows queued (the platform calls it causes). Then the outbox drained by the
//     real OutboxDispatcher into a counting Feishu stand-in that allows 50 sends per (simulated) second and
//     answers 429 with a retry time beyond that, as Feishu does: calls made, 429s, and the most sends the
//     stand-in accepted in any one-second window. The same DMs again through a Slack stand-in whose limit
//     is workspace-wide while the sender pauses per channel: the dispatcher must notice and pause Slack.
// (b) The cycle summary over the 5,000 participants with stored results (and two earlier cycles for the
//     position review): the store read plus computeCycleSummary, the XLSX and CSV exports, and beside them
//     the raw SQL aggregates that answer the same counts.
// The measured part runs in a child process (with --expose-gc) so that the memory figures are its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_EVALUATION_CONFIG } from '../src/core/evaluations/criteria.js';
import { scoreEvaluation } from '../src/core/evaluations/scoring.js';
import { DeliveryError, type MessageSender, type OutboxTarget, type Platform } from '../src/core/ports.js';
import { openDatabase, openMigratedDatabase } from '../src/store/database.js';
import { runBenchChild } from './child.js';
import { fmt } from './stats.js';

const DEPTS = 50;
const MEMBERS = 5_000;
/** Feishu's send-message limit per app. */
const RATE_PER_SECOND = 50;
/**
 * Slack's chat.postMessage: 1 per second per channel, and a workspace-wide limit Slack calls "several
 * hundred messages per minute"; 10/s stands for it here.
 */
const SLACK_WORKSPACE_PER_SECOND = 10;
/** Simulated time each send takes: 200 attempts a second, four times what the stand-in allows. */
const SEND_LATENCY_MS = 5;
const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 in Shanghai
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
const HR_ID = 1;
const managerOf = (dept: number) => 1 + dept; // members 2..51

function seedOrg(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const t0 = iso(new Date('2026-01-05T01:00:00Z'));
  db.transaction(() => {
    const dept = db.prepare(
      'INSERT INTO "Department" (id, name, "managerId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
    );
    for (let d = 1; d <= DEPTS; d++) dept.run(d, `部门 ${d}`, managerOf(d), t0, t0);
    const member = db.prepare(
      'INSERT INTO "Member" (id, "displayName", "feishuOpenId", role, "departmentId", locale, "timeZone", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    member.run(HR_ID, '人事 张', 'ou_hr', 'hr', null, 'zh-CN', 'Asia/Shanghai', t0, t0);
    for (let m = 2; m <= MEMBERS + 1; m++) {
      const isManager = m <= DEPTS + 1;
      member.run(
        m,
        `员工 ${m}`,
        `ou_${m}`,
        isManager ? 'manager' : 'member',
        isManager ? m - 1 : (m % DEPTS) + 1,
        m % 4 === 0 ? 'en' : 'zh-CN',
        'Asia/Shanghai',
        t0,
        t0,
      );
    }
  })();
  db.close();
}

// ---- the child ----

const mb = (bytes: number) => bytes / 1024 / 1024;

function memoryProbe() {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 2);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        rssBeforeMb: mb(before.rss),
        rssPeakMb: mb(rss),
        heapBeforeMb: mb(before.heapUsed),
        heapPeakMb: mb(heap),
      };
    },
  };
}

/**
 * A platform stand-in: counts calls, accepts at most `perSecond` sends in any simulated second, and answers
 * 429 beyond that with how long to wait (Feishu: to the millisecond; Slack: Retry-After in whole seconds).
 */
class RateLimitedSender implements MessageSender {
  calls = 0;
  rejected = 0;
  readonly accepted: number[] = [];
  private readonly window: number[] = [];
  readonly recipients = new Set<string>();
  constructor(
    private readonly clock: { t: number },
    readonly platform: Platform = 'feishu',
    readonly perSecond = RATE_PER_SECOND,
    readonly rateLimitScope?: 'target',
  ) {}
  private take(): void {
    this.calls++;
    this.clock.t += SEND_LATENCY_MS;
    const now = this.clock.t;
    while (this.window.length && this.window[0]! <= now - 1000) this.window.shift();
    if (this.window.length >= this.perSecond) {
      this.rejected++;
      const waitMs = this.window[0]! + 1000 - now;
      throw new DeliveryError(
        `${this.platform} 429`,
        true,
        this.platform === 'slack' ? Math.ceil(waitMs / 1000) * 1000 : waitMs,
      );
    }
    this.window.push(now);
    this.accepted.push(now);
  }
  async send(target: OutboxTarget) {
    this.take();
    this.recipients.add(target.id);
    return { channelId: `oc_${target.id}`, messageId: `om_${this.calls}` };
  }
  async update() {
    this.take();
  }
  /** The most sends accepted within any 1,000 ms. */
  maxPerSecond(): number {
    let best = 0;
    for (let i = 0, j = 0; j < this.accepted.length; j++) {
      while (this.accepted[j]! - this.accepted[i]! >= 1000) i++;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }
}

interface ChildResult {
  openPath: string;
  openReply: string;
  openMs: number;
  participants: number;
  outboxRows: number;
  openMem: ReturnType<ReturnType<typeof memoryProbe>['stop']>;
  drainWallMs: number;
  drainSimulatedMs: number;
  delivered: number;
  sendCalls: number;
  rejected429: number;
  maxPerSecond: number;
  recipients: number;
  failed: number;
  summaryReadMs: number;
  summaryComputeMs: number;
  summaryMem: ReturnType<ReturnType<typeof memoryProbe>['stop']>;
  flagged: number;
  scored: number;
  mean: number | null;
  median: number | null;
  xlsxMs: number;
  xlsxBytes: number;
  csvMs: number;
  csvBytes: number;
  rawMs: number;
  rawAgree: boolean;
  rawFlagged: number;
  slack: {
    delivered: number;
    simulatedMs: number;
    wallMs: number;
    calls: number;
    rejected429: number;
    maxPerSecond: number;
    recipients: number;
  };
}

async function child(url: string, path: string): Promise<ChildResult> {
  const { createRepos } = await import('../src/store/index.js');
  const { createCore } = await import('../src/core/create-core.js');
  const db = openDatabase(url);
  const repos = createRepos(db);
  await repos.org.listMembers(); // connect and warm the client

  // (a) open the cycle
  let openPath = 'EvaluationCycleService.command(open) via createCore (the chat flow)';
  let openReply = '';
  let probe = memoryProbe();
  let s = performance.now();
  const built = createCore(repos, {
    profiles: {},
    defaults: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', admins: [] },
  });
  const service = built.evaluations;
  let openMs: number;
  if (service) {
    await service.ensureDefaultConfig(NOW);
    const hr = (await repos.org.memberById(HR_ID))!;
    s = performance.now();
    const reply = await service.command(hr, { sub: 'open', kind: 'monthly', deptNames: [] }, 'feishu', NOW);
    openMs = performance.now() - s;
    openReply = reply.kind === 'message' ? reply.message.text : reply.kind;
  } else {
    // The same writes without the chat flow: the cycle, one participant per member, one DM each.
    openPath = 'bulk insert (createMany) of participants and DM outbox rows: the chat flow was not there';
    const cfg = await db.prisma.evaluationConfigVersion.create({
      data: { key: 'staff-standard', version: 1, content: JSON.stringify(DEFAULT_EVALUATION_CONFIG), createdAt: NOW },
    });
    s = performance.now();
    await db.prisma.$transaction(
      async (tx) => {
        const c = await tx.evaluationCycle.create({
          data: {
            kind: 'monthly',
            name: '2026-11',
            periodStart: new Date('2026-10-31T16:00:00Z'),
            periodEnd: new Date('2026-11-30T16:00:00Z'),
            deadline: new Date('2026-12-07T10:00:00Z'),
            configVersionId: cfg.id,
            openedById: HR_ID,
            openedAt: NOW,
          },
        });
        const members = await tx.member.findMany({
          where: { departmentId: { not: null } },
          select: { id: true, departmentId: true, feishuOpenId: true },
        });
        await tx.evaluationParticipant.createMany({
          data: members.map((m) => ({
            cycleId: c.id,
            memberId: m.id,
            departmentId: m.departmentId,
            supervisorId: managerOf(m.departmentId!),
            stage: 'self',
            version: 0,
            nextReminderAt: NOW,
            customerFacing: false,
          })),
        });
        const message = JSON.stringify({
          text: 'Please fill in your self-evaluation',
          blocks: [{ kind: 'text', text: 'Please fill in your self-evaluation' }],
        });
        await tx.outboxMessage.createMany({
          data: members.map((m) => ({
            dedupeKey: `eval:${c.id}:${m.id}:open`,
            platform: 'feishu',
            targetKind: 'user',
            targetId: m.feishuOpenId!,
            payload: message,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: NOW,
            createdAt: NOW,
            updateOnly: false,
          })),
        });
      },
      { timeout: 120_000 },
    );
    openMs = performance.now() - s;
  }
  const openMem = probe.stop();
  const cycle = await db.prisma.evaluationCycle.findFirstOrThrow({ orderBy: { id: 'desc' } });
  const participants = await db.prisma.evaluationParticipant.count({ where: { cycleId: cycle.id } });
  const outboxRows = await db.prisma.outboxMessage.count({ where: { status: 'pending' } });

  // (a) drain through the rate-limited stand-in, on a simulated clock
  const { OutboxDispatcher } = await import('../src/delivery/outbox-dispatcher.js');
  const sim = { t: NOW.getTime() };
  const sender = new RateLimitedSender(sim);
  let failed = 0;
  const logger = { info: () => undefined, warn: () => undefined, error: () => void failed++ };
  /** Drains the outbox through `stand-in`, moving the simulated clock as the dispatcher's timer would. */
  const drainThrough = async (standIn: RateLimitedSender) => {
    const dispatcher = new OutboxDispatcher({
      repo: repos.outbox,
      senders: [standIn],
      refs: repos.messageRefs,
      clock: { now: () => new Date(sim.t) },
      logger,
      batchSize: 100,
    });
    let delivered = 0;
    const wall = performance.now();
    const start = sim.t;
    for (let round = 0; round < 10_000; round++) {
      const n = await dispatcher.drain();
      delivered += n;
      const next = await db.prisma.outboxMessage.findFirst({
        where: { status: 'pending' },
        orderBy: { nextAttemptAt: 'asc' },
        select: { nextAttemptAt: true },
      });
      if (!next) break;
      // Nothing is due until the earliest retry, or the platform paused itself after a 429: the dispatcher's
      // timer would wake a little later (it ticks every 2 s; 100 ms here keeps the figure tight).
      sim.t = Math.max(sim.t + (n === 0 ? 100 : 0), next.nextAttemptAt.getTime());
    }
    return { delivered, wallMs: performance.now() - wall, simulatedMs: sim.t - start };
  };
  s = performance.now();
  const feishuDrain = await drainThrough(sender);
  const delivered = feishuDrain.delivered;
  const drainWallMs = feishuDrain.wallMs;
  const drainSimulatedMs = feishuDrain.simulatedMs;
  // The same 5,000 DMs again as Slack messages (a DM channel each): only the workspace-wide limit applies.
  await db.prisma.outboxMessage.updateMany({
    where: { status: 'sent' },
    data: {
      platform: 'slack',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(sim.t),
      leaseUntil: null,
      sentAt: null,
    },
  });
  await db.prisma.messageRef.deleteMany();
  const slackSender = new RateLimitedSender(sim, 'slack', SLACK_WORKSPACE_PER_SECOND, 'target');
  const slackDrain = await drainThrough(slackSender);

  // (b) stored results for the cycle and two earlier ones, written straight to the file
  const raw = new Database(path);
  const previous = [
    { name: 'prev-2', start: '2026-08-31T16:00:00Z', end: '2026-09-30T16:00:00Z' },
    { name: 'prev-1', start: '2026-09-30T16:00:00Z', end: '2026-10-31T16:00:00Z' },
  ];
  const results = new Map<string, { json: string; overall: number; grade: string }>();
  const resultFor = (self: number, sup: number) => {
    const k = `${self}:${sup}`;
    let r = results.get(k);
    if (!r) {
      const answers = (rater: 'self' | 'supervisor', n: number) =>
        Object.fromEntries(
          DEFAULT_EVALUATION_CONFIG.dimensions.flatMap((d) =>
            d.criteria.filter((c) => c.raters.includes(rater)).map((c) => [c.key, n]),
          ),
        );
      const res = scoreEvaluation(
        DEFAULT_EVALUATION_CONFIG,
        'monthly',
        { self: [{ scores: answers('self', self) }], supervisor: [{ scores: answers('supervisor', sup) }] },
        { periodStart: cycle.periodStart, periodEnd: cycle.periodEnd, inspections: 1, findings: [] },
      );
      results.set(k, (r = { json: JSON.stringify(res), overall: res.overall, grade: res.grade.label }));
    }
    return r;
  };
  raw.transaction(() => {
    const rows = raw
      .prepare('SELECT id, "memberId" FROM "EvaluationParticipant" WHERE "cycleId" = ?')
      .all(cycle.id) as Array<{ id: number; memberId: number }>;
    const upd = raw.prepare(
      'UPDATE "EvaluationParticipant" SET stage = ?, "overallScore" = ?, grade = ?, result = ? WHERE id = ?',
    );
    for (const r of rows) {
      if (r.memberId % 10 === 0) {
        upd.run(['self', 'supervisor', 'review'][r.memberId % 3], null, null, null, r.id);
        continue;
      }
      const res = resultFor((r.memberId % 5) + 1, (Math.floor(r.memberId / 5) % 5) + 1);
      upd.run(r.memberId % 7 === 0 ? 'acknowledge' : 'done', res.overall, res.grade, res.json, r.id);
    }
    const addCycle = raw.prepare(
      'INSERT INTO "EvaluationCycle" (kind, name, "periodStart", "periodEnd", deadline, "configVersionId", status, "openedById", "openedAt", "departmentIds") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const addPart = raw.prepare(
      'INSERT INTO "EvaluationParticipant" ("cycleId", "memberId", "departmentId", stage, "overallScore", grade, version, "customerFacing") VALUES (?, ?, ?, ?, ?, ?, 0, 0)',
    );
    previous.forEach((p, i) => {
      const id = Number(
        addCycle.run(
          'monthly',
          p.name,
          iso(new Date(p.start)),
          iso(new Date(p.end)),
          iso(new Date(p.end)),
          cycle.configVersionId,
          'closed',
          HR_ID,
          iso(new Date(p.start)),
          '[]',
        ).lastInsertRowid,
      );
      for (const r of rows) {
        const score = (r.memberId * (7 + i * 6)) % 100;
        addPart.run(id, r.memberId, (r.memberId % DEPTS) + 1, 'done', score, score >= 60 ? 'C' : 'D');
      }
    });
  })();

  const { PrismaEvaluationSummaryRepo } = await import('../src/store/evaluation-summary-repo.js');
  const { computeCycleSummary } = await import('../src/core/evaluations/summary.js');
  const { summaryCsv, summaryXlsx } = await import('../src/core/evaluations/export.js');
  const summaryRepo = new PrismaEvaluationSummaryRepo(db.prisma);
  await summaryRepo.summaryInput(cycle.id); // warm: the first read loads the client's code paths
  probe = memoryProbe();
  s = performance.now();
  const input = await summaryRepo.summaryInput(cycle.id);
  const summaryReadMs = performance.now() - s;
  s = performance.now();
  const summary = computeCycleSummary(input);
  const summaryComputeMs = performance.now() - s;
  const summaryMem = probe.stop();
  s = performance.now();
  const xlsx = await summaryXlsx(summary, input.config, 'zh-CN', NOW);
  const xlsxMs = performance.now() - s;
  s = performance.now();
  const csv = summaryCsv(summary, input.config, 'zh-CN');
  const csvMs = performance.now() - s;

  // The raw SQL baseline: the same counts as aggregates, and the flagged members as a self-join.
  const ro = new Database(path, { readonly: true });
  s = performance.now();
  const byDeptStage = ro
    .prepare(
      'SELECT "departmentId", stage, COUNT(*) AS n FROM "EvaluationParticipant" WHERE "cycleId" = ? GROUP BY 1, 2',
    )
    .all(cycle.id) as Array<{ n: number }>;
  ro.prepare(
    'SELECT grade, COUNT(*) AS n FROM "EvaluationParticipant" WHERE "cycleId" = ? AND "overallScore" IS NOT NULL GROUP BY grade',
  ).all(cycle.id);
  ro.prepare(
    'SELECT MIN(CAST("overallScore" / 10 AS INTEGER), 9) AS b, COUNT(*) AS n FROM "EvaluationParticipant" WHERE "cycleId" = ? AND "overallScore" IS NOT NULL GROUP BY b',
  ).all(cycle.id);
  const agg = ro
    .prepare(
      'SELECT AVG("overallScore") AS mean, COUNT("overallScore") AS scored FROM "EvaluationParticipant" WHERE "cycleId" = ?',
    )
    .get(cycle.id) as { mean: number; scored: number };
  const sorted = ro
    .prepare(
      'SELECT "overallScore" AS s FROM "EvaluationParticipant" WHERE "cycleId" = ? AND "overallScore" IS NOT NULL ORDER BY 1',
    )
    .all(cycle.id) as Array<{ s: number }>;
  const prev1 = (ro.prepare('SELECT id FROM "EvaluationCycle" WHERE name = ?').get('prev-1') as { id: number }).id;
  const rawFlagged = (
    ro
      .prepare(
        'SELECT COUNT(*) AS n FROM "EvaluationParticipant" a JOIN "EvaluationParticipant" b ON b."memberId" = a."memberId" AND b."cycleId" = ? WHERE a."cycleId" = ? AND a."overallScore" < 60 AND b."overallScore" < 60',
      )
      .get(prev1, cycle.id) as { n: number }
  ).n;
  const rawMs = performance.now() - s;
  const mid = sorted.length / 2;
  const rawMedian = sorted.length % 2 ? sorted[Math.floor(mid)]!.s : (sorted[mid - 1]!.s + sorted[mid]!.s) / 2;
  const rawAgree =
    byDeptStage.reduce((n, r) => n + r.n, 0) === summary.participants &&
    agg.scored === summary.scored &&
    Math.abs(Math.round(agg.mean * 10) / 10 - (summary.mean ?? NaN)) < 0.051 &&
    Math.abs(Math.round(rawMedian * 10) / 10 - (summary.median ?? NaN)) < 0.051 &&
    rawFlagged === summary.flagged.length;
  ro.close();
  raw.close();
  await db.close();

  return {
    openPath,
    openReply,
    openMs,
    participants,
    outboxRows,
    openMem,
    drainWallMs,
    drainSimulatedMs,
    delivered,
    sendCalls: sender.calls,
    rejected429: sender.rejected,
    maxPerSecond: sender.maxPerSecond(),
    recipients: sender.recipients.size,
    failed,
    summaryReadMs,
    summaryComputeMs,
    summaryMem,
    flagged: summary.flagged.length,
    scored: summary.scored,
    mean: summary.mean,
    median: summary.median,
    xlsxMs,
    xlsxBytes: xlsx.length,
    csvMs,
    csvBytes: csv.length,
    rawMs,
    rawAgree,
    rawFlagged,
    slack: {
      delivered: slackDrain.delivered,
      simulatedMs: slackDrain.simulatedMs,
      wallMs: slackDrain.wallMs,
      calls: slackSender.calls,
      rejected429: slackSender.rejected,
      maxPerSecond: slackSender.maxPerSecond(),
      recipients: slackSender.recipients.size,
    },
  };
}

// ---- the parent ----

const SELF = fileURLToPath(import.meta.url);

const runChild = (url: string, path: string) => runBenchChild<ChildResult>(SELF, [url, path], 'evaluations');

export async function benchEvaluations() {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-eval-'));
  try {
    const path = join(dir, 'bench.db');
    const url = `file:${path}`;
    await (await openMigratedDatabase(url)).close();
    const t0 = performance.now();
    seedOrg(path);
    const seedMs = performance.now() - t0;
    return { seedMs, ...(await runChild(url, path)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printEvaluations(r: Awaited<ReturnType<typeof benchEvaluations>>) {
  const mem = (m: ChildResult['openMem']) =>
    `RSS ${fmt(m.rssBeforeMb, 0)} → peak ${fmt(m.rssPeakMb, 0)} MB (+${fmt(m.rssPeakMb - m.rssBeforeMb, 0)}), heap ${fmt(m.heapBeforeMb, 0)} → peak ${fmt(m.heapPeakMb, 0)} MB`;
  console.log(
    `\n## evaluations at scale (SQLite, ${MEMBERS} members in ${DEPTS} departments; seeded in ${fmt(r.seedMs, 0)} ms)`,
  );
  console.log(`(a) open a monthly cycle for everyone: ${r.openPath}`);
  if (r.openReply) console.log(`    reply: ${r.openReply.split('\n')[0]}`);
  console.log(`    ${fmt(r.openMs, 0)} ms; ${mem(r.openMem)}`);
  console.log(
    `    ${r.participants} participants, ${r.outboxRows} outbox rows queued = ${r.outboxRows} platform sends to make`,
  );
  console.log(
    `    drain (OutboxDispatcher → Feishu stand-in allowing ${RATE_PER_SECOND}/s, ${SEND_LATENCY_MS} ms simulated per call):`,
  );
  console.log(
    `    ${r.delivered} delivered to ${r.recipients} recipients in ${fmt(r.drainSimulatedMs / 1000, 1)} s simulated (ideal at ${RATE_PER_SECOND}/s: ${fmt(r.outboxRows / RATE_PER_SECOND, 1)} s), ${fmt(r.drainWallMs / 1000, 1)} s wall`,
  );
  console.log(
    `    ${r.sendCalls} calls made, ${r.rejected429} answered 429; most accepted in any 1 s: ${r.maxPerSecond} (limit ${RATE_PER_SECOND}: ${r.maxPerSecond <= RATE_PER_SECOND ? 'respected' : 'EXCEEDED'}); failed for good: ${r.failed}`,
  );
  const sl = r.slack;
  console.log(
    `    the same DMs through a Slack stand-in (per-channel scope, workspace-wide ${SLACK_WORKSPACE_PER_SECOND}/s, Retry-After in whole seconds):`,
  );
  console.log(
    `    ${sl.delivered} delivered to ${sl.recipients} recipients in ${fmt(sl.simulatedMs / 1000, 1)} s simulated (ideal: ${fmt(r.outboxRows / SLACK_WORKSPACE_PER_SECOND, 1)} s), ${fmt(sl.wallMs / 1000, 1)} s wall; ${sl.calls} calls, ${sl.rejected429} answered 429; most accepted in any 1 s: ${sl.maxPerSecond} (limit ${SLACK_WORKSPACE_PER_SECOND}: ${sl.maxPerSecond <= SLACK_WORKSPACE_PER_SECOND ? 'respected' : 'EXCEEDED'})`,
  );
  console.log(
    `(b) summary of ${r.participants} participants (${r.scored} scored; two earlier cycles for the position review)`,
  );
  console.log(
    `    store read ${fmt(r.summaryReadMs, 0)} ms + computeCycleSummary ${fmt(r.summaryComputeMs, 1)} ms; ${mem(r.summaryMem)}`,
  );
  console.log(`    mean ${r.mean}, median ${r.median}, ${r.flagged} flagged for a position review`);
  console.log(
    `    raw SQL aggregates (counts by department and stage, grades, buckets, mean, sorted scores for the median, flagged by self-join): ${fmt(r.rawMs, 1)} ms; same figures: ${r.rawAgree ? 'yes' : 'NO'} (raw flagged ${r.rawFlagged})`,
  );
  console.log(
    `    export: XLSX ${fmt(r.xlsxMs, 0)} ms (${fmt(r.xlsxBytes / 1024, 0)} KiB), CSV ${fmt(r.csvMs, 1)} ms (${fmt(r.csvBytes / 1024, 0)} KiB)`,
  );
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3]!, process.argv[4]!);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  process.exit(0);
}
