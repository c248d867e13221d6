import { describe, expect, it } from 'vitest';
import { nearestCommand, parseCommand, tokenize } from '../../../src/core/commands/parse.js';

describe('command grammar', () => {
  it('parses every command in English and Chinese', () => {
    expect(parseCommand('inspect 门店A')).toEqual({ ok: true, command: { name: 'inspect', deptName: '门店A' } });
    expect(parseCommand('检查 门店A')).toEqual({ ok: true, command: { name: 'inspect', deptName: '门店A' } });
    expect(parseCommand('/dudao status')).toEqual({ ok: true, command: { name: 'status' } });
    expect(parseCommand('状态 华东 区')).toEqual({ ok: true, command: { name: 'status', deptName: '华东 区' } });
    expect(parseCommand('dept add Store North manager <@U123|sam>')).toEqual({
      ok: true,
      command: { name: 'dept.add', deptName: 'Store North', managerMention: 'U123' },
    });
    expect(parseCommand('部门 添加 门店B 经理 <@ou_abc>')).toEqual({
      ok: true,
      command: { name: 'dept.add', deptName: '门店B', managerMention: 'ou_abc' },
    });
    expect(parseCommand('部门 列表')).toEqual({ ok: true, command: { name: 'dept.list' } });
    expect(parseCommand('role <@U1> supervisor')).toEqual({
      ok: true,
      command: { name: 'role', mention: 'U1', role: 'supervisor' },
    });
    expect(parseCommand('角色 <@ou_x> 经理 部门 门店A')).toEqual({
      ok: true,
      command: { name: 'role', mention: 'ou_x', role: 'manager', deptName: '门店A' },
    });
    expect(parseCommand('findings 门店A all')).toEqual({
      ok: true,
      command: { name: 'findings', deptName: '门店A', filter: 'all' },
    });
    expect(parseCommand('问题 全部')).toEqual({ ok: true, command: { name: 'findings', filter: 'all' } });
    expect(parseCommand('模板 列表')).toEqual({ ok: true, command: { name: 'template.list' } });
    expect(parseCommand('')).toEqual({ ok: true, command: { name: 'help' } });
  });

  it('keeps quoted names together', () => {
    expect(tokenize('dept add "North Store" manager <@U1>')).toEqual([
      'dept',
      'add',
      'North Store',
      'manager',
      '<@U1>',
    ]);
    expect(tokenize('检查 「门店 A」')).toEqual(['检查', '门店 A']);
  });

  it('answers malformed commands with that command’s usage and unknown ones with the nearest', () => {
    expect(parseCommand('inspect')).toEqual({
      ok: false,
      kind: 'usage',
      topic: 'inspect',
      detail: undefined,
      value: undefined,
    });
    expect(parseCommand('role <@U1> boss')).toMatchObject({
      ok: false,
      kind: 'usage',
      topic: 'role',
      detail: 'unknownRole',
      value: 'boss',
    });
    expect(parseCommand('dept add Store manager bob')).toMatchObject({ ok: false, kind: 'usage', topic: 'dept' });
    expect(parseCommand('inspct 门店A')).toMatchObject({
      ok: false,
      kind: 'unknown',
      input: 'inspct',
      suggestion: 'inspect',
    });
    expect(parseCommand('stauts')).toMatchObject({ kind: 'unknown', suggestion: 'status' });
    expect(nearestCommand('xyzzyq')).toBe('help');
  });
});
