import type { Department, Locale, Member, NewMember, OrgImportPlan, OrgRepo, Platform, Role } from '../core/ports.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';

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
});
const toDept = (r: DeptRow): Department => ({ id: r.id, name: r.name, parentId: r.parentId, managerId: r.managerId });
const platformWhere = (platform: Platform, userId: string) => (platform === 'slack' ? { slackUserId: userId } : { feishuOpenId: userId });

export class PrismaOrgRepo implements OrgRepo {
  constructor(private readonly db: Db) {}

  async memberByPlatform(platform: Platform, userId: string) {
    const r = await this.db.member.findUnique({ where: platformWhere(platform, userId) as never });
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
  async listMembers(filter?: { departmentId?: number }) {
    return (await this.db.member.findMany({ where: filter?.departmentId ? { departmentId: filter.departmentId } : {}, orderBy: { id: 'asc' } })).map(toMember);
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
    return toDept(await this.db.department.create({ data: { name: input.name, parentId: input.parentId ?? null, managerId: input.managerId ?? null } }));
  }
  async updateDepartment(id: number, patch: Partial<Omit<Department, 'id'>>) {
    return toDept(await this.db.department.update({ where: { id }, data: patch }));
  }
  async listDepartments() {
    return (await this.db.department.findMany({ orderBy: { name: 'asc' } })).map(toDept);
  }

  /** Upserts departments and members by name / platform id, all or nothing. */
  async importOrg(plan: OrgImportPlan) {
    return this.db.$transaction(async (tx) => {
      const ids = new Map<string, number>();
      for (const d of plan.departments) {
        const row = await tx.department.upsert({ where: { name: d.name }, create: { name: d.name }, update: {} });
        ids.set(d.name, row.id);
      }
      for (const d of plan.departments) {
        if (d.parent) await tx.department.update({ where: { id: ids.get(d.name)! }, data: { parentId: ids.get(d.parent) ?? null } });
      }
      for (const m of plan.members) {
        const data = {
          displayName: m.displayName,
          role: m.role,
          locale: m.locale,
          timeZone: m.timeZone,
          departmentId: m.departmentName ? (ids.get(m.departmentName) ?? null) : null,
          slackUserId: m.slackUserId ?? null,
          feishuOpenId: m.feishuOpenId ?? null,
        };
        const existing = await tx.member.findFirst({
          where: { OR: [...(m.slackUserId ? [{ slackUserId: m.slackUserId }] : []), ...(m.feishuOpenId ? [{ feishuOpenId: m.feishuOpenId }] : [])] },
        });
        const row = existing ? await tx.member.update({ where: { id: existing.id }, data }) : await tx.member.create({ data });
        for (const deptName of m.managerOf ?? []) {
          const deptId = ids.get(deptName);
          if (deptId) await tx.department.update({ where: { id: deptId }, data: { managerId: row.id } });
        }
      }
      return { departments: plan.departments.length, members: plan.members.length };
    });
  }
}
