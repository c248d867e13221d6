// `dudao backup` and `dudao restore` on SQLite: a backup taken while another connection keeps writing holds
// every commit made before it (those still in the WAL file too), and restores into a database that opens with
// the same rows; restore refuses what could lose data. PostgreSQL is pointed at pg_dump and pg_restore.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/store/database.js';
import { cliHarness, spawnCli } from '../support/cli.js';

const ORG = 'members:\n  - name: Ann\n    slack: U0ANN\n    department: 门店A\n';

function departments(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM Department').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('dudao backup and restore', () => {
  it('backs up a database another connection is writing to, and restores it into a new database', async () => {
    const { dir, env, run, file } = cliHarness();
    const seeded = await run('org', 'import', file('org.yaml', ORG));
    expect(seeded).toMatchObject({ code: 0 });
    const source = join(dir, 'cli.db');
    // A second connection, as the running bot is: its commits stay in the WAL file, never checkpointed.
    const writer = new BetterSqlite3(source);
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare("INSERT INTO Department (name, updatedAt) VALUES (?, strftime('%s', 'now') * 1000)");
    for (let i = 0; i < 50; i++) insert.run(`wal-only-${i}`);
    const before = departments(source);

    const backupFile = join(dir, 'backup.db');
    let writing = true;
    let n = 0;
    const load = (async () => {
      while (writing) {
        insert.run(`during-${n++}`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const backup = await spawnCli(['backup', backupFile], { DATABASE_URL: env.DATABASE_URL });
    writing = false;
    await load;
    const after = departments(source);
    expect(after).toBeGreaterThan(before);
    expect(backup).toMatchObject({ code: 0, err: '' });
    expect(backup.out).toMatch(
      new RegExp(`^backed up ${source} to ${backupFile} \\(.* MB, 1 member\\(s\\), \\d+ migration\\(s\\)\\)\\n$`),
    );
    const copied = departments(backupFile);
    expect(copied).toBeGreaterThanOrEqual(before);
    expect(copied).toBeLessThanOrEqual(after);
    // The backup is one self-contained file.
    expect(existsSync(`${backupFile}-wal`)).toBe(false);

    const restoredPath = join(dir, 'restored.db');
    const restored = cliHarness({ DATABASE_URL: `file:${restoredPath}` });
    expect(await restored.run('restore', backupFile)).toEqual({
      code: 0,
      out: `restored ${restoredPath} from ${backupFile} (1 member(s))\n`,
      err: '',
    });
    const db = await openMigratedDatabase(`file:${restoredPath}`);
    expect(db.applied).toEqual([]);
    expect(await db.prisma.department.count()).toBe(copied);
    expect(await db.prisma.member.findMany({ select: { displayName: true, slackUserId: true } })).toEqual([
      { displayName: 'Ann', slackUserId: 'U0ANN' },
    ]);
    await db.close();

    // Over an existing database: only with --force, and never while something has it open.
    expect(await run('restore', backupFile)).toEqual({
      code: 1,
      out: '',
      err: `${source} exists: add --force to replace it with ${backupFile} (back it up first if unsure)\n`,
    });
    expect(await run('restore', backupFile, '--force')).toEqual({
      code: 1,
      out: '',
      err: `${source} is in use (is the bot running?): stop every process using it, then restore\n`,
    });
    writer.close();
    expect((await run('restore', backupFile, '--force')).code).toBe(0);
    expect(departments(source)).toBe(copied);
    // And a backup is never written over an existing file without --force.
    expect(await run('backup', backupFile)).toEqual({
      code: 1,
      out: '',
      err: `${backupFile} already exists: name a new file, or add --force to replace it\n`,
    });
  });

  it('refuses to restore a file that is not a dudao database, leaving the database as it was', async () => {
    const { dir, run, file } = cliHarness();
    await run('org', 'import', file('org.yaml', ORG));
    const text = file('notes.db', 'not a database');
    const other = join(dir, 'other.db');
    const o = new BetterSqlite3(other);
    o.exec('CREATE TABLE t (x)');
    o.close();
    expect(await run('restore', text, '--force')).toEqual({
      code: 1,
      out: '',
      err: `${text} is not a SQLite database\n`,
    });
    expect(await run('restore', other, '--force')).toEqual({
      code: 1,
      out: '',
      err: `${other} is not a dudao database (it has no migrations table)\n`,
    });
    expect(await run('restore', join(dir, 'missing.db'))).toEqual({
      code: 1,
      out: '',
      err: `file not found: ${join(dir, 'missing.db')}\n`,
    });
    expect(JSON.parse((await run('org', 'list', '--json')).out)).toHaveLength(1);
  });

  it('points PostgreSQL at pg_dump and pg_restore, with exit 2', async () => {
    const { run, dir } = cliHarness({ DATABASE_URL: 'postgres://dudao@127.0.0.1:1/dudao' });
    writeFileSync(join(dir, 'x.dump'), '');
    expect(await run('backup', join(dir, 'b.dump'))).toEqual({
      code: 2,
      out: '',
      err: 'backup is for SQLite; on PostgreSQL use pg_dump (docs/operations.md, "Backups")\n',
    });
    expect(await run('restore', join(dir, 'x.dump'))).toEqual({
      code: 2,
      out: '',
      err: 'restore is for SQLite; on PostgreSQL use pg_restore (docs/operations.md, "Backups")\n',
    });
  });
});
