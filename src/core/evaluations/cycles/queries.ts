// What people may ask about cycles without changing anything: `eval status` (HR and admins for all
// departments, managers for their own), `eval summary`, `eval result` and the result button (privacy.ts
// decides who sees which part), and the evaluations waiting for someone (`eval mine`, the `my` command, the
// reminder sweep).

import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';
import type { Member, Platform } from '../../ports.js';
import { lit, mentionOf } from '../../views/text.js';
import type { Block, MessageView, Reply } from '../../views/types.js';
import { mayView } from '../privacy.js';
import { computeCycleSummary, cycleSummaryMessage } from '../summary.js';
import { evaluationResultMessage } from '../views.js';
import type { CycleContext } from './context.js';
import { accessContext, mayAct, type ParticipantState, pendingOwners, runsCycles, viewerOf } from './rules.js';
import type { CycleRecord, ParticipantRecord } from './types.js';
import { denied, noCycle, type PendingLine, pendingMessage, type StatusRow, say, statusMessage } from './views.js';
import { visibleSubmissions, writtenBlocks } from './written.js';

export class CycleQueries {
  constructor(private readonly c: CycleContext) {}

  async status(me: Member, name?: string): Promise<Reply> {
    const l = me.locale;
    const depts = await this.c.org.listDepartments();
    let visible: Set<number> | null = null;
    if (!runsCycles(me)) {
      if (me.role !== 'manager') return denied(me, ['hr', 'admin', 'manager']);
      visible = new Set(depts.filter((x) => x.managerId === me.id || x.id === me.departmentId).map((x) => x.id));
    }
    const cycle = await this.c.findCycle(name);
    if (!cycle) return noCycle(l, name);
    const rows = new Map<string, StatusRow>();
    for (const p of await this.c.repo.participants(cycle.id)) {
      if (visible && (p.departmentId === null || !visible.has(p.departmentId))) continue;
      const dept = depts.find((x) => x.id === p.departmentId)?.name ?? t(l, 'common.none');
      const row =
        rows.get(dept) ??
        rows
          .set(dept, { department: dept, counts: { self: 0, supervisor: 0, review: 0, acknowledge: 0, done: 0 } })
          .get(dept)!;
      row.counts[p.stage]++;
    }
    return {
      kind: 'message',
      visibility: 'private',
      message: statusMessage(
        cycle,
        [...rows.values()].sort((a, b) => a.department.localeCompare(b.department)),
        me,
      ),
    };
  }

  /** `eval summary [cycle]`: HR's cycle summary (summary.ts), with where the export files come from. */
  async summary(me: Member, name?: string): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return denied(me, ['hr', 'admin']);
    const cycle = await this.c.findCycle(name);
    if (!cycle) return noCycle(l, name);
    if (!this.c.d.summaries) return say(t(l, 'evaluation.summary.files', { cycle: cycle.name }));
    const input = await this.c.d.summaries.summaryInput(cycle.id);
    const message = cycleSummaryMessage(computeCycleSummary(input), input.config, l);
    const files = t(l, 'evaluation.summary.files', { cycle: cycle.name });
    return {
      kind: 'message',
      visibility: 'private',
      message: { ...message, blocks: [...message.blocks, { kind: 'divider' }, { kind: 'context', text: files }] },
    };
  }

  /** `eval result [@member] [cycle]`: without a cycle, the member's newest. */
  async result(me: Member, platform: Platform, mention?: string, cycleName?: string): Promise<Reply> {
    const l = me.locale;
    const target = mention ? await this.c.org.knownMention(platform, mention) : me;
    if (!target) return say(t(l, 'member.unknownMention', { mention: mentionOf(mention ?? '') }));
    const cycle = cycleName ? await this.c.findCycle(cycleName) : null;
    if (cycleName && !cycle) return say(t(l, 'evaluation.cycle.unknown', { name: cycleName }));
    const list = await this.c.repo.participantsOfMember(target.id);
    const p = cycle ? list.find((x) => x.cycleId === cycle.id) : list[0];
    if (!p) return say(t(l, 'evaluation.result.none', { name: target.displayName }));
    return this.showResult(me, p);
  }

  /** The result button on a card. */
  async resultOf(me: Member, participantId: number): Promise<Reply> {
    const p = await this.c.repo.participantById(participantId);
    return p ? this.showResult(me, p) : say(t(me.locale, 'evaluation.unknown'));
  }

  private async showResult(me: Member, p: ParticipantRecord): Promise<Reply> {
    const l = me.locale;
    const s = await this.c.state(p);
    const ctx = await this.access(s);
    const ok = mayView(viewerOf(me), ctx, 'result');
    const config = await this.c.config(s.cycle.configVersionId);
    const memberName = await this.c.memberName(p.memberId);
    // The written evaluations the reader may see (privacy.ts): everything for the supervisor, HR and admins; the
    // member's own and, after the review, the supervisor's for the member; what they wrote for a peer.
    const list = visibleSubmissions(viewerOf(me), ctx, s.submissions);
    const names = new Map(
      (
        await this.c.org.membersByIds([
          ...new Set(list.flatMap((x) => (x.raterMemberId !== null ? [x.raterMemberId] : []))),
        ])
      ).map((m) => [m.id, m.displayName]),
    );
    const written = writtenBlocks(config, list, { locale: l, readerIsMember: me.id === p.memberId, memberName, names });
    const withWritten = (lead: string): Reply =>
      written.length === 0
        ? say(t(l, lead as MessageKey))
        : {
            kind: 'message',
            visibility: 'private',
            message: {
              text: t(l, lead as MessageKey),
              blocks: [{ kind: 'text', text: t(l, lead as MessageKey) }, ...written],
            },
          };
    if (ok !== true) return withWritten(ok);
    if (!p.result) return withWritten('evaluation.result.notYet');
    const msg = evaluationResultMessage(config, p.result, { memberName, period: s.cycle.name }, l);
    const extra: Block[] = [...written];
    if (p.reviewedAt && mayView(viewerOf(me), ctx, 'review') === true)
      extra.push(
        { kind: 'divider' },
        {
          kind: 'text',
          text: `*${t(l, 'evaluation.form.plan')}*\n${lit(p.reviewPlan ?? '')}\n*${t(l, 'evaluation.form.goals')}*\n${lit(p.nextGoals ?? '')}`,
        },
      );
    if (mayAct('ack', s, { member: me }, s.cycle.openedAt) === true)
      extra.push({
        kind: 'actions',
        buttons: [
          { actionId: 'eval.ack', label: t(l, 'evaluation.action.ack'), value: String(p.id), style: 'primary' },
        ],
      });
    return { kind: 'message', visibility: 'private', message: { ...msg, blocks: [...msg.blocks, ...extra] } };
  }

  /** What privacy.ts is told of a participant, with the department's manager, who may read what the participant's supervisor may. */
  private async access(s: ParticipantState) {
    const dept = s.participant.departmentId ? await this.c.org.departmentById(s.participant.departmentId) : null;
    return accessContext(s, dept?.managerId ?? null);
  }

  /** `eval mine`. */
  async mine(me: Member, now?: Date): Promise<Reply> {
    return { kind: 'message', visibility: 'private', message: pendingMessage(await this.pendingLines(me, now), me) };
  }

  /** "Evaluations waiting for me", for `eval mine` and the `my` command. */
  async pendingLines(me: Member, now?: Date): Promise<PendingLine[]> {
    const pending = await this.c.repo.pendingFor(me.id);
    const lines: PendingLine[] = [];
    const cycles = new Map<number, CycleRecord | null>();
    const cycleOf = async (id: number) =>
      cycles.has(id) ? cycles.get(id)! : cycles.set(id, await this.c.repo.cycleById(id)).get(id)!;
    const add = async (p: ParticipantRecord, kind: PendingLine['kind'], value?: string) => {
      const c = await cycleOf(p.cycleId);
      if (c)
        lines.push({
          participantId: p.id,
          kind,
          memberName: '',
          period: c.name,
          deadline: c.deadline,
          ...(value ? { value } : {}),
        });
    };
    for (const p of pending.asMember) await add(p, p.stage === 'self' ? 'self' : 'ack');
    for (const p of pending.asSupervisor) await add(p, p.stage === 'review' ? 'review' : 'supervisor');
    for (const p of pending.asPeer) await add(p, 'peer');
    for (const n of pending.toDecide) {
      const p = await this.c.repo.participantById(n.participantId);
      if (p) await add(p, 'decide', `${p.id}:${n.peerId}`);
    }
    // What an annual score waits for that this supervisor can do: a customer's answer, or "Score now".
    for (const p of pending.awaiting) {
      const c = await cycleOf(p.cycleId);
      if (!c) continue;
      for (const o of pendingOwners(await this.c.state(p, c), now))
        if (o.memberId === me.id && (o.kind === 'customer' || o.kind === 'score')) await add(p, o.kind);
    }
    const ids = new Set<number>();
    const byId = new Map<number, ParticipantRecord>();
    for (const p of [...pending.asMember, ...pending.asSupervisor, ...pending.asPeer, ...pending.awaiting])
      byId.set(p.id, p);
    for (const l of lines)
      ids.add(
        byId.get(l.participantId)?.memberId ?? (await this.c.repo.participantById(l.participantId))?.memberId ?? 0,
      );
    const names = new Map((await this.c.org.membersByIds([...ids])).map((m) => [m.id, m.displayName]));
    for (const l of lines) {
      const p = byId.get(l.participantId) ?? (await this.c.repo.participantById(l.participantId));
      l.memberName = p ? (names.get(p.memberId) ?? `#${p.memberId}`) : '?';
    }
    return lines;
  }

  /** The section the `my` command appends, or nothing when no evaluation waits for the member. */
  async mySection(me: Member, now?: Date): Promise<MessageView['blocks']> {
    const lines = await this.pendingLines(me, now);
    if (lines.length === 0) return [];
    const msg = pendingMessage(lines, me);
    return [{ kind: 'text', text: `*${t(me.locale, 'evaluation.pending.title')}*` }, ...msg.blocks.slice(1)];
  }

  /** Pending steps of one participant (the reminder sweep). */
  async pendingState(p: ParticipantRecord, cycle: CycleRecord) {
    const s = await this.c.state(p, cycle);
    return { state: s, owners: pendingOwners(s) };
  }
}
