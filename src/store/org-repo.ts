import type { Department, Locale, Member, NewMember, OrgImportPlan, OrgRepo, Platform, Role } from '../core/ports.js';
import { ValidationError } from '../core/shared/validation.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';
import type { Rows } from './hot-rows.js';

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
  constructor(
    private readonly db: Db,
    private readonly rows: Rows,
  ) {}

  // The reads every request makes (who is asking; a form's department and people) are raw statements: a
  // third of the CPU of the client's own query for the same row (bench/ingress.ts). Same SQL on both databases.
  async memberByPlatform(platform: Platform, userId: string) {
    const column = platform === 'slack' ? Prisma.sql`"slackUserId"` : Prisma.sql`"feishuOpenId"`;
    const [r] = await this.rows<MemberRow>`SELECT * FROM "Member" WHERE ${column} = ${userId}`;
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
    const where = filter?.departmentId ? Prisma.sql`WHERE "departmentId" = ${filter.departmentId}` : Prisma.empty;
    const limit = filter?.limit !== undefined ? Prisma.sql`LIMIT ${filter.limit}` : Prisma.empty;
    return (await this.rows<MemberRow>`SELECT * FROM "Member" ${where} ORDER BY "id" ${limit}`).map(toMember);
  }
  async departmentByName(name: string) {
    const r = await this.db.department.findUnique({ where: { name } });
    return r ? toDept(r) : null;
  }
  async departmentById(id: number) {
    const [r] = await this.rows<DeptRow>`SELECT * FROM "Department" WHERE "id" = ${id}`;
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
      const describe = (r: MemberRow) => `member #${r.id} "${r.displayName}"`;
      // Who each entry is: the one stored member holding its ids, or nobody (a new member).
      const existing: Array<MemberRow | null> = [];
      for (const [i, m] of plan.members.entries()) {
        const or = [
          ...(m.slackUserId ? [{ slackUserId: m.slackUserId }] : []),
          ...(m.feishuOpenId ? [{ feishuOpenId: m.feishuOpenId }] : []),
        ];
        const rows = or.length ? await tx.member.findMany({ where: { OR: or }, orderBy: { id: 'asc' } }) : [];
        if (rows.length > 1) {
          const held = rows.map(
            (r) =>
              `${r.slackUserId && r.slackUserId === m.slackUserId ? `slack ${r.slackUserId}` : `feishu ${r.feishuOpenId}`} belongs to ${describe(r)}`,
          );
          problems.push(
            `members[${i}]: ${held.join(' and ')}; they are two members, so the ids cannot be linked to one person (remove one id from the file, or import the two people separately)`,
          );
        }
        existing.push(rows[0] ?? null);
      }
      // Supervisors: another entry of the file (by name or id), else a stored member (by id, or a unique name).
      const supervisorOf: Array<{ entry: number } | { memberId: number } | null | undefined> = [];
      for (const [i, m] of plan.members.entries()) {
        const ref = m.supervisor;
        if (ref === undefined || ref === null) {
          supervisorOf.push(ref);
          continue;
        }
        const inFile = plan.members.flatMap((o, j) =>
          [o.displayName, o.slackUserId, o.feishuOpenId].includes(ref) ? [j] : [],
        );
        const byId = inFile.filter(
          (j) => plan.members[j]!.slackUserId === ref || plan.members[j]!.feishuOpenId === ref,
        );
        const pick = byId.length ? byId : inFile;
        if (pick.length > 1) {
          problems.push(
            `members[${i}].supervisor: ${ref} names ${pick.length} members in the file (members[${pick.join('], members[')}]); use their Slack or Feishu id`,
          );
          supervisorOf.push(undefined);
          continue;
        }
        if (pick.length === 1) {
          supervisorOf.push({ entry: pick[0]! });
          continue;
        }
        const stored = await tx.member.findMany({
          where: { OR: [{ slackUserId: ref }, { feishuOpenId: ref }, { displayName: ref }] },
          orderBy: { id: 'asc' },
        });
        const storedById = stored.filter((r) => r.slackUserId === ref || r.feishuOpenId === ref);
        const found = storedById.length ? storedById : stored;
        if (found.length === 0) problems.push(`members[${i}].supervisor: no member named or with id ${ref}`);
        else if (found.length > 1)
          problems.push(
            `members[${i}].supervisor: ${ref} names ${found.length} members (${found.map(describe).join(', ')}); use their Slack or Feishu id`,
          );
        else if (found[0]!.id === existing[i]?.id)
          problems.push(`members[${i}].supervisor: a member cannot be their own supervisor`);
        supervisorOf.push(found.length === 1 ? { memberId: found[0]!.id } : undefined);
      }
      if (problems.length) throw new ValidationError(problems);

      const ids = new Map<string, number>();
      for (const d of plan.departments) {
        const row = await tx.department.upsert({ where: { name: d.name }, create: { name: d.name }, update: {} });
        ids.set(d.name, row.id);
      }
      for (const d of plan.departments) {
        if (d.parent)
          await tx.department.update({
            where: { id: ids.get(d.name)! },
            data: { parentId: ids.get(d.parent) ?? null },
          });
      }
      const memberIds: number[] = [];
      for (const [i, m] of plan.members.entries()) {
        const departmentId =
          m.departmentName === undefined ? undefined : m.departmentName ? (ids.get(m.departmentName) ?? null) : null;
        const given = {
          displayName: m.displayName,
          ...(m.slackUserId ? { slackUserId: m.slackUserId } : {}),
          ...(m.feishuOpenId ? { feishuOpenId: m.feishuOpenId } : {}),
          ...(m.role !== undefined ? { role: m.role } : {}),
          ...(m.locale !== undefined ? { locale: m.locale } : {}),
          ...(m.timeZone !== undefined ? { timeZone: m.timeZone } : {}),
          ...(departmentId !== undefined ? { departmentId } : {}),
        };
        const found = existing[i];
        const row = found
          ? await tx.member.update({ where: { id: found.id }, data: given })
          : await tx.member.create({
              data: { role: 'member', locale: defaults.locale, timeZone: defaults.timeZone, ...given },
            });
        memberIds.push(row.id);
        for (const deptName of m.managerOf ?? []) {
          const deptId = ids.get(deptName);
          if (deptId) await tx.department.update({ where: { id: deptId }, data: { managerId: row.id } });
        }
      }
      for (const [i, sup] of supervisorOf.entries()) {
        if (sup === undefined) continue;
        const supervisorId = sup === null ? null : 'entry' in sup ? memberIds[sup.entry]! : sup.memberId;
        await tx.member.update({ where: { id: memberIds[i]! }, data: { supervisorId } });
      }
      return { departments: plan.departments.length, members: plan.members.length };
    });
  }
}
