import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/store/database.js';
import { createRepos } from '../../src/store/index.js';
import { cliHarness } from '../support/cli.js';

function harness(extraEnv: Record<string, string> = {}) {
  const { env, run, file } = cliHarness(extraEnv);
  const members = async () => {
    const db = await openMigratedDatabase(env.DATABASE_URL);
    try {
      const depts = new Map((await db.prisma.department.findMany()).map((d) => [d.id, d.name]));
      const rows = await db.prisma.member.findMany({ orderBy: { id: 'asc' } });
      return rows.map((r) => ({ ...r, department: r.departmentId ? depts.get(r.departmentId) : null }));
    } finally {
      await db.close();
    }
  };
  return { env, run, file, members };
}

const FULL = `departments:
  - name: 门店A
  - name: 门店B
members:
  - name: Sam Lee
    slack: U0SAM
    feishu: ou_sam
    role: supervisor
    department: 门店A
    locale: en
    timezone: America/New_York
`;

describe('org import keeps what the file leaves out', () => {
  it('re-importing a supervisor from a CSV with only name,slack,department keeps role, locale, zone and the other id', async () => {
    const { run, file, members } = harness({ DUDAO_DEFAULT_LOCALE: 'en', DUDAO_DEFAULT_TIMEZONE: 'Europe/Berlin' });
    expect((await run('org', 'import', file('org.yaml', FULL))).code).toBe(0);
    const r = await run(
      'org',
      'import',
      file('org.csv', 'name,slack,department\nSam Lee,U0SAM,门店B\nNew Person,U0NEW,门店A\n'),
    );
    expect(r).toMatchObject({ code: 0, out: 'imported 2 departments and 2 members\n' });
    const [sam, fresh] = await members();
    expect(sam).toMatchObject({
      displayName: 'Sam Lee',
      slackUserId: 'U0SAM',
      feishuOpenId: 'ou_sam',
      role: 'supervisor',
      locale: 'en',
      timeZone: 'America/New_York',
      department: '门店B',
    });
    // A new member gets the configured defaults, not hard-coded ones.
    expect(fresh).toMatchObject({
      displayName: 'New Person',
      role: 'member',
      locale: 'en',
      timeZone: 'Europe/Berlin',
      department: '门店A',
    });
  });

  it('without DUDAO_DEFAULT_* settings new members get zh-CN and Asia/Shanghai; empty cells keep, given cells change', async () => {
    const { run, file, members } = harness();
    expect((await run('org', 'import', file('org.yaml', FULL))).code).toBe(0);
    const csv = 'name,slack,role,locale,timezone\nSam Lee,U0SAM,,,Europe/London\nNew Person,U0NEW,,,\n';
    expect((await run('org', 'import', file('org.csv', csv))).code).toBe(0);
    const [sam, fresh] = await members();
    expect(sam).toMatchObject({ role: 'supervisor', locale: 'en', timeZone: 'Europe/London', department: '门店A' });
    expect(fresh).toMatchObject({ role: 'member', locale: 'zh-CN', timeZone: 'Asia/Shanghai', department: null });
  });

  it('refuses an invalid DUDAO_DEFAULT_TIMEZONE and changes nothing', async () => {
    const { run, file, members } = harness({ DUDAO_DEFAULT_TIMEZONE: 'Mars/Base' });
    const r = await run('org', 'import', file('org.yaml', FULL));
    expect(r.code).toBe(1);
    expect(r.err).toContain('DUDAO_DEFAULT_TIMEZONE: is not an IANA time zone');
    expect(await members()).toEqual([]);
  });
});

describe('org import linking one person’s ids', () => {
  it('refuses to link a Slack and a Feishu id held by two members, naming both, and changes nothing', async () => {
    const { run, file, members } = harness();
    const two = 'name,slack,feishu,role\nAnn (Slack),U0ANN,,member\nAnn (Feishu),,ou_ann,hr\n';
    expect((await run('org', 'import', file('two.csv', two))).code).toBe(0);
    const before = await members();
    const linked = 'name,slack,feishu,role\nBob,U0BOB,,member\nAnn,U0ANN,ou_ann,admin\n';
    const r = await run('org', 'import', file('link.csv', linked));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('nothing was changed');
    expect(r.err).toContain(
      `members[1]: slack U0ANN belongs to member #${before[0]!.id} "Ann (Slack)" and feishu ou_ann belongs to member #${before[1]!.id} "Ann (Feishu)"`,
    );
    expect(r.err).not.toMatch(/Prisma|Unique constraint|at .*\.ts/);
    // Nothing written: not Bob, not the other rows.
    expect(await members()).toEqual(before);
  });

  it('links a Feishu id to a member known only by Slack', async () => {
    const { run, file, members } = harness();
    expect((await run('org', 'import', file('a.csv', 'name,slack\nAnn,U0ANN\n'))).code).toBe(0);
    expect((await run('org', 'import', file('b.csv', 'name,slack,feishu\nAnn,U0ANN,ou_ann\n'))).code).toBe(0);
    expect(await members()).toMatchObject([{ displayName: 'Ann', slackUserId: 'U0ANN', feishuOpenId: 'ou_ann' }]);
  });
});

describe('org import supervisor', () => {
  it('sets a supervisor by name or id, from the file or already stored; an empty cell clears; a missing column keeps', async () => {
    const { env, run, file, members } = harness();
    expect((await run('org', 'import', file('boss.csv', 'name,slack\nBoss,U0BOSS\n'))).code).toBe(0);
    const csv = 'name,slack,feishu,supervisor\nLead,U0LEAD,,U0BOSS\nAnn,,ou_ann,Lead\nBob,U0BOB,,Boss\n';
    expect((await run('org', 'import', file('org.csv', csv))).code).toBe(0);
    let byName = Object.fromEntries((await members()).map((m) => [m.displayName, m]));
    expect(byName.Lead!.supervisorId).toBe(byName.Boss!.id);
    expect(byName.Ann!.supervisorId).toBe(byName.Lead!.id);
    expect(byName.Bob!.supervisorId).toBe(byName.Boss!.id);
    expect(byName.Boss!.supervisorId).toBeNull();
    // The store hands it to the evaluation rules (supervisorFor) with the member.
    const db = await openMigratedDatabase(env.DATABASE_URL);
    expect((await createRepos(db).org.memberById(byName.Ann!.id))?.supervisorId).toBe(byName.Lead!.id);
    await db.close();

    expect((await run('org', 'import', file('keep.csv', 'name,slack\nBob,U0BOB\n'))).code).toBe(0);
    expect((await run('org', 'import', file('clear.csv', 'name,slack,supervisor\nLead,U0LEAD,\n'))).code).toBe(0);
    byName = Object.fromEntries((await members()).map((m) => [m.displayName, m]));
    expect(byName.Bob!.supervisorId).toBe(byName.Boss!.id);
    expect(byName.Lead!.supervisorId).toBeNull();
  });

  it('refuses unknown, ambiguous and self supervisors by path and changes nothing', async () => {
    const { run, file, members } = harness();
    expect((await run('org', 'import', file('twins.csv', 'name,slack\nKim,U0KIM1\nKim,U0KIM2\n'))).code).toBe(0);
    const before = await members();
    const yaml = `members:
  - name: Ann
    slack: U0ANN
    supervisor: Nobody
  - name: Bob
    slack: U0BOB
    supervisor: Kim
  - name: Cat
    slack: U0CAT
    supervisor: U0KIM2
`;
    const r = await run('org', 'import', file('org.yaml', yaml));
    expect(r.code).toBe(1);
    expect(r.err).toContain('members[0].supervisor: no member named or with id Nobody');
    expect(r.err).toContain('members[1].supervisor: Kim names 2 members');
    expect(r.err).not.toContain('members[2]');
    expect(await members()).toEqual(before);

    const self = await run(
      'org',
      'import',
      file('self.yaml', 'members:\n  - name: Ann\n    slack: U0ANN\n    supervisor: U0ANN\n'),
    );
    expect(self.code).toBe(1);
    expect(self.err).toContain('members[0].supervisor: a member cannot be their own supervisor');
  });
});
