import type { Department, Locale, Member, NewMember, OrgImportPlan, OrgRepo, Platform, Role } from '../core/ports.js';
import { ValidationError } from '../core/shared/validation.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import { departmentLoops, storedMembers, supervisors, writeImport } from './org-import.js';

type MemberRow = Awaited<ReturnType<Db['member']['findFirstOrThrow']>>;
type DeptRow = Awaited<ReturnType<Db['department']['findFirstOrThrow']>>;

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  displayName: r.displayName,
  slackUserId: r.slackUserId,
  feishuOpenId: r.feishuOpenId,
  role: r.role as Role,
  departmentId: r.departmentId,
  locale: r.locale as Locale,
  timeZone: r.timeZone,
  supervisorId: r.supervisorId,
});
const toDept = (r: DeptRow): Department => ({ id: r.id, name: r.name, parentId: r.parentId, managerId: r.managerId });

export class PrismaOrgRepo implements OrgRepo {
  constructor(private readonly db: Db) {}

  async memberByPlatform(platform: Platform, userId: string) {
    const r = await this.db.member.findUnique({
      where: platform === 'slack' ? { slackUserId: userId } : { feishuOpenId: userId },
    });
    return r ? toMember(r) : null;
  }
  async memberById(id: number) {
    const r = await this.db.member.findUnique({ where: { id } });
    return r ? toMember(r) : null;
  }
  async membersByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return (await this.db.member.findMany({ where: { id: { in: ids } } })).map(toMember);
  }
  async createMember(input: NewMember) {
    try {
      return toMember(
        await this.db.member.create({
          data: {
            displayName: input.displayName,
            slackUserId: input.slackUserId ?? null,
            feishuOpenId: input.feishuOpenId ?? null,
            role: input.role,
            departmentId: input.departmentId ?? null,
            locale: input.locale,
            timeZone: input.timeZone,
          },
        }),
      );
    } catch (e) {
      // Two first contacts at once (a double click): the other insert won; use its row.
      if (!isUniqueViolation(e)) throw e;
      const existing = input.slackUserId
        ? await this.memberByPlatform('slack', input.slackUserId)
        : input.feishuOpenId
          ? await this.memberByPlatform('feishu', input.feishuOpenId)
          : null;
      if (!existing) throw e;
      return existing;
    }
  }
  async updateMember(id: number, patch: Partial<Omit<Member, 'id'>>) {
    return toMember(await this.db.member.update({ where: { id }, data: patch }));
  }
  async listMembers(filter?: { departmentId?: number; limit?: number }) {
    const rows = await this.db.member.findMany({
      where: filter?.departmentId ? { departmentId: filter.departmentId } : {},
      orderBy: { id: 'asc' },
      ...(filter?.limit !== undefined ? { take: filter.limit } : {}),
    });
    return rows.map(toMember);
  }
  async departmentByName(name: string) {
    const r = await this.db.department.findUnique({ where: { name } });
    return r ? toDept(r) : null;
  }
  async departmentById(id: number) {
    const r = await this.db.department.findUnique({ where: { id } });
    return r ? toDept(r) : null;
  }
  async createDepartment(input: { name: string; parentId?: number | null; managerId?: number | null }) {
    return toDept(
      await this.db.department.create({
        data: { name: input.name, parentId: input.parentId ?? null, managerId: input.managerId ?? null },
      }),
    );
  }
  async updateDepartment(id: number, patch: Partial<Omit<Department, 'id'>>) {
    return toDept(await this.db.department.update({ where: { id }, data: patch }));
  }
  async listDepartments() {
    return (await this.db.department.findMany({ orderBy: { name: 'asc' } })).map(toDept);
  }

  /**
   * Upserts departments and members by name / platform id, all or nothing. What a member's entry leaves out
   * keeps its stored value; new members get `defaults`. Problems that only the database can show (one
   * person's ids held by two members, an unknown or ambiguous supervisor) are all named, by path, before
   * anything is written.
   */
  async importOrg(
    plan: OrgImportPlan,
    defaults: { locale: Locale; timeZone: string } = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
  ) {
    return this.db.$transaction(async (tx) => {
      const problems: string[] = [];
      const existing = await storedMembers(tx, plan, problems);
      await departmentLoops(tx, plan, problems);
      const supervisorOf = await supervisors(tx, plan, existing, problems);
      if (problems.length) throw new ValidationError(problems);
      await writeImport(tx, plan, existing, supervisorOf, defaults);
      return { departments: plan.departments.length, members: plan.members.length };
    });
  }
}
