// `status` for one department in a database of 10,000 inspections and 100,000 findings, through dudao's
// repository, against the same answers written as raw SQL on the same file. Goal: p95 < 50 ms (SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openMigratedDatabase } from '../src/store/database.js';
import { PrismaStatusRepo } from '../src/store/status-repo.js';
import { fmt, summarize } from './stats.js';

const DEPTS = 50;
const INSPECTIONS = 10_000;
const FINDINGS = 100_000;
const DIMENSIONS = ['process', 'service', 'efficiency', 'risk', 'teamwork'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

function seed(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  db.transaction(() => {
    const dept = db.prepare('INSERT INTO "Department" (id, name, "createdAt", "updatedAt") VALUES (?, ?, ?, ?)');
    for (let d = 1; d <= DEPTS; d++) dept.run(d, `Dept ${d}`, t0, t0);
    const member = db.prepare('INSERT INTO "Member" (id, "displayName", "slackUserId", role, "departmentId", locale, "timeZone", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (let m = 1; m <= 2000; m++) member.run(m, `Member ${m}`, `U${m}`, 'member', (m % DEPTS) + 1, 'en', 'Asia/Shanghai', t0, t0);
    const insp = db.prepare('INSERT INTO "Inspection" (id, "draftId", "templateVersionId", "departmentId", "supervisorId", status, platform, "channelId", "startedAt", "submittedAt", "overallScore") VALUES (?, ?, 1, ?, 1, ?, ?, ?, ?, ?, ?)');
    const dim = db.prepare('INSERT INTO "InspectionDimensionScore" ("inspectionId", "departmentId", "dimensionKey", score) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= INSPECTIONS; i++) {
      const d = (i % DEPTS) + 1;
      const at = t0 + i * 3_600_000;
      insp.run(i, `draft-${i}`, d, 'submitted', 'slack', 'C1', at, at, 60 + (i % 40));
      for (const k of DIMENSIONS) dim.run(i, d, k, 50 + ((i * k.length) % 50));
    }
    const f = db.prepare('INSERT INTO "Finding" ("inspectionId", "dimensionKey", "itemKey", "departmentId", "responsibleMemberId", description, severity, status, "createdById", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)');
    for (let i = 1; i <= FINDINGS; i++) {
      const insId = (i % INSPECTIONS) + 1;
      const d = (insId % DEPTS) + 1;
      const at = t0 + i * 600_000;
      f.run(insId, DIMENSIONS[i % 5], 'item', d, (i % 2000) + 1, `Finding ${i}`, SEVERITIES[i % 4], i % 3 === 0 ? 'open' : 'closed', at, at);
    }
  })();
  db.close();
}

/** The same four answers as PrismaStatusRepo.departmentStatus, in hand-written SQL. */
function rawStatus(db: Database.Database, deptId: number) {
  return {
    agg: db.prepare('SELECT COUNT(*) c, AVG("overallScore") a, MAX("submittedAt") m FROM "Inspection" WHERE "departmentId" = ?').get(deptId),
    dims: db.prepare('SELECT "dimensionKey", AVG(score) a FROM "InspectionDimensionScore" WHERE "departmentId" = ? GROUP BY "dimensionKey" ORDER BY "dimensionKey"').all(deptId),
    open: db.prepare('SELECT severity, COUNT(*) c FROM "Finding" WHERE "departmentId" = ? AND status = \'open\' GROUP BY severity ORDER BY severity').all(deptId),
    oldest: db.prepare('SELECT id, description FROM "Finding" WHERE "departmentId" = ? AND status = \'open\' ORDER BY "createdAt", id LIMIT 1').get(deptId),
  };
}

export async function benchStatus(rounds = 300) {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-bench-status-'));
  const url = `file:${join(dir, 'bench.db')}`;
  const migrated = await openMigratedDatabase(url);
  await migrated.close();
  const t0 = performance.now();
  seed(join(dir, 'bench.db'));
  const seedMs = performance.now() - t0;

  const db = await openMigratedDatabase(url);
  const repo = new PrismaStatusRepo(db.prisma);
  const raw = new Database(join(dir, 'bench.db'), { readonly: true });
  const check = await repo.departmentStatus(7);
  const rawCheck = rawStatus(raw, 7) as { open: Array<{ c: number }> };
  const sameAnswer = check.openBySeverity.reduce((n, o) => n + o.count, 0) === rawCheck.open.reduce((n, o) => n + o.c, 0);

  for (let i = 0; i < 20; i++) await repo.departmentStatus((i % DEPTS) + 1);
  const dudao: number[] = [];
  const sql: number[] = [];
  // Interleaved so that machine noise hits both sides alike.
  for (let i = 0; i < rounds; i++) {
    const dept = (i % DEPTS) + 1;
    let s = performance.now();
    await repo.departmentStatus(dept);
    dudao.push(performance.now() - s);
    s = performance.now();
    rawStatus(raw, dept);
    sql.push(performance.now() - s);
  }
  raw.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  const a = summarize(dudao);
  const b = summarize(sql);
  return { seedMs, sameAnswer, dudao: a, rawSql: b, ratioP95: a.p95 / b.p95 };
}

export function printStatus(r: Awaited<ReturnType<typeof benchStatus>>) {
  console.log(`\n## status at scale (SQLite, ${INSPECTIONS} inspections, ${FINDINGS} findings, one department)`);
  console.log(`seeded in ${fmt(r.seedMs / 1000, 1)} s; same answer as raw SQL: ${r.sameAnswer}`);
  console.log(`dudao status   p50 ${fmt(r.dudao.p50)} ms  p95 ${fmt(r.dudao.p95)} ms  p99 ${fmt(r.dudao.p99)} ms  (goal p95 < 50 ms: ${r.dudao.p95 < 50 ? 'met' : 'MISSED'})`);
  console.log(`raw SQL        p50 ${fmt(r.rawSql.p50)} ms  p95 ${fmt(r.rawSql.p95)} ms  p99 ${fmt(r.rawSql.p99)} ms`);
  console.log(`ratio dudao/raw at p95: ${fmt(r.ratioP95, 1)}x`);
}
