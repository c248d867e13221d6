// Importing an org file (OrgRepo.importOrg): who each entry is, who supervises whom, then the writes, all in
// the one transaction the repository opens.
import { loopFrom } from '../core/org/import-checks.js';
import type { Locale, OrgImportPlan } from '../core/ports.js';
import type { Db, Tx } from './database.js';

type MemberRow = Awaited<ReturnType<Db['member']['findFirstOrThrow']>>;
/** An entry's supervisor: another entry of the file, a stored member, none (null), or left as stored (undefined). */
type SupervisorRef = { entry: number } | { memberId: number } | null | undefined;

const describe = (r: MemberRow) => `member #${r.id} "${r.displayName}"`;

/** Who each entry is: the one stored member holding its ids, or nobody (a new member). */
export async function storedMembers(tx: Tx, plan: OrgImportPlan, problems: string[]): Promise<Array<MemberRow | null>> {
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
  return existing;
}

/**
 * Loops the file would make with the stored tree: a department the file places under another keeps the
 * stored parents above that one (门店A under 华东区 in the file, 华东区 stored under 门店A).
 */
export async function departmentLoops(tx: Tx, plan: OrgImportPlan, problems: string[]): Promise<void> {
  const stored = await tx.department.findMany({ select: { id: true, name: true, parentId: true } });
  const nameOf = new Map(stored.map((d) => [d.id, d.name]));
  const parentOf = new Map<string, string>();
  for (const d of stored)
    if (d.parentId !== null && nameOf.has(d.parentId)) parentOf.set(d.name, nameOf.get(d.parentId)!);
  for (const d of plan.departments) if (d.parent) parentOf.set(d.name, d.parent);
  const reported = new Set<string>();
  plan.departments.forEach((d, i) => {
    if (!d.parent || reported.has(d.name)) return;
    const loop = loopFrom(d.name, parentOf);
    if (!loop) return;
    for (const n of loop) reported.add(n);
    problems.push(
      `departments[${i}].parent: ${[...loop, d.name].map((n) => JSON.stringify(n)).join(' → ')} would be a loop with the departments already stored; a department cannot be inside itself`,
    );
  });
}

/** Supervisors: another entry of the file (by name or id), else a stored member (by id, or a unique name). */
export async function supervisors(
  tx: Tx,
  plan: OrgImportPlan,
  existing: Array<MemberRow | null>,
  problems: string[],
): Promise<SupervisorRef[]> {
  const out: SupervisorRef[] = [];
  for (const [i, m] of plan.members.entries())
    out.push(await supervisorOf(tx, plan, i, m, existing[i] ?? null, problems));
  return out;
}

async function supervisorOf(
  tx: Tx,
  plan: OrgImportPlan,
  i: number,
  m: OrgImportPlan['members'][number],
  self: MemberRow | null,
  problems: string[],
): Promise<SupervisorRef> {
  const ref = m.supervisor;
  if (ref === undefined || ref === null) return ref;
  const inFile = plan.members.flatMap((o, j) =>
    [o.displayName, o.slackUserId, o.feishuOpenId].includes(ref) ? [j] : [],
  );
  const byId = inFile.filter((j) => plan.members[j]!.slackUserId === ref || plan.members[j]!.feishuOpenId === ref);
  const pick = byId.length ? byId : inFile;
  if (pick.length > 1) {
    problems.push(
      `members[${i}].supervisor: ${ref} names ${pick.length} members in the file (members[${pick.join('], members[')}]); use their Slack or Feishu id`,
    );
    return undefined;
  }
  if (pick.length === 1) return { entry: pick[0]! };
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
  else if (found[0]!.id === self?.id)
    problems.push(`members[${i}].supervisor: a member cannot be their own supervisor`);
  return found.length === 1 ? { memberId: found[0]!.id } : undefined;
}

/** The departments, then the members, then who supervises whom (entries may name members created here). */
export async function writeImport(
  tx: Tx,
  plan: OrgImportPlan,
  existing: Array<MemberRow | null>,
  supervisorOf: SupervisorRef[],
  defaults: { locale: Locale; timeZone: string },
): Promise<void> {
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
}
