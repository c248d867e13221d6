// The SQLite connection behind Prisma (src/store/sqlite-connection.ts): every commit synced to disk unless
// the URL opts out, plain statements and transactions taking turns on the one connection, and results,
// constraint errors and transactions as Prisma gives them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openMigratedDatabase, sqliteSynchronous } from '../../src/store/database.js';
import { isUniqueViolation } from '../../src/store/errors.js';

let dir: string;
const opened: Database[] = [];
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

const at = new Date('2026-11-23T02:00:00.123Z');
const member = (i: number) => ({
  displayName: `M${i}`,
  slackUserId: `U${i}`,
  role: 'member',
  locale: 'en',
  timeZone: 'UTC',
});

describe('the SQLite connection behind Prisma', () => {
  it('syncs every commit by default; ?synchronous=normal opts out', async () => {
    expect(await synchronous(await open())).toBe(2); // FULL
    expect(await synchronous(await open('?synchronous=normal'))).toBe(1); // NORMAL
    expect(sqliteSynchronous('file:./x.db')).toBe('FULL');
    expect(sqliteSynchronous('file:./x.db?synchronous=NORMAL')).toBe('NORMAL');
    expect(() => sqliteSynchronous('file:./x.db?synchronous=off')).toThrow(/synchronous=off is not supported/);
  });

  it('keeps results, constraint errors and transactions as Prisma gives them', async () => {
    const p = (await open()).prisma;
    await p.member.create({ data: member(1) });
    for (let i = 0; i < 3; i++)
      expect(isUniqueViolation(await p.member.create({ data: member(1) }).catch((e) => e))).toBe(true);
    await expect(
      p.$transaction(async (tx) => {
        await tx.department.create({ data: { name: 'D1' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await p.department.count()).toBe(0);
    await p.$transaction(async (tx) => tx.department.create({ data: { name: 'D1' } }));
    expect((await p.department.findMany()).map((d) => d.name)).toEqual(['D1']);
    await p.processedDelivery.create({ data: { key: 'k1', createdAt: at } });
    expect(await p.processedDelivery.findMany({ where: { createdAt: { lte: at } } })).toEqual([
      { key: 'k1', createdAt: at },
    ]);
  });

  it('saves every one of a burst of concurrent writes and transactions, each committed before it is answered', async () => {
    const db = await open();
    const p = db.prisma;
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => p.member.create({ data: member(i) })),
      p.member.create({ data: member(3) }), // the same person twice: refused alone
      ...Array.from({ length: 10 }, (_, i) =>
        p.$transaction(async (tx) => {
          await tx.processedDelivery.create({ data: { key: `t${i}-1`, createdAt: at } });
          await tx.processedDelivery.create({ data: { key: `t${i}-2`, createdAt: at } });
          if (i === 4) throw new Error('refused');
        }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    // Another connection (another process) sees every row that was answered as saved, and nothing of the rest.
    const other = new Sqlite(join(dir, 'test.db'), { readonly: true });
    expect((other.prepare('SELECT COUNT(*) AS n FROM "Member"').get() as { n: number }).n).toBe(20);
    const keys = (other.prepare('SELECT "key" FROM "ProcessedDelivery"').all() as Array<{ key: string }>).map(
      (r) => r.key,
    );
    other.close();
    expect(keys).toHaveLength(18);
    expect(keys.filter((k) => k.startsWith('t4-'))).toEqual([]);
  });
});
