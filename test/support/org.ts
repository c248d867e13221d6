// Org builders: people and departments in a few lines, for any test that needs an organisation.
import type { Locale, Member, OrgRepo, Role } from '../../src/core/ports.js';

export interface PersonSpec {
  name: string;
  slack?: string;
  feishu?: string;
  role?: Role;
  dept?: string;
  locale?: Locale;
  tz?: string;
  manages?: string;
}

/** Creates departments and people (on any store's repositories: the database's or memoryRepos()); returns members by name. */
export async function buildOrg(
  repos: { org: OrgRepo },
  people: PersonSpec[],
  departments: string[] = [],
): Promise<Record<string, Member>> {
  const names = new Set([
    ...departments,
    ...people.flatMap((p) => [p.dept, p.manages].filter((x): x is string => !!x)),
  ]);
  await repos.org.importOrg({
    departments: [...names].map((name) => ({ name })),
    members: people.map((p) => ({
      displayName: p.name,
      slackUserId: p.slack ?? null,
      feishuOpenId: p.feishu ?? null,
      role: p.role ?? 'member',
      locale: p.locale ?? 'en',
      timeZone: p.tz ?? 'Asia/Shanghai',
      departmentName: p.dept ?? null,
      managerOf: p.manages ? [p.manages] : [],
    })),
  });
  const all = await repos.org.listMembers();
  return Object.fromEntries(all.map((m) => [m.displayName, m]));
}

/** A small standard org: an admin, a supervisor, a store with its manager and two staff. */
export const STANDARD_ORG: PersonSpec[] = [
  { name: 'Ada Admin', slack: 'UADMIN', feishu: 'ou_admin', role: 'admin' },
  { name: 'Sam Supervisor', slack: 'USUP', feishu: 'ou_sup', role: 'supervisor', locale: 'en', tz: 'Europe/London' },
  {
    name: '王经理',
    slack: 'UMGR',
    feishu: 'ou_mgr',
    role: 'manager',
    dept: '门店A',
    manages: '门店A',
    locale: 'zh-CN',
  },
  { name: '李员工', slack: 'USTAFF', feishu: 'ou_staff', role: 'member', dept: '门店A', locale: 'zh-CN' },
  { name: 'Bob Staff', slack: 'UBOB', feishu: 'ou_bob', role: 'member', dept: '门店B', locale: 'en' },
];

/** The standard org with Helen HR (English), who opens evaluation cycles. */
export const EVAL_ORG: PersonSpec[] = [
  ...STANDARD_ORG,
  { name: 'Helen HR', slack: 'UHR', feishu: 'ou_hr', role: 'hr', locale: 'en' },
];
