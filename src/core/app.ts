// The core behind both platforms: parses a command, checks who may run it, and answers with a view.

import { helpMessage, prefixFor } from './commands/help.js';
import { MAX_COMMAND_CHARS } from './commands/limits.js';
import { type Command, parseCommand } from './commands/parse.js';
import type { EvaluationCycleService } from './evaluations/cycles/service.js';
import type { ActionInput, CommandInput, DudaoCore, FormSubmitInput } from './facade.js';
import type { FlowRoutes } from './flows/registry.js';
import { pick, t } from './i18n/t.js';
import type { FollowUpQueue } from './inspections/follow-ups.js';
import type { InspectionService } from './inspections/service.js';
import { INSPECTOR_ROLES, mayInspect } from './inspections/service.js';
import type { OrgService } from './org/service.js';
import type { Department, Locale, Member, Platform, Role } from './ports.js';
import { ROLES } from './ports.js';
import { myMessage } from './rectification/lists.js';
import { overdueReply } from './rectification/overdue.js';
import type { RectificationService } from './rectification/service.js';
import { ACTIVE_STATUSES, type FindingRecord, type FindingRepo } from './rectification/types.js';
import type { StatusRepo } from './status/types.js';
import { findingsMessage, statusMessage } from './status/views.js';
import { itemCount, type TemplateService, templateOf } from './templates/service.js';
import { headedMessage } from './views/lists.js';
import { lit, mentionOf } from './views/text.js';
import type { FormOutcome, Reply } from './views/types.js';

export interface CoreDeps {
  /** Every form type and button action, by name, to its handler (create-core.ts fills it). */
  routes: FlowRoutes;
  /** Work left for after earlier answers, which waits while a request is answered here. */
  followUps?: FollowUpQueue;
  org: OrgService;
  templates: TemplateService;
  inspections: InspectionService;
  status: StatusRepo;
  rectification: RectificationService;
  findings: FindingRepo;
  /** Runs a reminder sweep now (`remind now`); absent when reminders are off. */
  remindNow?: (now: Date) => Promise<{ reminders: number; digests: number }>;
  /** Evaluation cycles (issue 4); absent in setups without them. */
  evaluations?: EvaluationCycleService;
  /** When an open finding's plan is due (reminder rules); `overdue` then also lists late plans. */
  planDueAt?: (f: Pick<FindingRecord, 'createdAt'>, owner: Member | null) => Date | null;
}

const say = (
  text: string,
  visibility: 'private' | 'public' = 'private',
  tone?: 'warning' | 'danger' | 'success',
): Reply => ({
  kind: 'message',
  visibility,
  message: { text, tone, blocks: [{ kind: 'text', text }] },
});

const FINDINGS_LIMIT = 30;

export class Core implements DudaoCore {
  constructor(private readonly d: CoreDeps) {}

  private denied(locale: Locale, roles: Role[]): Reply {
    return say(
      t(locale, 'perm.denied', { roles: roles.map((r) => t(locale, `role.${r}`)).join(' / ') }),
      'private',
      'warning',
    );
  }

  private async unknownDept(locale: Locale, name: string): Promise<Reply> {
    const known = (await this.d.org.listDepartments()).map((x) => x.name).slice(0, 20);
    return say(
      t(locale, 'dept.unknown', { name, known: known.join(', ') || t(locale, 'common.none') }),
      'private',
      'warning',
    );
  }

  /** A request's answer; the work left for after earlier answers waits for it (follow-ups.ts). */
  private answering<T>(answer: () => Promise<T>): Promise<T> {
    return this.d.followUps ? this.d.followUps.answering(answer) : answer();
  }

  command(input: CommandInput): Promise<Reply> {
    return this.answering(() => this.answerCommand(input));
  }

  private async answerCommand(input: CommandInput): Promise<Reply> {
    const me = await this.d.org.ensureMember(input.actor);
    if (input.text.length > MAX_COMMAND_CHARS) {
      return say(t(me.locale, 'help.tooLong', { max: MAX_COMMAND_CHARS }), 'private', 'warning');
    }
    const parsed = parseCommand(input.text);
    if (!parsed.ok) {
      if (parsed.kind === 'unknown') {
        const lead = t(me.locale, 'help.unknown', { input: parsed.input, suggestion: parsed.suggestion });
        return {
          kind: 'message',
          visibility: 'private',
          message: helpMessage(me.locale, input.actor.platform, parsed.suggestion, lead),
        };
      }
      const lead =
        parsed.detail === 'unknownRole'
          ? t(me.locale, 'role.unknown', {
              role: parsed.value ?? '',
              roles: ROLES.map((r) => `${r} (${t(me.locale, `role.${r}`)})`).join(', '),
            })
          : undefined;
      return {
        kind: 'message',
        visibility: 'private',
        message: helpMessage(me.locale, input.actor.platform, parsed.topic, lead),
      };
    }
    return this.run(parsed.command, me, input);
  }

  private async run(cmd: Command, me: Member, input: CommandInput): Promise<Reply> {
    const { locale } = me;
    const platform = input.actor.platform;
    switch (cmd.name) {
      case 'help':
        return { kind: 'message', visibility: 'private', message: helpMessage(locale, platform, cmd.topic) };
      case 'dept.list':
        return this.deptList(me);
      case 'dept.add':
        return this.deptAdd(cmd, me, platform);
      case 'role':
        return this.role(cmd, me, platform);
      case 'template.list':
        return this.templateList(locale);
      case 'inspect': {
        if (!mayInspect(me)) return this.denied(locale, [...INSPECTOR_ROLES]);
        const dept = await this.d.org.departmentByName(cmd.deptName);
        if (!dept) return this.unknownDept(locale, cmd.deptName);
        if (input.forms === false)
          return say(
            t(locale, 'help.formNeedsSlash', { command: `${prefixFor(platform)} ${input.text.trim()}` }),
            'private',
            'warning',
          );
        const form = await this.d.inspections.start(me, dept, platform, input.channelId, input.now);
        if (form === 'noTemplate') return say(t(locale, 'inspect.noTemplate'), 'private', 'warning');
        return { kind: 'form', form };
      }
      case 'status':
      case 'findings':
        return this.query(cmd, me, input.now);
      case 'finding':
        return this.d.rectification.show(me, cmd.id);
      case 'my':
        return this.my(me, input.now);
      case 'overdue':
        return this.overdue(me, cmd.deptName, input.now);
      case 'remind': {
        if (me.role !== 'admin') return this.denied(locale, ['admin']);
        if (!this.d.remindNow) return say(t(locale, 'remind.off'), 'private', 'warning');
        const r = await this.d.remindNow(input.now);
        return say(t(locale, 'remind.done', { n: r.reminders, digests: r.digests }), 'private', 'success');
      }
      case 'eval':
        if (!this.d.evaluations) return say(t(locale, 'action.unknown'));
        return this.d.evaluations.command(me, cmd.eval, platform, input.now);
    }
  }

  private async deptAdd(cmd: Extract<Command, { name: 'dept.add' }>, me: Member, platform: Platform): Promise<Reply> {
    const { locale } = me;
    if (me.role !== 'admin') return this.denied(locale, ['admin']);
    if (cmd.deptName.length > 80) return say(t(locale, 'dept.nameInvalid'));
    let manager: Member | null = null;
    if (cmd.managerMention) {
      manager = await this.d.org.resolveMention(platform, cmd.managerMention);
      if (!manager)
        return say(
          t(locale, 'member.unknownMention', { mention: mentionOf(cmd.managerMention) }),
          'private',
          'warning',
        );
    }
    const made = await this.d.org.addDepartment(cmd.deptName, manager);
    if (made === 'exists') return say(t(locale, 'dept.exists', { name: cmd.deptName }), 'private', 'warning');
    return say(
      manager
        ? t(locale, 'dept.createdWithManager', { name: made.name, manager: manager.displayName })
        : t(locale, 'dept.created', { name: made.name }),
      'private',
      'success',
    );
  }

  private async role(cmd: Extract<Command, { name: 'role' }>, me: Member, platform: Platform): Promise<Reply> {
    const { locale } = me;
    if (me.role !== 'admin') return this.denied(locale, ['admin']);
    const target = await this.d.org.resolveMention(platform, cmd.mention);
    if (!target)
      return say(t(locale, 'member.unknownMention', { mention: mentionOf(cmd.mention) }), 'private', 'warning');
    let dept: Department | null = null;
    if (cmd.deptName) {
      dept = await this.d.org.departmentByName(cmd.deptName);
      if (!dept) return this.unknownDept(locale, cmd.deptName);
    }
    if (target.id === me.id && cmd.role !== 'admin' && (await this.d.org.adminCount()) <= 1)
      return say(t(locale, 'role.lastAdmin'), 'private', 'warning');
    const { member: updated, released } = await this.d.org.assignRole(target, cmd.role, dept);
    const lines = [
      t(locale, 'role.assigned', {
        name: updated.displayName,
        role: t(locale, `role.${cmd.role}`),
        dept: dept ? t(locale, 'role.inDept', { dept: dept.name }) : '',
      }),
      ...released.map((d) => t(locale, 'role.managerReleased', { name: updated.displayName, dept: d.name })),
    ];
    return say(lines.join('\n'), 'private', 'success');
  }

  private async my(me: Member, now: Date): Promise<Reply> {
    const mine = await this.d.findings.list({ memberId: me.id, statuses: ACTIVE_STATUSES, limit: FINDINGS_LIMIT });
    const judge =
      me.role === 'admin' || me.role === 'supervisor'
        ? await this.d.findings.list({ statuses: ['submitted'], limit: FINDINGS_LIMIT })
        : { rows: [], total: 0 };
    const message = myMessage(mine.rows, judge.rows, me, now);
    // "Evaluations waiting for me" follows the findings.
    const evaluations = this.d.evaluations ? await this.d.evaluations.mySection(me, now) : [];
    if (evaluations.length > 0 && mine.rows.length + judge.rows.length === 0)
      message.blocks = message.blocks.slice(0, 1);
    return {
      kind: 'message',
      visibility: 'private',
      message: { ...message, blocks: [...message.blocks, ...evaluations] },
    };
  }

  private async overdue(me: Member, deptName: string | undefined, now: Date): Promise<Reply> {
    const wide = me.role === 'admin' || me.role === 'supervisor';
    let dept: Department | null = null;
    if (deptName) {
      dept = await this.d.org.departmentByName(deptName);
      if (!dept) return this.unknownDept(me.locale, deptName);
    } else if (!wide) dept = me.departmentId ? await this.d.org.departmentById(me.departmentId) : null;
    if (!wide && (!dept || dept.id !== me.departmentId)) return this.denied(me.locale, ['supervisor', 'admin']);
    return overdueReply(this.d, me, dept, now);
  }

  private async deptList(me: Member): Promise<Reply> {
    const { locale } = me;
    const depts = await this.d.org.listDepartments();
    if (depts.length === 0) return say(t(locale, 'dept.listEmpty'));
    const managers = await this.d.org.membersByIds(depts.flatMap((x) => (x.managerId ? [x.managerId] : [])));
    const name = (id: number | null) => managers.find((m) => m.id === id)?.displayName;
    const lines = depts.map((x) => {
      const mgr = name(x.managerId);
      return `- *${lit(x.name)}* — ${mgr ? t(locale, 'dept.manager', { name: mgr }) : t(locale, 'dept.noManager')}`;
    });
    return {
      kind: 'message',
      visibility: 'private',
      message: headedMessage(t(locale, 'dept.listTitle'), lines.join('\n')),
    };
  }

  private async templateList(locale: Locale): Promise<Reply> {
    const list = await this.d.templates.list();
    if (list.length === 0) return say(t(locale, 'template.none'));
    const lines = list.map((s) => {
      const tpl = templateOf(s);
      return (
        '- ' +
        t(locale, 'template.line', {
          name: pick(tpl.name, locale),
          key: s.key,
          version: s.version,
          dimensions: tpl.dimensions.length,
          items: itemCount(tpl),
        })
      );
    });
    return {
      kind: 'message',
      visibility: 'private',
      message: headedMessage(t(locale, 'template.listTitle'), lines.join('\n')),
    };
  }

  /** Supervisors and admins see every department; managers and members their own. */
  private async query(cmd: Extract<Command, { name: 'status' | 'findings' }>, me: Member, now: Date): Promise<Reply> {
    const { locale } = me;
    const wide = me.role === 'admin' || me.role === 'supervisor';
    let dept: Department | null = null;
    if (cmd.deptName) {
      dept = await this.d.org.departmentByName(cmd.deptName);
      if (!dept) return this.unknownDept(locale, cmd.deptName);
    } else if (!wide) {
      dept = me.departmentId ? await this.d.org.departmentById(me.departmentId) : null;
      if (!dept) return this.denied(locale, ['supervisor', 'admin']);
    }
    if (!wide && dept && dept.id !== me.departmentId) return this.denied(locale, ['supervisor', 'admin']);
    const scope = dept?.name ?? t(locale, 'status.allDepts');
    if (cmd.name === 'status') {
      const s = await this.d.status.departmentStatus(dept?.id ?? null);
      const current = await this.d.templates.current();
      const names = await this.names(s.oldestOpen ? [s.oldestOpen.responsibleMemberId] : []);
      return {
        kind: 'message',
        visibility: 'private',
        message: statusMessage(s, scope, current ? templateOf(current) : null, names, me, now),
      };
    }
    const { rows, total } = await this.d.status.findings({
      departmentId: dept?.id ?? null,
      status: cmd.filter,
      limit: FINDINGS_LIMIT,
    });
    const names = await this.names(rows.map((r) => r.responsibleMemberId));
    const depts = new Map((await this.d.org.listDepartments()).map((x) => [x.id, x]));
    return {
      kind: 'message',
      visibility: 'private',
      message: findingsMessage({ rows, total, scope, names, depts }, cmd.filter, me, now),
    };
  }

  private async names(ids: number[]): Promise<Map<number, string>> {
    const members = await this.d.org.membersByIds([...new Set(ids)]);
    return new Map(members.map((m) => [m.id, m.displayName]));
  }

  submitForm(input: FormSubmitInput): Promise<FormOutcome> {
    return this.answering(async () => {
      const me = await this.d.org.ensureMember(input.actor);
      const handler = this.d.routes.formHandler(input.formType);
      if (!handler) return { kind: 'refused', message: t(me.locale, 'inspect.err.expired', { dept: '…' }) };
      return handler(me, input);
    });
  }

  action(input: ActionInput): Promise<Reply> {
    return this.answering(() => this.answerAction(input));
  }

  private async answerAction(input: ActionInput): Promise<Reply> {
    const me = await this.d.org.ensureMember(input.actor);
    const reply = await this.d.routes.actionHandler(input.actionId)?.(me, input);
    if (reply) return reply;
    // An unknown or malformed button (an old message, a forged payload): explain and change nothing.
    return {
      kind: 'message',
      visibility: 'private',
      message: helpMessage(me.locale, input.actor.platform, undefined, t(me.locale, 'action.unknown')),
    };
  }
}

export type { Platform };
