// Members and departments in memory (src/store/org-repo.ts): unique platform ids and department names, a
// racing first contact answered with the member that won, lists by id (departments by name).
import type {
  Department,
  Locale,
  Member,
  NewMember,
  OrgImportPlan,
  OrgRepo,
  Platform,
  Role,
} from '../../../src/core/ports.js';
import type { Department as DeptRow, Member as MemberRow } from '../../../src/generated/sqlite/client.js';
import type { Db } from '../../../src/store/database.js';
import { PrismaOrgRepo } from '../../../src/store/org-repo.js';
import type { MemoryDb } from './db.js';
import { UniqueViolation } from './table.js';

const toMember = ({ createdAt, updatedAt, role, locale, ...m }: MemberRow): Member => ({
  ...m,
  role: role as Role,
  locale: locale as Locale,
});
const toDept = ({ createdAt, updatedAt, ...d }: DeptRow): Department => d;
const platformColumn = (platform: Platform) => (platform === 'slack' ? 'slackUserId' : 'feishuOpenId');

export class MemoryOrgRepo implements OrgRepo {
  constructor(private readonly db: MemoryDb) {}

  async memberByPlatform(platform: Platform, userId: string) {
    const r = this.db.member.one((m) => m[platformColumn(platform)] === userId);
    return r && toMember(r);
  }
  async memberById(id: number) {
    const r = this.db.member.one((m) => m.id === id);
    return r && toMember(r);
  }
  async membersByIds(ids: number[]) {
    return this.db.member.rows((m) => ids.includes(m.id)).map(toMember);
  }
  async createMember(input: NewMember) {
    const { slackUserId = null, feishuOpenId = null, departmentId = null, ...rest } = input;
    try {
      return toMember(this.db.member.add({ ...rest, slackUserId, feishuOpenId, departmentId }));
    } catch (e) {
      // Two first contacts at once: the other one's insert won; its row is the member.
      if (!(e instanceof UniqueViolation)) throw e;
      const existing = slackUserId
        ? await this.memberByPlatform('slack', slackUserId)
        : feishuOpenId && (await this.memberByPlatform('feishu', feishuOpenId));
      if (!existing) throw e;
      return existing;
    }
  }
  async updateMember(id: number, patch: Partial<Omit<Member, 'id'>>) {
    const [r] = this.db.member.set((m) => m.id === id, patch);
    if (!r) throw new Error(`no member #${id}`);
    return toMember(r);
  }
  async listMembers(filter: { departmentId?: number; limit?: number } = {}) {
    const rows = this.db.member.rows((m) => !filter.departmentId || m.departmentId === filter.departmentId);
    return rows.slice(0, filter.limit ?? rows.length).map(toMember);
  }
  async departmentByName(name: string) {
    const r = this.db.department.one((d) => d.name === name);
    return r && toDept(r);
  }
  async departmentById(id: number) {
    const r = this.db.department.one((d) => d.id === id);
    return r && toDept(r);
  }
  async createDepartment(input: { name: string; parentId?: number | null; managerId?: number | null }) {
    return toDept(
      this.db.department.add({
        name: input.name,
        parentId: input.parentId ?? null,
        managerId: input.managerId ?? null,
      }),
    );
  }
  async updateDepartment(id: number, patch: Partial<Omit<Department, 'id'>>) {
    const [r] = this.db.department.set((d) => d.id === id, patch);
    if (!r) throw new Error(`no department #${id}`);
    return toDept(r);
  }
  async listDepartments() {
    return this.db.department.findMany({ orderBy: { name: 'asc' } }).map(toDept);
  }

  /**
   * The Prisma repository's own import (who each entry is, the checks, the writes) run on these tables, which
   * answer the few Prisma calls it makes, in one transaction: the file's rules are never written twice.
   */
  importOrg(plan: OrgImportPlan, defaults?: { locale: Locale; timeZone: string }) {
    const { db } = this;
    const tx = { member: db.member, department: db.department };
    const prismaLike = { ...tx, $transaction: <T>(fn: (t: typeof tx) => Promise<T>) => db.atomically(() => fn(tx)) };
    return new PrismaOrgRepo(prismaLike as unknown as Db).importOrg(plan, defaults);
  }
}
