// The tuned SQLite connection: Prisma's adapter gets cached prepared statements and the chosen
// synchronous mode, and behaves exactly as before (results, constraint errors, transactions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../src/generated/sqlite/client.js';
import { type Database, openMigratedDatabase, sqliteSynchronous } from '../../src/store/database.js';
import { isUniqueViolation } from '../../src/store/errors.js';
import { tunedSqliteFactory } from '../../src/store/sqlite-connection.js';

let dir: string;
const opened: Array<{ close(): Promise<void> }> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dudao-sqlite-'));
});
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(query = ''): Promise<Database> {
  const db = await openMigratedDatabase(`file:${join(dir, 'test.db')}${query}`);
  opened.push(db);
  return db;
}

const synchronous = async (db: Database) =>
  Number((await db.prisma.$queryRaw<Array<{ synchronous: bigint | number }>>`PRAGMA synchronous`)[0]!.synchronous);

describe('the SQLite connection behind Prisma', () => {
  it('reuses prepared statements: the same query is prepared once', async () => {
    const db = await open();
    await db.prisma.member.create({
      data: { displayName: 'A', slackUserId: 'UA', role: 'member', locale: 'en', timeZone: 'UTC' },
    });
    // The client connects on its first query. Without a cache (say, a Prisma upgrade moved the adapter's
    // connection elsewhere) this fails and says so.
    const [cache] = db.statementCaches ?? [];
    expect(cache, 'statement cache active on the Prisma client connection').toBeDefined();
    const before = { ...cache! };
    for (let i = 0; i < 20; i++)
      expect(await db.prisma.member.findUnique({ where: { slackUserId: 'UA' } })).toMatchObject({ displayName: 'A' });
    expect(cache!.misses - before.misses).toBeLessThanOrEqual(1);
    expect(cache!.hits - before.hits).toBeGreaterThanOrEqual(19);
  });

  it('keeps results, constraint errors and transactions as they were', async () => {
    const db = await open();
    const p = db.prisma;
    const data = { displayName: 'A', slackUserId: 'UA', role: 'member', locale: 'en', timeZone: 'UTC' };
    await p.member.create({ data });
    for (let i = 0; i < 3; i++) {
      const dup = await p.member.create({ data }).catch((e: unknown) => e);
      expect(isUniqueViolation(dup)).toBe(true);
    }
    // A failed transaction leaves nothing behind, and the same statements work afterwards.
    await expect(
      p.$transaction(async (tx) => {
        await tx.department.create({ data: { name: 'D1' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await p.department.count()).toBe(0);
    await p.$transaction(async (tx) => tx.department.create({ data: { name: 'D1' } }));
    expect((await p.department.findMany()).map((d) => d.name)).toEqual(['D1']);
    // Raw statements with bound values, including dates and big integers, round-trip.
    const at = new Date('2026-11-23T02:00:00.123Z');
    expect(
      await p.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'k1'}, ${at}) ON CONFLICT ("key") DO NOTHING`,
    ).toBe(1);
    expect(
      await p.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'k1'}, ${at}) ON CONFLICT ("key") DO NOTHING`,
    ).toBe(0);
    expect(await p.processedDelivery.findMany({ where: { createdAt: { lte: at } } })).toEqual([
      { key: 'k1', createdAt: at },
    ]);
  });

  it('drops the least recently used statement when the cache is full, and still answers right', async () => {
    await open(); // migrated file
    const factory = tunedSqliteFactory(new PrismaBetterSqlite3({ url: join(dir, 'test.db') }), {
      statementCacheSize: 2,
      synchronous: 'FULL',
    });
    const p = new PrismaClient({ adapter: factory });
    opened.push({ close: () => p.$disconnect() });
    await p.department.createMany({ data: [{ name: 'D1' }, { name: 'D2' }, { name: 'D3' }] });
    for (let round = 0; round < 3; round++) {
      expect(await p.department.count()).toBe(3);
      expect((await p.department.findMany({ orderBy: { name: 'asc' } })).map((d) => d.name)).toEqual([
        'D1',
        'D2',
        'D3',
      ]);
      expect(await p.department.findUnique({ where: { name: 'D2' } })).toMatchObject({ name: 'D2' });
    }
    expect(factory.statementCaches[0]!.size).toBeLessThanOrEqual(2);
  });

  it('syncs every commit by default; ?synchronous=normal opts out', async () => {
    expect(await synchronous(await open())).toBe(2); // FULL
    expect(await synchronous(await open('?synchronous=normal'))).toBe(1); // NORMAL
    expect(sqliteSynchronous('file:./x.db')).toBe('FULL');
    expect(sqliteSynchronous('file:./x.db?synchronous=NORMAL')).toBe('NORMAL');
    expect(() => sqliteSynchronous('file:./x.db?synchronous=off')).toThrow(/synchronous=off is not supported/);
  });
});
