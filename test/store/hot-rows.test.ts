// The reads on the request path skip the Prisma client on SQLite (src/store/hot-rows.ts). They must give
// exactly what the client's own raw query gives for every kind of column we store (dates, booleans, nulls,
// floats, aggregates), write dates alike, run transactions of plain statements whole or not at all, and must
// not see another request's transaction before it commits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/sqlite/client.js';
import { isUniqueViolation } from '../../src/store/errors.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

describe.each(STORE_BACKENDS)('request-path reads on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
  });
  afterEach(async () => db.destroy());

  it('give the same values as the client for dates, booleans, nulls, floats and aggregates', async () => {
    const at = new Date('2026-11-23T02:03:04.567Z');
    const member = await db.prisma.member.create({
      data: { displayName: '王经理', slackUserId: 'UMGR', role: 'manager', locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
    });
    await db.prisma.member.create({
      data: {
        displayName: 'Bob',
        feishuOpenId: 'ou_bob',
        role: 'member',
        locale: 'en',
        timeZone: 'UTC',
        supervisorId: member.id,
      },
    });
    const cfg = await db.prisma.evaluationConfigVersion.findFirst();
    const cycle = await db.prisma.evaluationCycle.create({
      data: {
        kind: 'annual',
        name: '2026',
        periodStart: at,
        periodEnd: at,
        deadline: at,
        status: 'open',
        openedById: member.id,
        openedAt: at,
        configVersionId: cfg?.id ?? 1,
      },
    });
    await db.prisma.evaluationParticipant.create({
      data: { cycleId: cycle.id, memberId: member.id, customerFacing: true, overallScore: 87.25, selfAt: at },
    });
    await db.prisma.evaluationParticipant.create({
      data: { cycleId: cycle.id, memberId: member.id + 1, customerFacing: false },
    });

    const queries = [
      Prisma.sql`SELECT * FROM "Member" ORDER BY "id"`,
      Prisma.sql`SELECT * FROM "Member" WHERE "slackUserId" = ${'UMGR'}`,
      Prisma.sql`SELECT * FROM "EvaluationParticipant" ORDER BY "id"`,
      Prisma.sql`SELECT COUNT(*) AS "n", AVG("overallScore") AS "avg", MAX("selfAt") AS "last" FROM "EvaluationParticipant"`,
    ];
    for (const q of queries) {
      const viaClient = await db.prisma.$queryRaw<Record<string, unknown>[]>(q);
      const direct = await db.rows<Record<string, unknown>>(q.strings, ...q.values);
      expect(direct).toHaveLength(viaClient.length);
      // Aggregates may differ in numeric representation (bigint / number); the repositories read them with Number().
      const norm = (rows: Record<string, unknown>[]) =>
        rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
        );
      expect(norm(direct)).toEqual(norm(viaClient));
    }
    const [p] = await db.rows<{
      customerFacing: boolean;
      selfAt: Date;
      overallScore: number;
    }>`SELECT * FROM "EvaluationParticipant" WHERE "customerFacing" = ${true}`;
    expect(p).toMatchObject({ customerFacing: true, selfAt: at, overallScore: 87.25 });
  });

  it('write dates as the client writes them, and report unique violations as the client does', async () => {
    const at = new Date('2026-11-23T02:03:04.567Z');
    expect(
      await db.execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'k1'}, ${at}) ON CONFLICT ("key") DO NOTHING`,
    ).toBe(1);
    expect(
      await db.execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'k1'}, ${at}) ON CONFLICT ("key") DO NOTHING`,
    ).toBe(0);
    await db.prisma.processedDelivery.create({ data: { key: 'k2', createdAt: at } });
    const rows = await db.prisma.processedDelivery.findMany({
      where: { createdAt: { gte: at, lte: at } },
      orderBy: { key: 'asc' },
    });
    expect(rows.map((r) => [r.key, r.createdAt])).toEqual([
      ['k1', at],
      ['k2', at],
    ]);
    const failure =
      await db.execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'k2'}, ${at})`.catch(
        (e: unknown) => e,
      );
    expect(isUniqueViolation(failure)).toBe(true);
  });

  it('give back the rows an update changed (RETURNING) with the same values as a read', async () => {
    const at = new Date('2026-11-23T02:03:04.567Z');
    const member = await db.prisma.member.create({
      data: { displayName: 'Sam', role: 'supervisor', locale: 'en', timeZone: 'UTC' },
    });
    const dept = await db.prisma.department.create({ data: { name: '门店A' } });
    const tpl = await db.prisma.checklistTemplate.create({
      data: { key: 'store', versions: { create: { version: 1, content: '{}' } } },
      include: { versions: true },
    });
    const tv = tpl.versions[0]!;
    await db.prisma.inspectionDraft.create({
      data: {
        id: 'd1',
        templateVersionId: tv.id,
        departmentId: dept.id,
        supervisorId: member.id,
        platform: 'slack',
        channelId: 'C1',
        createdAt: at,
      },
    });
    const [before] = await db.rows<Record<string, unknown>>`SELECT * FROM "InspectionDraft" WHERE "id" = ${'d1'}`;
    const changed = await db.transaction(
      async (tx) =>
        tx.$queryRaw<
          Array<Record<string, unknown>>
        >`UPDATE "InspectionDraft" SET "page" = ${1} WHERE "id" = ${'d1'} AND "page" = ${0} RETURNING *`,
    );
    expect(changed).toEqual([{ ...before, page: 1 }]);
    expect(changed[0]!.createdAt).toEqual(at);
    // An update that matches nothing gives nothing back.
    expect(
      await db.transaction(
        async (tx) =>
          tx.$queryRaw`UPDATE "InspectionDraft" SET "page" = ${2} WHERE "id" = ${'d1'} AND "page" = ${0} RETURNING *`,
      ),
    ).toEqual([]);
  });

  it('run a transaction of plain statements whole or not at all, keeping a plain write made meanwhile', async () => {
    const at = new Date('2026-11-23T02:00:00Z');
    const saved = await db.transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'kept'}, ${at})`;
      return (await tx.$queryRaw<Array<{ key: string }>>`SELECT "key" FROM "ProcessedDelivery"`).map((r) => r.key);
    });
    expect(saved).toEqual(['kept']);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const failing = db
      .transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'undone'}, ${at})`;
        await hold;
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    const plain = db.execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'another-request'}, ${at})`;
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await failing).toBe('rolled back');
    expect(await plain).toBe(1);
    const keys = (await db.prisma.processedDelivery.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key);
    expect(keys).toEqual(['another-request', 'kept']);
  });

  it("do not see another request's transaction before it commits", async () => {
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const hold = new Promise<void>((r) => (finish = r));
    const tx = db.prisma
      .$transaction(async (t) => {
        await t.department.create({ data: { name: '门店X' } });
        inside();
        await hold;
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await started;
    const read = db.rows<{ name: string }>`SELECT "name" FROM "Department" WHERE "name" = ${'门店X'}`;
    await new Promise((r) => setTimeout(r, 30));
    finish();
    expect(await tx).toBe('rolled back');
    expect(await read).toEqual([]);
  });
});
