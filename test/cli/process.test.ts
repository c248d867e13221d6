// The real CLI as an operator runs it: a command ends as soon as its work is done, on either database, and a
// failure is one line on standard error with the exit code, never a stack trace.
import { afterAll, describe, expect, it } from 'vitest';
import { cliHarness, spawnCli } from '../support/cli.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
});

describe.each(STORE_BACKENDS)('the dudao process on %s', (kind) => {
  it('exits promptly once its work is done', async () => {
    const db = await createTestDatabase(kind);
    opened.push(db);
    const { file } = cliHarness();
    const org = file('org.yaml', 'members:\n  - name: Ann\n    slack: U0ANN\n');
    // Before the fix the migration engine's timer kept a command on PostgreSQL alive for 10 s after its work.
    // The bound is on the time from its last output to its exit, the behaviour promised; how long the start
    // takes depends on the machine's load (under 2 s on a lightly loaded 2-core machine, several times that
    // when the test suite's workers share it), so the whole run only gets a generous bound.
    const imported = await spawnCli(['org', 'import', org], { DATABASE_URL: db.url });
    expect(imported).toMatchObject({ code: 0, out: 'imported 0 departments and 1 members\n', err: '' });
    expect(imported.lingerMs).toBeLessThan(1500);
    expect(imported.ms).toBeLessThan(15_000);
    const listed = await spawnCli(['org', 'list', '--json'], { DATABASE_URL: db.url });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toMatchObject([{ name: 'Ann', slack: 'U0ANN', role: 'member' }]);
    expect(listed.lingerMs).toBeLessThan(1500);
  });

  it('says what is wrong in one line, without a stack trace, and exits non-zero', async () => {
    const db = await createTestDatabase(kind);
    opened.push(db);
    const r = await spawnCli(['org', 'import', '/no/such/org.yaml', '--dry-run'], { DATABASE_URL: db.url });
    expect(r).toMatchObject({
      code: 2,
      out: '',
      err: 'dudao org import takes no option --dry-run (see `dudao org import --help`)\n',
    });
    const missing = await spawnCli(['org', 'import', '/no/such/org.yaml'], { DATABASE_URL: db.url });
    expect(missing).toMatchObject({ code: 1, out: '', err: 'file not found: /no/such/org.yaml\n' });
  });
});

describe('the dudao process when the database cannot be used', () => {
  it('names an unreachable PostgreSQL server in one line', async () => {
    const r = await spawnCli(['org', 'list'], { DATABASE_URL: 'postgres://dudao:secret@127.0.0.1:1/dudao' });
    expect(r).toMatchObject({
      code: 1,
      out: '',
      err: 'cannot reach the database server at 127.0.0.1:1: start PostgreSQL or fix DATABASE_URL\n',
    });
    expect(r.lingerMs).toBeLessThan(1500);
  });
});
