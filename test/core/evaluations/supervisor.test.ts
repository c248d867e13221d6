import { describe, expect, it } from 'vitest';
import { supervisorFor } from '../../../src/core/evaluations/cycles/rules.js';
import type { Department, Member } from '../../../src/core/ports.js';

const member = (id: number, departmentId: number | null, supervisorId?: number | null): Member => ({
  id,
  displayName: `m${id}`,
  slackUserId: null,
  feishuOpenId: null,
  role: 'member',
  departmentId,
  locale: 'en',
  timeZone: 'Asia/Shanghai',
  supervisorId,
});
const depts = new Map<number, Department>([
  [1, { id: 1, name: 'Region', parentId: null, managerId: 10 }],
  [2, { id: 2, name: 'Store', parentId: 1, managerId: 20 }],
]);

describe('supervisorFor', () => {
  it('uses the configured supervisor before the department-manager rule', () => {
    expect(supervisorFor(member(30, 2, 40), depts, 99)).toBe(40);
    // The store manager with a configured supervisor: that one, not the region's manager.
    expect(supervisorFor(member(20, 2, 50), depts, 99)).toBe(50);
  });

  it('falls back to the department rule when none is configured (or it names the member themselves)', () => {
    expect(supervisorFor(member(30, 2), depts, 99)).toBe(20);
    expect(supervisorFor(member(30, 2, null), depts, 99)).toBe(20);
    expect(supervisorFor(member(20, 2, 20), depts, 99)).toBe(10);
    expect(supervisorFor(member(30, null), depts, 99)).toBe(99);
  });
});
