import { describe, expect, it } from 'vitest';
import { parseOrgFile } from '../../../src/core/org/import.js';
import { ValidationError } from '../../../src/core/shared/validation.js';

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

  it('refuses the whole file with every problem named', () => {
    const bad =
      'members:\n  - name: X\n    role: boss\n    timezone: Mars/Base\n  - name: Y\n    slack: U0Y\n    manages: [Nowhere]\n';
    try {
      parseOrgFile(bad, 'org.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).problems).toEqual([
        'members[0].role: expected admin, supervisor, manager, member or hr',
        'members[0].timezone: expected an IANA time zone like Asia/Shanghai',
      ]);
    }
    // Once every field is well-formed, the cross-references are checked too.
    const dangling = 'members:\n  - name: X\n  - name: Y\n    slack: U0Y\n    manages: [Nowhere]\n';
    expect(() => parseOrgFile(dangling, 'org.yaml')).toThrow(ValidationError);
    try {
      parseOrgFile(dangling, 'org.yaml');
    } catch (e) {
      expect((e as ValidationError).problems).toEqual([
        'members[0].slack: expected a slack or feishu id',
        'members[1].manages[0]: unknown department Nowhere',
      ]);
    }
  });
});
