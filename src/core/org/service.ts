import { normalizeLocale } from '../i18n/t.js';
import type {
  ActorRef,
  Department,
  Locale,
  Member,
  OrgRepo,
  OutboxItem,
  Platform,
  ProfileLookup,
  Role,
} from '../ports.js';

export interface OrgDefaults {
  locale: Locale;
  timeZone: string;
  /** Slack user ids and Feishu open_ids that are admins (DUDAO_ADMINS). */
  admins: readonly string[];
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const platformIdOf = (m: Member, p: Platform) => (p === 'slack' ? m.slackUserId : m.feishuOpenId);

/** Where to reach a member: on the platform of the action when they use it, else on the other. */
export function platformFor(m: Member, preferred: Platform): Pick<OutboxItem, 'platform' | 'target'> | null {
  const other: Platform = preferred === 'slack' ? 'feishu' : 'slack';
  const id = platformIdOf(m, preferred);
  if (id) return { platform: preferred, target: { kind: 'user', id } };
  const alt = platformIdOf(m, other);
  return alt ? { platform: other, target: { kind: 'user', id: alt } } : null;
}

export class OrgService {
  constructor(
    private readonly repo: OrgRepo,
    private readonly profiles: Partial<Record<Platform, ProfileLookup>>,
    private readonly defaults: OrgDefaults,
  ) {}

  /**
   * The member behind a platform user, registered on first contact from the platform profile when it is
   * readable. People listed in DUDAO_ADMINS are made admins: the operator's setting wins.
   */
  async ensureMember(actor: ActorRef): Promise<Member> {
    const listedAdmin = this.defaults.admins.includes(actor.userId);
    const existing = await this.repo.memberByPlatform(actor.platform, actor.userId);
    if (existing) {
      if (listedAdmin && existing.role !== 'admin') return this.repo.updateMember(existing.id, { role: 'admin' });
      return existing;
    }
    const profile = await this.profiles[actor.platform]?.lookup(actor.userId).catch(() => null);
    const tz = profile?.timeZone && isValidTimeZone(profile.timeZone) ? profile.timeZone : this.defaults.timeZone;
    return this.repo.createMember({
      displayName: profile?.displayName || actor.userId,
      slackUserId: actor.platform === 'slack' ? actor.userId : null,
      feishuOpenId: actor.platform === 'feishu' ? actor.userId : null,
      role: listedAdmin ? 'admin' : 'member',
      locale: normalizeLocale(profile?.locale) ?? this.defaults.locale,
      timeZone: tz,
    });
  }

  /** A mentioned person: known, or registered now from a readable profile; null when neither. */
  /**
   * A mentioned person already known to dudao, or null; registers nobody. For commands about someone's records
   * (evaluations, customer links): a person dudao has never seen has none, and a refused command must leave
   * no trace.
   */
  knownMention(platform: Platform, userId: string): Promise<Member | null> {
    return this.repo.memberByPlatform(platform, userId);
  }

  async resolveMention(platform: Platform, userId: string): Promise<Member | null> {
    const known = await this.repo.memberByPlatform(platform, userId);
    if (known) return known;
    const profile = await this.profiles[platform]?.lookup(userId).catch(() => null);
    if (!profile) return null;
    return this.ensureMember({ platform, userId });
  }

  departmentByName(name: string): Promise<Department | null> {
    return this.repo.departmentByName(name.trim());
  }

  listDepartments(): Promise<Department[]> {
    return this.repo.listDepartments();
  }

  async addDepartment(name: string, manager: Member | null): Promise<Department | 'exists'> {
    if (await this.repo.departmentByName(name)) return 'exists';
    const dept = await this.repo.createDepartment({ name, managerId: manager?.id ?? null });
    if (manager)
      await this.repo.updateMember(manager.id, {
        departmentId: dept.id,
        role: manager.role === 'member' ? 'manager' : manager.role,
      });
    return dept;
  }

  /** Sets a role; a manager given a department becomes that department's manager. */
  /**
   * A role change takes away what the old role held: a manager who is no longer one (or now manages another
   * department) stops being recorded as the manager of the departments they ran, so plan rights and sight of
   * that team's evaluations go with the role. Returns those departments, for the admin to name a new manager.
   */
  async assignRole(
    target: Member,
    role: Role,
    dept: Department | null,
  ): Promise<{ member: Member; released: Department[] }> {
    const keeps = role === 'manager' ? (dept?.id ?? target.departmentId) : null;
    const released = (await this.repo.listDepartments()).filter((d) => d.managerId === target.id && d.id !== keeps);
    // Released first: a crash in between leaves the member with their old role, and running the command again
    // finishes the change.
    for (const d of released) await this.repo.updateDepartment(d.id, { managerId: null });
    const member = await this.repo.updateMember(target.id, { role, ...(dept ? { departmentId: dept.id } : {}) });
    if (dept && role === 'manager') await this.repo.updateDepartment(dept.id, { managerId: target.id });
    return { member, released };
  }

  async adminCount(): Promise<number> {
    return (await this.repo.listMembers()).filter((m) => m.role === 'admin').length;
  }

  members(filter?: { departmentId?: number }): Promise<Member[]> {
    return this.repo.listMembers(filter);
  }

  /**
   * The people a form offers for a department (a finding's responsible person, a new owner): its members, or
   * everyone while it has none, at most `max`, with `first` (its manager, the current owner) always among them.
   */
  async pickable(
    departmentId: number,
    first: number | null,
    max: number,
  ): Promise<{ people: Member[]; first: Member | null }> {
    const inDept = await this.repo.listMembers({ departmentId, limit: max });
    const pool = inDept.length > 0 ? inDept : await this.repo.listMembers({ limit: max });
    const found = first === null ? null : (pool.find((m) => m.id === first) ?? (await this.repo.memberById(first)));
    const people = found && !pool.some((m) => m.id === found.id) ? [found, ...pool] : pool;
    return { people: people.slice(0, max), first: found };
  }

  membersByIds(ids: number[]): Promise<Member[]> {
    return this.repo.membersByIds(ids);
  }

  memberById(id: number): Promise<Member | null> {
    return this.repo.memberById(id);
  }

  departmentById(id: number): Promise<Department | null> {
    return this.repo.departmentById(id);
  }
}
