// Plain writes that arrive together share one transaction (one fsync), yet each caller gets its own result
// or error, only after the commit, and nothing of anyone else's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openMigratedDatabase } from '../../src/store/database.js';
import { isUniqueViolation } from '../../src/store/errors.js';
import { groupCommit, isRead } from '../../src/store/sqlite-group-commit.js';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dudao-group-'));
  db = await openMigratedDatabase(`file:${join(dir, 'test.db')}`);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = new Date('2026-11-23T02:00:00Z');
const member = (i: number) => ({
  displayName: `M${i}`,
  slackUserId: `U${i}`,
  role: 'member',
  locale: 'en',
  timeZone: 'UTC',
});

describe('group commit on SQLite', () => {
  it('runs a burst of writes in one transaction, each caller getting its own row back', async () => {
    const p = db.prisma;
    await p.member.count(); // connect
    const before = { ...db.groupCommits! };
    const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => p.member.create({ data: member(i) })));
    expect(rows.map((r) => r.displayName)).toEqual(Array.from({ length: 20 }, (_, i) => `M${i}`));
    expect(new Set(rows.map((r) => r.id)).size).toBe(20);
    const batches = db.groupCommits!.batches - before.batches;
    expect(db.groupCommits!.statements - before.statements).toBe(20);
    expect(batches).toBeLessThan(5);
    // Another connection (another process) sees every row: they were committed before the callers heard back.
    const other = new Sqlite(join(dir, 'test.db'), { readonly: true });
    expect((other.prepare('SELECT COUNT(*) AS n FROM "Member"').get() as { n: number }).n).toBe(20);
    other.close();
  });

  it('fails only the write that broke a rule; the others in its batch are kept', async () => {
    const p = db.prisma;
    await p.member.create({ data: member(1) });
    const results = await Promise.allSettled([
      p.member.create({ data: member(2) }),
      p.member.create({ data: member(1) }),
      p.member.create({ data: member(3) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((results[1] as PromiseRejectedResult).reason)).toBe(true);
    expect((await p.member.findMany({ orderBy: { id: 'asc' } })).map((m) => m.displayName)).toEqual(['M1', 'M2', 'M3']);
  });

  it('keeps writes out of a transaction that rolls back', async () => {
    const p = db.prisma;
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const tx = p
      .$transaction(async (t) => {
        await t.processedDelivery.create({ data: { key: 'tx', createdAt: at } });
        await hold;
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 10));
    const plain = Promise.all([
      p.processedDelivery.create({ data: { key: 'a', createdAt: at } }),
      p.processedDelivery.create({ data: { key: 'b', createdAt: at } }),
    ]);
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(await tx).toBe('rolled back');
    await plain;
    expect((await p.processedDelivery.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('runs transactions of plain statements in one batch, each whole or not at all, answered after the commit', async () => {
    await db.prisma.member.count(); // connect
    const before = { ...db.groupCommits! };
    const save = (key: string, fail = false) =>
      db.transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${`${key}-1`}, ${at})`;
        await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${`${key}-2`}, ${at})`;
        if (fail) throw new Error(`${key} refused`);
        return key;
      });
    const results = await Promise.allSettled([
      save('a'),
      save('b', true),
      save('c'),
      db.execute`INSERT INTO "ProcessedDelivery" ("key", "createdAt") VALUES (${'plain'}, ${at})`,
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'a',
      'b refused',
      'c',
      1,
    ]);
    expect(db.groupCommits!.batches - before.batches).toBe(1);
    // Committed before anyone heard back: another connection sees all of a and c, nothing of b.
    const other = new Sqlite(join(dir, 'test.db'), { readonly: true });
    expect(
      (other.prepare('SELECT "key" FROM "ProcessedDelivery" ORDER BY "key"').all() as Array<{ key: string }>).map(
        (r) => r.key,
      ),
    ).toEqual(['a-1', 'a-2', 'c-1', 'c-2', 'plain']);
    other.close();
  });

  it('answers every write of a batch SQLite gave up with its error, and runs the rest again', async () => {
    // A stand-in connection: the second statement makes SQLite abandon the transaction (as on a full disk).
    let open = false;
    const log: string[] = [];
    const tx = {
      queryRaw: async (q: { sql: string }) => {
        log.push(q.sql);
        if (q.sql === 'fatal') {
          open = false;
          throw new Error('disk full');
        }
        return q.sql;
      },
      executeRaw: async (q: { sql: string }) => {
        log.push(q.sql);
        if (q.sql === 'COMMIT') open = false;
        return 1;
      },
      commit: async () => undefined,
      rollback: async () => undefined,
    };
    const { write } = groupCommit(
      async (_m, q) => {
        log.push(`alone ${q.sql}`);
        return q.sql;
      },
      async () => {
        open = true;
        log.push('BEGIN');
        return tx as never;
      },
      () => open,
    );
    const q = (sql: string) => write('queryRaw', { sql, args: [], argTypes: [] });
    const results = await Promise.allSettled([q('first'), q('fatal'), q('after')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'disk full',
      'disk full',
      'after',
    ]);
    expect(log).toEqual(['BEGIN', 'first', 'fatal', 'alone after']);
  });

  it('tells reads from writes by their first word', () => {
    expect(isRead('SELECT 1')).toBe(true);
    expect(isRead('  select * from x')).toBe(true);
    expect(isRead('PRAGMA synchronous')).toBe(true);
    expect(isRead('INSERT INTO x VALUES (1) RETURNING id')).toBe(false);
    expect(isRead('UPDATE x SET a = 1')).toBe(false);
    expect(isRead('DELETE FROM x')).toBe(false);
  });
});
