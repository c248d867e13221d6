// `dudao org list` and `dudao org export`: what is stored, for people (a table with a header) and scripts
// (--json), and the organisation as an import file that round-trips through an empty database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cliHarness } from '../support/cli.js';
import { createTestDatabase, STORE_BACKENDS, type TestDatabase } from '../support/db.js';

const ORG = `departments:
  - name: 华东区
    manager: U0ZHAO
  - name: 门店A
    parent: 华东区
    manager: ou_wang
  - name: 门店B
    parent: 华东区
members:
  - name: 赵总监
    slack: U0ZHAO
    role: supervisor
    department: 华东区
  - name: 王经理
    feishu: ou_wang
    slack: U0WANG
    role: manager
    department: 门店A
    supervisor: U0ZHAO
  - name: Sam Lee
    slack: U0SAM
    role: member
    department: 门店B
    locale: en
    timezone: Europe/London
    supervisor: 王经理
  - name: "Li, \\"the new one\\""
    feishu: ou_li
`;

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
});

async function harnessOn(kind: (typeof STORE_BACKENDS)[number]) {
  const db = await createTestDatabase(kind);
  opened.push(db);
  return cliHarness({ DATABASE_URL: db.url });
}

describe.each(STORE_BACKENDS)('dudao org list and export on %s', (kind) => {
  it('lists members and departments under a header, and as JSON', async () => {
    const { run, file } = await harnessOn(kind);
    expect((await run('org', 'import', file('org.yaml', ORG))).code).toBe(0);
    const members = await run('org', 'list');
    const lines = members.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +ROLE +DEPARTMENT +SLACK +FEISHU +LOCALE +TIMEZONE +SUPERVISOR$/);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^\d+ +Sam Lee +member +门店B +U0SAM +- +en +Europe\/London +王经理$/);
    expect(JSON.parse((await run('org', 'list', '--json')).out)[1]).toEqual({
      id: expect.any(Number),
      name: '王经理',
      role: 'manager',
      department: '门店A',
      slack: 'U0WANG',
      feishu: 'ou_wang',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      supervisor: '赵总监',
    });
    const depts = await run('org', 'list', '--departments');
    expect(depts.out).toMatch(/^ID +NAME +PARENT +MANAGER +MEMBERS\n/);
    expect(depts.out).toMatch(/^\d+ +门店A +华东区 +王经理 +1$/m);
    expect(JSON.parse((await run('org', 'list', '--departments', '--json')).out)).toContainEqual({
      id: expect.any(Number),
      name: '华东区',
      parent: null,
      manager: '赵总监',
      members: 1,
    });
  });

  it.each(['yaml', 'csv', 'json'] as const)(
    'exports the organisation as %s that, imported into an empty database, exports the same again',
    async (format) => {
      const first = await harnessOn(kind);
      await first.run('org', 'import', first.file('org.yaml', ORG));
      const out = join(first.dir, `org.${format}`);
      expect(await first.run('org', 'export', '--out', out)).toMatchObject({
        code: 0,
        out: `wrote ${out} (${format}, 3 departments, 4 members)\n`,
      });
      const second = await harnessOn(kind);
      expect((await second.run('org', 'import', out)).code).toBe(0);
      const again = await second.run('org', 'export', '--format', format);
      expect(again.out).toBe(readFileSync(out, 'utf8'));
      // And it says what the import file said.
      if (format === 'yaml') {
        const doc = YAML.parse(again.out);
        expect(doc.departments).toContainEqual({ name: '门店A', parent: '华东区', manager: 'U0WANG' });
        expect(doc.members).toContainEqual({
          name: 'Sam Lee',
          slack: 'U0SAM',
          role: 'member',
          department: '门店B',
          locale: 'en',
          timezone: 'Europe/London',
          supervisor: 'U0WANG',
        });
      }
    },
  );
});
