import { describe, expect, it } from 'vitest';
import { detectOrgFormat, parseOrgFile } from '../../../src/core/org/import.js';
import { ValidationError } from '../../../src/core/shared/validation.js';
import { problems } from '../../support/validation.js';

const YAML_ORG = `
departments:
  - name: 华东区
  - name: 门店A
    parent: 华东区
    manager: 王经理
members:
  - name: 王经理
    feishu: ou_wang
    role: manager
    department: 门店A
  - name: Sam
    slack: U0SAM
    role: supervisor
    locale: en
    timezone: Europe/London
`;

describe('org import files', () => {
  it('reads YAML with parents and managers', () => {
    const plan = parseOrgFile(YAML_ORG, 'org.yaml');
    expect(plan.departments).toEqual([
      { name: '华东区', parent: null },
      { name: '门店A', parent: '华东区' },
    ]);
    expect(plan.members[0]).toMatchObject({
      displayName: '王经理',
      feishuOpenId: 'ou_wang',
      role: 'manager',
      departmentName: '门店A',
      managerOf: ['门店A'],
    });
    // Left out: undefined, so a re-import keeps the stored values (new members get the configured defaults).
    expect(plan.members[0]).toMatchObject({ locale: undefined, timeZone: undefined, supervisor: undefined });
    expect(plan.members[1]).toMatchObject({ slackUserId: 'U0SAM', locale: 'en', timeZone: 'Europe/London' });
  });

  it('reads CSV with a manages column', () => {
    const csv =
      'name,slack,feishu,role,department,locale,timezone,manages\n王经理,,ou_wang,manager,门店A,zh-CN,Asia/Shanghai,门店A\nBob,U0BOB,,member,门店A,en,America/New_York,\n';
    const plan = parseOrgFile(csv, 'org.csv');
    expect(plan.departments).toEqual([{ name: '门店A', parent: null }]);
    expect(plan.members.map((m) => [m.displayName, m.managerOf])).toEqual([
      ['王经理', ['门店A']],
      ['Bob', []],
    ]);
  });

  it('reads a supervisor column; an absent column leaves fields undefined, an empty cell clears', () => {
    const plan = parseOrgFile('name,slack,department,supervisor\nAnn,U0ANN,,U0BOSS\nBob,U0BOB,门店A,\n', 'org.csv');
    expect(plan.members.map((m) => [m.supervisor, m.departmentName, m.role, m.locale, m.timeZone])).toEqual([
      ['U0BOSS', null, undefined, undefined, undefined],
      [null, '门店A', undefined, undefined, undefined],
    ]);
    const bare = parseOrgFile('name,slack\nAnn,U0ANN\n', 'org.csv');
    expect(bare.members[0]).toMatchObject({ supervisor: undefined, departmentName: undefined });
    expect(() => parseOrgFile('members:\n  - name: Ann\n    slack: U0ANN\n    supervisor: Ann\n', 'org.yaml')).toThrow(
      ValidationError,
    );
  });

  it('refuses the whole file with every problem named, shapes and references at once', () => {
    const bad =
      'members:\n  - name: X\n    role: boss\n    timezone: Mars/Base\n  - name: Y\n    slack: U0Y\n    manages: [Nowhere]\n';
    expect(problems(() => parseOrgFile(bad, 'org.yaml'))).toEqual([
      'members[0].role: expected admin, supervisor, manager, member or hr',
      'members[0].timezone: expected an IANA time zone like Asia/Shanghai',
      'members[0]: expected a slack or feishu id',
      'members[1].manages[0]: "Nowhere" is not a department in this file',
    ]);
  });

  it('refuses a misspelt key by name, so no member is imported without their department', () => {
    const file =
      'departments:\n  - name: Sales\n    manger: Ann\nmembers:\n  - name: Ann\n    slack: U0ANN\n    departmnet: Sales\n';
    expect(problems(() => parseOrgFile(file))).toEqual([
      'departments[0].manger: unknown key (did you mean "manager"?)',
      'members[0].departmnet: unknown key (did you mean "department"?)',
    ]);
    expect(problems(() => parseOrgFile('name,slack,departmnet\nAnn,U0ANN,Sales\n'))).toEqual([
      'header.departmnet: unknown column (did you mean "department"?)',
    ]);
  });

  it('refuses duplicate departments and people, unknown parents and loops in the tree', () => {
    const file = `
departments:
  - name: North
    parent: South
  - name: South
    parent: North
  - name: North
  - name: Shop
    parent: Sales
  - name: Kiosk
    parent: Kiosk
members:
  - name: Ann
    slack: U0ANN
  - name: Ann again
    slack: U0ANN
`;
    expect(problems(() => parseOrgFile(file))).toEqual([
      'departments[0].parent: "North" → "South" → "North" is a loop; a department cannot be inside itself',
      'departments[2].name: "North" is already departments[0]; name each department once',
      'departments[3].parent: "Sales" is not a department in this file',
      'departments[4].parent: "Kiosk" → "Kiosk" is a loop; a department cannot be inside itself',
      "members[1].slack: U0ANN is already members[0]'s; each person once",
    ]);
  });

  it('reads parents from a CSV parent column, and departments from rows without a person', () => {
    const csv = 'name,slack,department,parent\n,,East,\nAnn,U0ANN,Shop A,East\nBob,U0BOB,Shop A,\n';
    expect(parseOrgFile(csv).departments).toEqual([
      { name: 'East', parent: null },
      { name: 'Shop A', parent: 'East' },
    ]);
    const torn = 'name,slack,department,parent\n,,East,\n,,West,\nAnn,U0ANN,Shop A,East\nBob,U0BOB,Shop A,West\n';
    expect(problems(() => parseOrgFile(torn))).toEqual([
      'members[1].parent: "Shop A" is placed under "East" on another row',
    ]);
    expect(problems(() => parseOrgFile('name,slack,department,parent\nAnn,U0ANN,Shop A,Nowhere\n'))).toEqual([
      'departments[0].parent: "Nowhere" is not a department in this file',
    ]);
  });

  it('chooses the format by content, whatever the file is called, unless it is named', () => {
    const json = JSON.stringify({ members: [{ name: 'Ann', slack: 'U0ANN' }] });
    expect(detectOrgFormat(json)).toBe('json');
    expect(detectOrgFormat('\uFEFFname,slack\nAnn,U0ANN\n')).toBe('csv');
    expect(detectOrgFormat('members:\n  - name: Ann\n')).toBe('yaml');
    expect(parseOrgFile('name,slack\nAnn,U0ANN\n', 'org.yaml').members[0]).toMatchObject({ slackUserId: 'U0ANN' });
    expect(parseOrgFile(json, 'org.csv').members[0]).toMatchObject({ slackUserId: 'U0ANN' });
    // Named, the format is not second-guessed: this CSV read as YAML is one string, not an org.
    expect(problems(() => parseOrgFile('name,slack\nAnn,U0ANN\n', 'org.csv', { format: 'yaml' }))).toEqual([
      '(root): expected an org file: a YAML or JSON mapping with departments and members, or CSV with a header line such as name,slack,department',
    ]);
  });

  it('refuses a file above 5 MB before reading it', () => {
    const big = `name,slack\n${'Ann,U0ANN\n'.repeat(600_000)}`;
    expect(problems(() => parseOrgFile(big))).toEqual([
      '(file): 5.7 MB; an org file may be at most 5.0 MB: split it into several imports',
    ]);
  });
});
