// Every way an operator can get a command wrong gets one sentence naming what to fix and an exit code:
// 2 for the command line, 1 for a file, the database or a refusal. Nothing is written when a command is refused.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/store/database.js';
import { cliHarness } from '../support/cli.js';
import { createTestDatabase, PG_URL } from '../support/db.js';

const ORG = 'members:\n  - name: Ann\n    slack: U0ANN\n';

describe('dudao command-line errors', () => {
  it('refuses unknown commands and options, missing values and arguments, with exit 2 and one line', async () => {
    const { run, file } = cliHarness();
    await run('migrate');
    const org = file('org.yaml', ORG);
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'unknown command frobnicate: see `dudao --help` for the commands'],
      [['org', 'frob'], 'unknown command org frob: expected import, list or export'],
      [['org'], 'dudao org needs one of: import, list or export (see `dudao org --help`)'],
      [['org', 'import'], 'dudao org import needs a file: dudao org import <file> [--format yaml|json|csv]'],
      [
        ['org', 'import', org, 'extra.yaml'],
        'dudao org import takes no argument extra.yaml (see `dudao org import --help`)',
      ],
      [
        ['org', 'import', org, '--dry-run'],
        'dudao org import takes no option --dry-run (see `dudao org import --help`)',
      ],
      [['org', 'import', org, '-n'], 'dudao org import takes no option -n (see `dudao org import --help`)'],
      [['org', 'import', org, '--format'], '--format needs a value: --format FORMAT'],
      [['org', 'import', org, '--format', 'xml'], '--format must be yaml or json or csv, not xml'],
      [['template', 'export', 'ops-standard', '--out', '--format', 'json'], '--out needs a value: --out FILE'],
      [
        ['template', 'export', 'ops-standard', '--template-version', 'x'],
        '--template-version must be a whole number from 1, not x (see `dudao template export --help`)',
      ],
      [['org', 'list', '--json=yes'], '--json takes no value'],
      [['org', 'list', '--json', '--json'], '--json is given twice'],
      [['sweep', '--at', 'tomorrow'], '--at must be a date and time such as 2026-11-25T01:00:00Z, not tomorrow'],
      [['eval', 'export', '2026-11'], 'dudao eval export needs --out FILE'],
      [
        ['template', 'export', 'ops-standard', '--version', '1'],
        "--version prints dudao's version; to pick a version here use --template-version 1",
      ],
      [
        ['eval', 'config', 'export', '--version', '2'],
        "--version prints dudao's version; to pick a version here use --config-version 2",
      ],
    ];
    for (const [args, err] of cases)
      expect({ args, ...(await run(...args)) }).toEqual({ args, code: 2, out: '', err: `${err}\n` });
    // The refused import with --dry-run wrote nothing.
    expect((await run('org', 'list', '--json')).out).toBe('[]\n');
  });

  it('prints help and the version with exit 0, for every command', async () => {
    const { run } = cliHarness();
    expect(await run('--version')).toEqual({ code: 0, out: 'dudao 0.1.0\n', err: '' });
    expect(await run('org', 'import', 'x.yaml', '--version')).toEqual({ code: 0, out: 'dudao 0.1.0\n', err: '' });
    const all = await run('--help');
    expect(all.code).toBe(0);
    for (const words of ['migrate', 'org import', 'org list', 'org export', 'backup', 'restore', 'eval config export'])
      expect(all.out).toContain(`  ${words} `);
    const one = await run('template', 'export', '--help');
    expect(one.code).toBe(0);
    expect(one.out).toContain(
      'usage: dudao template export <key> [--template-version N] [--format yaml|json] [--out FILE]',
    );
    expect((await run('org', '-h')).out).toMatch(/^usage: dudao org <command>/);
    // With no command at all, the overview goes to standard error as a usage error.
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain('usage: dudao <command> [options]');
  });

  it('names a missing or folder file, an unwritable --out, with exit 1', async () => {
    const { dir, run } = cliHarness();
    await run('migrate');
    mkdirSync(join(dir, 'folder'));
    const cases: Array<[string[], string]> = [
      [['org', 'import', join(dir, 'missing.yaml')], `file not found: ${join(dir, 'missing.yaml')}`],
      [['org', 'import', join(dir, 'folder')], `${join(dir, 'folder')} is a folder: name the file to read`],
      [['template', 'import', join(dir, 'folder')], `${join(dir, 'folder')} is a folder: name the file to read`],
      [
        ['org', 'export', '--out', join(dir, 'nope', 'org.yaml')],
        `cannot write ${join(dir, 'nope', 'org.yaml')}: folder ${join(dir, 'nope')} does not exist`,
      ],
      [['template', 'export', 'nope'], 'no template nope: see `dudao template list`'],
    ];
    for (const [args, err] of cases)
      expect({ args, ...(await run(...args)) }).toEqual({ args, code: 1, out: '', err: `${err}\n` });
  });

  it('refuses an org file over the size limit before reading it', async () => {
    const { run, file } = cliHarness();
    const big = file('big.yaml', `members:\n${'  - name: A\n    slack: U0AAA\n'.repeat(200_000)}`);
    const r = await run('org', 'import', big);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(
      /^.*big\.yaml is 5\.\d MB, over the 5\.0 MB a file may have here: split it into several imports\n$/,
    );
  });

  it('names an unsupported, folder, non-database or missing SQLite DATABASE_URL', async () => {
    const { dir, file } = cliHarness();
    const notDb = file('notes.db', 'hello, not a database');
    mkdirSync(join(dir, 'folder.db'));
    const runWith = (url: string, ...args: string[]) => cliHarness({ DATABASE_URL: url }).run(...args);
    expect(await runWith('mysql://u@h/db', 'org', 'list')).toEqual({
      code: 2,
      out: '',
      err: 'DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), not mysql:\n',
    });
    expect(await runWith('file:./x.db?synchronous=off', 'org', 'list')).toEqual({
      code: 2,
      out: '',
      err: 'DATABASE_URL: synchronous=off is not supported; use full (the default) or normal\n',
    });
    expect(await runWith(`file:${join(dir, 'folder.db')}`, 'org', 'list')).toEqual({
      code: 1,
      out: '',
      err: `DATABASE_URL names ${join(dir, 'folder.db')}, which is a folder: name the database file in it\n`,
    });
    expect(await runWith(`file:${notDb}`, 'org', 'list')).toEqual({
      code: 1,
      out: '',
      err: `${notDb} is not a SQLite database: fix DATABASE_URL\n`,
    });
    // Only the commands that set a database up create one; the others do not answer from a new, empty one.
    const missing = join(dir, 'typo.db');
    expect(await runWith(`file:${missing}`, 'org', 'list')).toEqual({
      code: 1,
      out: '',
      err: `there is no database at ${missing}: fix DATABASE_URL, or create it with \`npx dudao migrate\`\n`,
    });
    writeFileSync(join(dir, 'org.yaml'), ORG);
    expect((await runWith(`file:${missing}`, 'org', 'import', join(dir, 'org.yaml'))).code).toBe(0);
    const db = await openMigratedDatabase(`file:${missing}`);
    expect(await db.prisma.member.count()).toBe(1);
    await db.close();
  });

  it('names an unreachable PostgreSQL server, and prints the stack only with LOG_LEVEL=debug', async () => {
    const url = 'postgres://dudao:secret@127.0.0.1:1/dudao';
    const r = await cliHarness({ DATABASE_URL: url }).run('org', 'list');
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'cannot reach the database server at 127.0.0.1:1: start PostgreSQL or fix DATABASE_URL\n',
    });
    const debug = await cliHarness({ DATABASE_URL: url, LOG_LEVEL: 'debug' }).run('org', 'list');
    expect(debug.err.split('\n').length).toBeGreaterThan(2);
    expect(debug.err).not.toContain('secret');
  });

  it.runIf(PG_URL)('names a PostgreSQL database that does not exist, and a refused user', async () => {
    const u = new URL(PG_URL!);
    u.pathname = '/dudao_no_such_database';
    expect(await cliHarness({ DATABASE_URL: u.toString() }).run('org', 'list')).toEqual({
      code: 1,
      out: '',
      err: `database dudao_no_such_database does not exist on ${u.host}: create it (createdb dudao_no_such_database) or fix DATABASE_URL\n`,
    });
    const db = await createTestDatabase('postgres');
    try {
      const bad = new URL(db.url);
      bad.username = 'dudao_no_such_user';
      expect(await cliHarness({ DATABASE_URL: bad.toString() }).run('org', 'list')).toEqual({
        code: 1,
        out: '',
        err: `the database server at ${bad.host} refused user dudao_no_such_user: check the user and password in DATABASE_URL\n`,
      });
    } finally {
      await db.destroy();
    }
  });
});
