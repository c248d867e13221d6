// Opening and closing cycles (`eval open`, `eval close`) and the configuration versions they are opened with.
// A cycle keeps the configuration version it was opened at, so importing a new one never changes the forms or
// the scoring of a cycle under way. Opening checks everything before it writes: a configuration whose forms
// would not fit a Slack modal or a Feishu card, an unknown department, nobody in scope, a deadline already
// past; then the cycle, its participants and each member's first card are written in one transaction.
import { DateTime } from 'luxon';
import { t } from '../../i18n/t.js';
import type { Department, Member, OutboxItem, Platform } from '../../ports.js';
import { formatDateTime } from '../../shared/format.js';
import { groupBy } from '../../shared/group.js';
import { offDayError } from '../../shared/working-day.js';
import type { Reply } from '../../views/types.js';
import { type CycleKind, DEFAULT_EVALUATION_CONFIG, type RaterKind, validateEvaluationConfig } from '../criteria.js';
import { cardItems, closingItems } from './cards.js';
import type { CycleContext } from './context.js';
import { MAX_FORM_ELEMENTS, ratingFormSize } from './forms.js';
import { defaultPeriod, type ParticipantState, runsCycles, supervisorFor } from './rules.js';
import type { CycleRecord, NewParticipant, ParticipantRecord } from './types.js';
import { denied, noCycle, say } from './views.js';

export interface OpenCycleCommand {
  kind: CycleKind;
  /** Names of departments in scope, each with its child departments; none = every department. */
  deptNames: string[];
  /** "2026-11" (monthly) or "2026" (annual), in the opener's zone; by default the current month or year. */
  period?: string;
  /** yyyy-MM-dd in the opener's zone; by default 5 working days after the period's last day (7 days without a calendar). */
  deadline?: string;
}

/** Why a command cannot go on, said to the person who gave it. */
type Refused = { refused: Reply };

export class CycleLifecycle {
  constructor(private readonly c: CycleContext) {}

  /** Seeds the policy's default configuration as version 1 (like templates.ensureDefault). */
  async ensureDefaultConfig(now: Date): Promise<void> {
    if (!(await this.c.repo.latestConfig(this.c.configKey)))
      await this.c.repo.addConfigVersion(this.c.configKey, DEFAULT_EVALUATION_CONFIG, now);
  }

  /** Adds a new configuration version; cycles already opened keep theirs. */
  async addConfig(content: unknown, now: Date) {
    const config = validateEvaluationConfig(content);
    return this.c.repo.addConfigVersion(config.key, config, now);
  }

  async open(me: Member, cmd: OpenCycleCommand, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return denied(me, ['hr', 'admin']);
    const stored = await this.c.repo.latestConfig(this.c.configKey);
    if (!stored) return say(t(l, 'evaluation.open.noConfig'));
    const config = await this.c.config(stored.id);
    for (const kind of ['self', 'supervisor', 'peer', 'customer'] as RaterKind[])
      if (ratingFormSize(config, kind) > MAX_FORM_ELEMENTS)
        return say(t(l, 'evaluation.open.tooBig', { n: MAX_FORM_ELEMENTS }));

    const inScope = await this.scopeOf(me, cmd.deptNames);
    if ('refused' in inScope) return inScope.refused;
    const { all, chosen, scope, members } = inScope;
    const period = cmd.period
      ? namedPeriod(cmd.kind, cmd.period, me.timeZone)
      : defaultPeriod(cmd.kind, now, me.timeZone);
    if (!period)
      return say(
        t(l, 'evaluation.open.badPeriod', { period: cmd.period!, cycle: t(l, `evaluation.cycle.${cmd.kind}`) }),
      );
    if (period.start > now) return say(t(l, 'evaluation.open.futurePeriod', { period: period.name }));
    const deadline = this.deadlineOf(me, cmd.deadline, period.lastDay, now);
    if ('refused' in deadline) return deadline.refused;

    const { participants, cards } = await this.openingCards(me, members, all, platform, now);
    const departmentIds = chosen.length ? [...scope] : [];
    const opened = await this.c.repo.openCycle(
      {
        kind: cmd.kind,
        name: period.name,
        periodStart: period.start,
        periodEnd: period.end,
        deadline: deadline.at,
        configVersionId: stored.id,
        openedById: me.id,
        openedAt: now,
        departmentIds,
      },
      participants,
      cards,
      now,
    );
    if (opened === 'exists')
      return this.extend(me, cmd.kind, period.name, departmentIds, chosen, participants, cards, now);
    return say(
      t(l, 'evaluation.open.done', {
        period: opened.name,
        cycle: t(l, `evaluation.cycle.${opened.kind}`),
        n: members.length,
        depts: chosen.length ? chosen.map((x) => x.name).join(', ') : t(l, 'status.allDepts'),
        deadline: formatDateTime(opened.deadline, l, me.timeZone),
      }),
      'success',
    );
  }

  /** The named departments with their children (every department when none is named) and the members in them. */
  private async scopeOf(
    me: Member,
    deptNames: string[],
  ): Promise<Refused | { all: Department[]; chosen: Department[]; scope: Set<number>; members: Member[] }> {
    const l = me.locale;
    const all = await this.c.org.listDepartments();
    const chosen: Department[] = [];
    for (const name of deptNames) {
      const dept = all.find((x) => x.name === name);
      if (!dept) {
        const known =
          all
            .map((x) => x.name)
            .slice(0, 20)
            .join(', ') || t(l, 'common.none');
        return { refused: say(t(l, 'dept.unknown', { name, known })) };
      }
      if (!chosen.includes(dept)) chosen.push(dept);
    }
    const scope = new Set(chosen.length ? withChildren(chosen, all) : all.map((x) => x.id));
    const members = (await this.c.org.members()).filter((m) => m.departmentId !== null && scope.has(m.departmentId));
    if (members.length === 0) return { refused: say(t(l, 'evaluation.open.nobody')) };
    return { all, chosen, scope, members };
  }

  /** The cycle's deadline: the date given (a future working day), or by default some days after the period. */
  private deadlineOf(me: Member, given: string | undefined, lastDay: string, now: Date): Refused | { at: Date } {
    const l = me.locale;
    const calendar = this.c.d.calendar;
    if (given) {
      const d = DateTime.fromISO(given, { zone: me.timeZone });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || !d.isValid) return { refused: say(t(l, 'form.err.date')) };
      const at = this.endOf(given, me.timeZone);
      if (at <= now) return { refused: say(t(l, 'evaluation.open.pastDeadline')) };
      const off = calendar ? offDayError(given, calendar, l) : null;
      if (off) return { refused: say(off) };
      return { at };
    }
    const after = (day: string) =>
      calendar ? calendar.addWorkingDays(day, 5) : DateTime.fromISO(day).plus({ days: 7 }).toISODate()!;
    const at = this.endOf(after(lastDay), me.timeZone);
    // A past period opened late: the default deadline counts from today instead.
    if (at > now) return { at };
    const today = DateTime.fromJSDate(now, { zone: me.timeZone }).toISODate()!;
    return { at: this.endOf(after(today), me.timeZone) };
  }

  /** Each member's participation (with their supervisor) and the first card each is sent, drawn in the transaction. */
  private async openingCards(me: Member, members: Member[], all: Department[], platform: Platform, now: Date) {
    const depts = new Map(all.map((x) => [x.id, x]));
    const participants: NewParticipant[] = members.map((m) => ({
      memberId: m.id,
      departmentId: m.departmentId,
      supervisorId: supervisorFor(m, depts, me.id),
      customerFacing: false,
    }));
    const people = new Map(
      (
        await this.c.org.membersByIds([
          ...new Set([
            ...members.map((m) => m.id),
            ...participants.flatMap((p) => (p.supervisorId ? [p.supervisorId] : [])),
          ]),
        ])
      ).map((m) => [m.id, m]),
    );
    const cards = (cycle: CycleRecord, rows: ParticipantRecord[]) =>
      rows.flatMap((p) => {
        const member = people.get(p.memberId);
        if (!member) return [];
        const state: ParticipantState = { cycle, participant: p, submissions: [], nominations: [] };
        const lead = t(member.locale, 'evaluation.notice.opened', {
          period: cycle.name,
          deadline: formatDateTime(cycle.deadline, member.locale, member.timeZone),
        });
        return cardItems(state, member, people, platform, { lead, post: true, tag: 'open', now });
      });
    return { participants, cards };
  }

  /**
   * Departments join a period's cycle one by one (stores open theirs when they are ready): opening the same
   * kind and period again for departments it does not cover yet adds their people to the open cycle, with
   * its deadline and configuration. Everyone already in it stays as they are.
   */
  private async extend(
    me: Member,
    kind: CycleKind,
    name: string,
    departmentIds: number[],
    chosen: Department[],
    participants: NewParticipant[],
    cards: (cycle: CycleRecord, rows: ParticipantRecord[]) => OutboxItem[],
    now: Date,
  ): Promise<Reply> {
    const l = me.locale;
    const exists = say(t(l, 'evaluation.open.exists', { period: name, cycle: t(l, `evaluation.cycle.${kind}`) }));
    const cycle = await this.c.repo.cycleByName(name, kind);
    if (cycle?.status !== 'open' || cycle.departmentIds.length === 0) return exists;
    const covered = new Set(cycle.departmentIds);
    const wider = departmentIds.length === 0 ? [] : [...new Set([...cycle.departmentIds, ...departmentIds])];
    if (wider.length > 0 && wider.every((id) => covered.has(id))) return exists;
    const added = await this.c.repo.extendCycle(cycle.id, wider, participants, cards, now);
    if (added === 'closed') return exists;
    return say(
      t(l, 'evaluation.open.extended', {
        period: cycle.name,
        cycle: t(l, `evaluation.cycle.${kind}`),
        n: added.length,
        depts: chosen.length ? chosen.map((x) => x.name).join(', ') : t(l, 'status.allDepts'),
        deadline: formatDateTime(cycle.deadline, l, me.timeZone),
      }),
      'success',
    );
  }

  /**
   * `eval close [cycle]`: without a name, the newest open cycle (never a closed one by default). In the closing
   * transaction, every participant's cards are redrawn as closed without buttons and each person who still
   * had a step to take is told (cards.ts closingItems); the cycle's participants, submissions and nominations
   * are read once, in bulk.
   */
  async close(me: Member, name: string | undefined, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return denied(me, ['hr', 'admin']);
    const cycle = name ? await this.c.findCycle(name) : ((await this.c.repo.listCycles({ status: 'open' }))[0] ?? null);
    if (!cycle) return noCycle(l, name);
    const already = say(t(l, 'evaluation.close.already', { period: cycle.name }));
    if (cycle.status !== 'open') return already;
    const { participants, submissions, nominations } = await this.c.repo.cycleContents(cycle.id);
    const subsOf = groupBy(submissions, (x) => x.participantId);
    const nomsOf = groupBy(nominations, (x) => x.participantId);
    const states: ParticipantState[] = participants.map((p) => ({
      cycle,
      participant: p,
      submissions: subsOf.get(p.id) ?? [],
      nominations: nomsOf.get(p.id) ?? [],
    }));
    const ids = new Set<number>();
    for (const s of states) {
      ids.add(s.participant.memberId);
      if (s.participant.supervisorId !== null) ids.add(s.participant.supervisorId);
      for (const n of s.nominations) ids.add(n.peerId);
    }
    const people = new Map((await this.c.org.membersByIds([...ids])).map((m) => [m.id, m]));
    let counts = { cards: 0, told: 0 };
    const closed = await this.c.repo.closeCycle(cycle.id, now, (c) => {
      const { items, ...n } = closingItems(states, c, people, me, platform, now);
      counts = n;
      return items;
    });
    if (!closed) return already;
    const done = t(l, 'evaluation.close.done', { period: cycle.name, cycle: t(l, `evaluation.cycle.${cycle.kind}`) });
    return say(`${done}\n${t(l, 'evaluation.close.told', counts)}`, 'success');
  }

  /** The deadline instant: the end of working hours (EvaluationDeps.endOfDay) of a local date. */
  private endOf(localDate: string, zone: string): Date {
    const [h, m] = this.c.d.endOfDay.split(':').map(Number);
    return DateTime.fromISO(localDate, { zone }).set({ hour: h, minute: m }).toUTC().toJSDate();
  }
}

/** The named departments and all their descendants (ids). */
function withChildren(chosen: readonly Department[], all: readonly Department[]): number[] {
  const ids = new Set(chosen.map((x) => x.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of all)
      if (d.parentId !== null && ids.has(d.parentId) && !ids.has(d.id)) {
        ids.add(d.id);
        grew = true;
      }
  }
  return [...ids];
}

/** An explicit period (`eval open monthly 2026-11`, `eval open annual 2026`) in the opener's zone; null when it is not one of its kind. */
export function namedPeriod(
  kind: CycleKind,
  name: string,
  zone: string,
): { name: string; start: Date; end: Date; lastDay: string } | null {
  const m = kind === 'monthly' ? /^(\d{4})-(\d{2})$/.exec(name) : /^(\d{4})$/.exec(name);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  if (year < 2000 || month < 1 || month > 12) return null;
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone });
  if (!start.isValid) return null;
  const end = kind === 'monthly' ? start.plus({ months: 1 }) : start.plus({ years: 1 });
  return {
    name,
    start: start.toUTC().toJSDate(),
    end: end.toUTC().toJSDate(),
    lastDay: end.minus({ days: 1 }).toISODate()!,
  };
}
