// `status` for one department in a database of 10,000 inspections and 100,000 findings: through dudao's
// repository, and as the whole `status <dept>` command through the core (a supervisor asking), against the
// same answers written as raw SQL on the same file, interleaved in one run. Goal: p95 < 50 ms (SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../src/core/create-core.js';
import type { ActorRef } from '../src/core/ports.js';
import { openMigratedDatabase } from '../src/store/database.js';
import { createRepos } from '../src/store/index.js';
import { fmt, summarize } from './stats.js';

const DEPTS = 50;
const INSPECTIONS = 10_000;
const FINDINGS = 100_000;
const DIMENSIONS = ['process', 'service', 'efficiency', 'risk', 'teamwork'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

const SUPERVISOR: ActorRef = { platform: 'slack', userId: 'U1' };
/** How Prisma's SQLite adapter stores a DateTime; raw rows must match it for date comparisons to hold. */
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function seed(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const created = iso(t0);
  db.transaction(() => {
    const dept = db.prepare('INSERT INTO "Department" (id, name, "createdAt", "updatedAt") VALUES (?, ?, ?, ?)');
    for (let d = 1; d <= DEPTS; d++) dept.run(d, `Dept ${d}`, created, created);
    const member = db.prepare(
      'INSERT INTO "Member" (id, "displayName", "slackUserId", role, "departmentId", locale, "timeZone", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let m = 1; m <= 2000; m++)
      member.run(
        m,
        `Member ${m}`,
        `U${m}`,
        m === 1 ? 'supervisor' : 'member',
        (m % DEPTS) + 1,
        'en',
        'Asia/Shanghai',
        created,
        created,
      );
    const insp = db.prepare(
      'INSERT INTO "Inspection" (id, "draftId", "templateVersionId", "departmentId", "supervisorId", status, platform, "channelId", "startedAt", "submittedAt", "overallScore") VALUES (?, ?, 1, ?, 1, ?, ?, ?, ?, ?, ?)',
    );
    const dim = db.prepare(
      'INSERT INTO "InspectionDimensionScore" ("inspectionId", "departmentId", "dimensionKey", score) VALUES (?, ?, ?, ?)',
    );
    for (let i = 1; i <= INSPECTIONS; i++) {
      const d = (i % DEPTS) + 1;
      const at = iso(t0 + i * 3_600_000);
      insp.run(i, `draft-${i}`, d, 'submitted', 'slack', 'C1', at, at, 60 + (i % 40));
      for (const k of DIMENSIONS) dim.run(i, d, k, 50 + ((i * k.length) % 50));
    }
    // The rectification columns (ownerId, deadline, nextReminderAt, version, counts) keep their defaults.
    const f = db.prepare(
      'INSERT INTO "Finding" ("inspectionId", "dimensionKey", "itemKey", "departmentId", "responsibleMemberId", description, severity, status, "createdById", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
    );
    for (let i = 1; i <= FINDINGS; i++) {
      const insId = (i % INSPECTIONS) + 1;
      const d = (insId % DEPTS) + 1;
      const at = iso(t0 + i * 600_000);
      f.run(
        insId,
        DIMENSIONS[i % 5],
        'item',
        d,
        (i % 2000) + 1,
        `Finding ${i}`,
        SEVERITIES[i % 4],
        i % 3 === 0 ? 'open' : 'closed',
        at,
        at,
      );
    }
  })();
  db.close();
}

/** The same four answers as PrismaStatusRepo.departmentStatus, in hand-written SQL. */
function rawStatus(db: Database.Database, deptId: number) {
  return {
    agg: db
      .prepare(
        'SELECT COUNT(*) c, AVG("overallScore") a, MAX("submittedAt") m FROM "Inspection" WHERE "departmentId" = ?',
      )
      .get(deptId),
    dims: db
      .prepare(
        'SELECT "dimensionKey", AVG(score) a FROM "InspectionDimensionScore" WHERE "departmentId" = ? GROUP BY "dimensionKey" ORDER BY "dimensionKey"',
      )
      .all(deptId),
    open: db
      .prepare(
        'SELECT severity, COUNT(*) c FROM "Finding" WHERE "departmentId" = ? AND status = \'open\' GROUP BY severity ORDER BY severity',
      )
      .all(deptId),
    oldest: db
      .prepare(
        'SELECT id, description FROM "Finding" WHERE "departmentId" = ? AND status = \'open\' ORDER BY "createdAt", id LIMIT 1',
      )
      .get(deptId),
  };
}

export async function benchStatus(rounds = 300) {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-status-'));
  try {
    const url = `file:${join(dir, 'bench.db')}`;
    const migrated = await openMigratedDatabase(url);
    await migrated.close();
    const t0 = performance.now();
    seed(join(dir, 'bench.db'));
    const seedMs = performance.now() - t0;

    const db = await openMigratedDatabase(url);
    const repos = createRepos(db);
    const built = createCore(repos, {
      profiles: {},
      defaults: { locale: 'en', timeZone: 'Asia/Shanghai', admins: [] },
    });
    const now = new Date();
    await built.templates.ensureDefault(now);
    const command = (dept: number) =>
      built.core.command({ actor: SUPERVISOR, text: `status Dept ${dept}`, channelId: 'C1', now });
    const raw = new Database(join(dir, 'bench.db'), { readonly: true });
    try {
      const check = await repos.status.departmentStatus(7);
      const rawCheck = rawStatus(raw, 7) as { open: Array<{ c: number }> };
      const openCount = rawCheck.open.reduce((n, o) => n + o.c, 0);
      const sameAnswer = check.openBySeverity.reduce((n, o) => n + o.count, 0) === openCount;
      const reply = await command(7);
      const replied = reply.kind === 'message' ? reply.message.text : `(${reply.kind})`;
      const shown = reply.kind === 'message' ? JSON.stringify(reply.message.blocks) : '';
      const commandAnswers =
        replied.includes('Dept 7') &&
        check.openBySeverity.length > 0 &&
        check.openBySeverity.every((o) => shown.includes(`: ${o.count}`));

      for (let i = 0; i < 20; i++) {
        await repos.status.departmentStatus((i % DEPTS) + 1);
        await command((i % DEPTS) + 1);
      }
      const dudao: number[] = [];
      const cmd: number[] = [];
      const sql: number[] = [];
      // Interleaved so that machine noise hits all three alike.
      for (let i = 0; i < rounds; i++) {
        const dept = (i % DEPTS) + 1;
        let s = performance.now();
        await repos.status.departmentStatus(dept);
        dudao.push(performance.now() - s);
        s = performance.now();
        await command(dept);
        cmd.push(performance.now() - s);
        s = performance.now();
        rawStatus(raw, dept);
        sql.push(performance.now() - s);
      }
      const a = summarize(dudao);
      const c = summarize(cmd);
      const b = summarize(sql);
      return {
        seedMs,
        sameAnswer,
        commandAnswers,
        dudao: a,
        command: c,
        rawSql: b,
        ratioP95: a.p95 / b.p95,
        commandRatioP95: c.p95 / b.p95,
      };
    } finally {
      raw.close();
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printStatus(r: Awaited<ReturnType<typeof benchStatus>>) {
  console.log(`\n## status at scale (SQLite, ${INSPECTIONS} inspections, ${FINDINGS} findings, one department)`);
  console.log(
    `seeded in ${fmt(r.seedMs / 1000, 1)} s; repository gives the same answer as raw SQL: ${r.sameAnswer}; the command's reply shows it: ${r.commandAnswers}`,
  );
  console.log(
    `repository            p50 ${fmt(r.dudao.p50)} ms  p95 ${fmt(r.dudao.p95)} ms  p99 ${fmt(r.dudao.p99)} ms  (goal p95 < 50 ms: ${r.dudao.p95 < 50 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `\`status <dept>\` (core) p50 ${fmt(r.command.p50)} ms  p95 ${fmt(r.command.p95)} ms  p99 ${fmt(r.command.p99)} ms  (goal p95 < 50 ms: ${r.command.p95 < 50 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `raw SQL               p50 ${fmt(r.rawSql.p50)} ms  p95 ${fmt(r.rawSql.p95)} ms  p99 ${fmt(r.rawSql.p99)} ms`,
  );
  console.log(`ratio to raw SQL at p95: repository ${fmt(r.ratioP95, 1)}x, command ${fmt(r.commandRatioP95, 1)}x`);
}
