// Evaluation cycles in chat (issue 4): open → self-evaluation → supervisor evaluation (annual: peers and
// customers too) → score → review conversation → acknowledgement. Every step checks who may take it and
// that the cycle is open, applies with a conditional update, and writes the cards of the people it concerns
// (updated in place, refKey per participant per person) and a notice to whoever acts next in the same
// transaction.
import { DateTime } from 'luxon';
import type { Department, Member, OutboxItem, OutboxRepo, Platform, Role } from '../../ports.js';
import { t } from '../../i18n/t.js';
import type { MessageKey } from '../../i18n/messages.js';
import type { OrgService } from '../../org/service.js';
import { platformFor } from '../../rectification/service.js';
import { formatDateTime } from '../../shared/format.js';
import type { Block, FormOutcome, MessageView, Reply } from '../../views/types.js';
import { DEFAULT_EVALUATION_CONFIG, validateEvaluationConfig, type CycleKind, type EvaluationConfig, type RaterKind } from '../criteria.js';
import { mayView, type EvaluationAccessContext, type EvaluationPart, type EvaluationViewer } from '../privacy.js';
import { scoreEvaluation, type RaterSubmission, type Submissions } from '../scoring.js';
import { evaluationResultMessage } from '../views.js';
import { CustomerLinkError, type CustomerLinkService } from '../customer-link.js';
import { computeCycleSummary, cycleSummaryMessage, type SummarySource } from '../summary.js';
import type { ExportFormat } from '../export.js';
import { requestExport } from './export-command.js';
import { customerKey, EVAL_FORM_PREFIX, MAX_FORM_ELEMENTS, parseFormId, ratingForm, ratingFormSize, reviewForm, validateRating, validateReview, type CleanRating } from './forms.js';
import { ANSWERING, approvedPeers, cardActions, defaultPeriod, isEvalAction, mayAct, peersPending, pendingOwners, readyToScore, runsCycles, supervisorFor, type EvalAction, type ParticipantState, type Refusal } from './rules.js';
import { bumpsVersion, type CycleRecord, type EvaluationRepo, type NominationRecord, type ParticipantPatch, type ParticipantRecord, type ParticipantTransition, type Stage, type SubmissionRecord, type TransitionFailure } from './types.js';
import { nominationCard, participantCard, pendingMessage, statusMessage, type PendingLine, type StatusRow } from './views.js';
import { PeerNominations, PEERS_FORM } from './nominations.js';

export type EvalCommand =
  | { sub: 'open'; kind: CycleKind; deptNames: string[]; deadline?: string }
  | { sub: 'status'; cycle?: string }
  | { sub: 'close'; cycle?: string }
  | { sub: 'mine' }
  | { sub: 'peers'; mentions: string[] }
  | { sub: 'customer-facing'; mention: string; value: boolean }
  | { sub: 'customer'; mention: string }
  | { sub: 'result'; mention?: string; cycle?: string }
  | { sub: 'link'; mention: string; customer: string }
  | { sub: 'summary'; cycle?: string }
  | { sub: 'export'; cycle?: string; format?: ExportFormat };

export interface EvaluationDeps {
  repo: EvaluationRepo;
  org: OrgService;
  /** Working days for the default deadline (the reminder calendar); plain +7 days without it. */
  calendar?: { addWorkingDays(localDate: string, n: number): string } | null;
  /** Local time a deadline date ends (the end of working hours). */
  endOfDay: string;
  configKey?: string;
  /** One-time customer links for `eval link` (customer-link.ts). */
  links?: Pick<CustomerLinkService, 'createCustomerLink'>;
  /** The cycle summary for `eval summary` (summary.ts; src/store/evaluation-summary-repo.ts). */
  summaries?: SummarySource;
  /** Where `eval export` queues its request (export-command.ts). */
  outbox?: Pick<OutboxRepo, 'enqueue'>;
}

/** Why a customer's answer was not saved (recordCustomerSubmission). */
export type CustomerRefusal = Refusal | 'invalid' | 'stale' | 'unknown' | 'used' | 'expired';

const say = (text: string, tone: 'warning' | 'success' | 'danger' = 'warning'): Reply => ({ kind: 'message', visibility: 'private', message: { text, tone, blocks: [{ kind: 'text', text }] } });

export class EvaluationCycleService {
  private readonly configs = new Map<number, EvaluationConfig>();
  /** `eval peers` and the "Nominate peers" form (nominations.ts). */
  private readonly peers: PeerNominations;

  constructor(private readonly d: EvaluationDeps) {
    this.peers = new PeerNominations({
      repo: d.repo,
      org: d.org,
      annualParticipant: (id) => this.annualParticipant(id),
      state: (p, cycle) => this.state(p, cycle),
      refusal: (me, why, action) => this.refusal(me, why, action),
      failure: (me, reason, action) => this.failure(me, reason, action),
    });
  }

  private get key() {
    return this.d.configKey ?? DEFAULT_EVALUATION_CONFIG.key;
  }

  /** Seeds the policy's default configuration as version 1 (like templates.ensureDefault). */
  async ensureDefaultConfig(now: Date): Promise<void> {
    if (!(await this.d.repo.latestConfig(this.key))) await this.d.repo.addConfigVersion(this.key, DEFAULT_EVALUATION_CONFIG, now);
  }

  /** Adds a new configuration version; cycles already opened keep theirs. */
  async addConfig(content: unknown, now: Date) {
    const config = validateEvaluationConfig(content);
    return this.d.repo.addConfigVersion(config.key, config, now);
  }

  private async config(id: number): Promise<EvaluationConfig> {
    let c = this.configs.get(id);
    if (!c) {
      const stored = await this.d.repo.configById(id);
      if (!stored) throw new Error(`evaluation config version ${id} is missing`);
      c = validateEvaluationConfig(stored.content);
      this.configs.set(id, c);
    }
    return c;
  }

  private denied(me: Member, roles: Role[]): Reply {
    return say(t(me.locale, 'perm.denied', { roles: roles.map((r) => t(me.locale, `role.${r}`)).join(' / ') }));
  }

  private refusal(me: Member, why: Refusal, action: EvalAction): string {
    return t(me.locale, `evaluation.refuse.${why}` as MessageKey, { action: t(me.locale, `evaluation.action.${action}` as MessageKey) });
  }

  // ---- commands -------------------------------------------------------------------------------------

  async command(me: Member, cmd: EvalCommand, platform: Platform, now: Date): Promise<Reply> {
    switch (cmd.sub) {
      case 'open':
        return this.open(me, cmd, platform, now);
      case 'status':
        return this.status(me, cmd.cycle);
      case 'close':
        return this.close(me, cmd.cycle, now);
      case 'mine':
        return { kind: 'message', visibility: 'private', message: pendingMessage(await this.pendingLines(me), me) };
      case 'peers':
        return this.peers.command(me, cmd.mentions, platform, now);
      case 'customer-facing':
        return this.setCustomerFacing(me, cmd.mention, cmd.value, platform, now);
      case 'customer':
        return this.customerForm(me, cmd.mention, platform);
      case 'result':
        return this.resultOf(me, platform, cmd.mention, cmd.cycle);
      case 'link':
        return this.customerLink(me, cmd.mention, cmd.customer, platform, now);
      case 'summary':
        return this.summary(me, cmd.cycle);
      case 'export':
        return requestExport(this.d, me, cmd, platform, now, (name) => this.findCycle(name));
    }
  }

  private async open(me: Member, cmd: Extract<EvalCommand, { sub: 'open' }>, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return this.denied(me, ['hr', 'admin']);
    const stored = await this.d.repo.latestConfig(this.key);
    if (!stored) return say(t(l, 'evaluation.open.noConfig'));
    const config = await this.config(stored.id);
    for (const kind of ['self', 'supervisor', 'peer', 'customer'] as RaterKind[])
      if (ratingFormSize(config, kind) > MAX_FORM_ELEMENTS) return say(t(l, 'evaluation.open.tooBig', { n: MAX_FORM_ELEMENTS }));

    const all = await this.d.org.listDepartments();
    const chosen: Department[] = [];
    for (const name of cmd.deptNames) {
      const dept = all.find((x) => x.name === name);
      if (!dept) return say(t(l, 'dept.unknown', { name, known: all.map((x) => x.name).slice(0, 20).join(', ') || t(l, 'common.none') }));
      if (!chosen.includes(dept)) chosen.push(dept);
    }
    const scope = new Set((chosen.length ? chosen : all).map((x) => x.id));
    const members = (await this.d.org.members()).filter((m) => m.departmentId !== null && scope.has(m.departmentId));
    if (members.length === 0) return say(t(l, 'evaluation.open.nobody'));

    const period = defaultPeriod(cmd.kind, now, me.timeZone);
    let deadline: Date;
    if (cmd.deadline) {
      const d = DateTime.fromISO(cmd.deadline, { zone: me.timeZone });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(cmd.deadline) || !d.isValid) return say(t(l, 'form.err.date'));
      deadline = this.endOf(cmd.deadline, me.timeZone);
      if (deadline <= now) return say(t(l, 'evaluation.open.pastDeadline'));
    } else {
      const day = this.d.calendar ? this.d.calendar.addWorkingDays(period.lastDay, 5) : DateTime.fromISO(period.lastDay).plus({ days: 7 }).toISODate()!;
      deadline = this.endOf(day, me.timeZone);
    }

    const depts = new Map(all.map((x) => [x.id, x]));
    const participants = members.map((m) => ({ memberId: m.id, departmentId: m.departmentId, supervisorId: supervisorFor(m, depts, me.id), customerFacing: false }));
    const people = new Map((await this.d.org.membersByIds([...new Set([...members.map((m) => m.id), ...participants.flatMap((p) => (p.supervisorId ? [p.supervisorId] : []))])])).map((m) => [m.id, m]));
    const opened = await this.d.repo.openCycle(
      { kind: cmd.kind, name: period.name, periodStart: period.start, periodEnd: period.end, deadline, configVersionId: stored.id, openedById: me.id, openedAt: now, departmentIds: chosen.map((x) => x.id) },
      participants,
      (cycle, rows) =>
        rows.flatMap((p) => {
          const member = people.get(p.memberId);
          if (!member) return [];
          const state: ParticipantState = { cycle, participant: p, submissions: [], nominations: [] };
          const lead = t(member.locale, 'evaluation.notice.opened', { period: cycle.name, deadline: formatDateTime(cycle.deadline, member.locale, member.timeZone) });
          return this.cardItems(state, member, people, platform, { lead, post: true, tag: 'open', now });
        }),
      now,
    );
    if (opened === 'exists') return say(t(l, 'evaluation.open.exists', { period: period.name, cycle: t(l, `evaluation.cycle.${cmd.kind}`) }));
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

  private endOf(localDate: string, zone: string): Date {
    const [h, m] = this.d.endOfDay.split(':').map(Number);
    return DateTime.fromISO(localDate, { zone }).set({ hour: h, minute: m }).toUTC().toJSDate();
  }

  /** By name ("2026-11", "2026") or id; else the newest open cycle, else the newest. */
  private async findCycle(name?: string): Promise<CycleRecord | null> {
    if (name) return (await this.d.repo.cycleByName(name)) ?? (/^\d{1,9}$/.test(name) && name.length < 4 ? this.d.repo.cycleById(Number(name)) : null);
    return (await this.d.repo.listCycles({ status: 'open' }))[0] ?? (await this.d.repo.listCycles())[0] ?? null;
  }

  private async status(me: Member, name?: string): Promise<Reply> {
    const l = me.locale;
    const depts = await this.d.org.listDepartments();
    let visible: Set<number> | null = null;
    if (!runsCycles(me)) {
      if (me.role !== 'manager') return this.denied(me, ['hr', 'admin', 'manager']);
      visible = new Set(depts.filter((x) => x.managerId === me.id || x.id === me.departmentId).map((x) => x.id));
    }
    const cycle = await this.findCycle(name);
    if (!cycle) return say(name ? t(l, 'evaluation.cycle.unknown', { name }) : t(l, 'evaluation.cycle.none'));
    const rows = new Map<string, StatusRow>();
    for (const p of await this.d.repo.participants(cycle.id)) {
      if (visible && (p.departmentId === null || !visible.has(p.departmentId))) continue;
      const dept = depts.find((x) => x.id === p.departmentId)?.name ?? t(l, 'common.none');
      const row = rows.get(dept) ?? rows.set(dept, { department: dept, counts: { self: 0, supervisor: 0, review: 0, acknowledge: 0, done: 0 } }).get(dept)!;
      row.counts[p.stage]++;
    }
    return { kind: 'message', visibility: 'private', message: statusMessage(cycle, [...rows.values()].sort((a, b) => a.department.localeCompare(b.department)), me) };
  }

  private async close(me: Member, name: string | undefined, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return this.denied(me, ['hr', 'admin']);
    const cycle = name ? await this.findCycle(name) : ((await this.d.repo.listCycles({ status: 'open' }))[0] ?? null);
    if (!cycle) return say(name ? t(l, 'evaluation.cycle.unknown', { name }) : t(l, 'evaluation.cycle.none'));
    if (!(await this.d.repo.closeCycle(cycle.id, now))) return say(t(l, 'evaluation.close.already', { period: cycle.name }));
    return say(t(l, 'evaluation.close.done', { period: cycle.name, cycle: t(l, `evaluation.cycle.${cycle.kind}`) }), 'success');
  }

  /** The member's participant in the newest open annual cycle. */
  private async annualParticipant(memberId: number): Promise<{ cycle: CycleRecord; participant: ParticipantRecord } | null> {
    for (const p of await this.d.repo.participantsOfMember(memberId, { cycleStatus: 'open' })) {
      const cycle = await this.d.repo.cycleById(p.cycleId);
      if (cycle?.kind === 'annual') return { cycle, participant: p };
    }
    return null;
  }

  private async setCustomerFacing(me: Member, mention: string, value: boolean, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return this.denied(me, ['hr', 'admin']);
    const target = await this.d.org.resolveMention(platform, mention);
    if (!target) return say(t(l, 'member.unknownMention', { mention: `<@${mention}>` }));
    const found = await this.annualParticipant(target.id);
    if (!found) return say(t(l, 'evaluation.customerFacing.noCycle', { name: target.displayName }));
    const state = await this.state(found.participant, found.cycle);
    const projected = { ...state, participant: { ...state.participant, customerFacing: value } };
    const outbox = await this.notifications(projected, me, platform, { tag: `cf${value ? 1 : 0}`, now });
    const r = await this.d.repo.transition({ participantId: found.participant.id, expectedStages: ANSWERING, patch: { customerFacing: value }, outbox }, now);
    if (!r.ok) return say(this.failure(me, r.reason, 'customer'));
    return say(t(l, value ? 'evaluation.customerFacing.on' : 'evaluation.customerFacing.off', { name: target.displayName, period: found.cycle.name }), 'success');
  }

  private async customerForm(me: Member, mention: string, platform: Platform): Promise<Reply> {
    const target = await this.d.org.resolveMention(platform, mention);
    if (!target) return say(t(me.locale, 'member.unknownMention', { mention: `<@${mention}>` }));
    const found = await this.annualParticipant(target.id);
    if (!found) return say(t(me.locale, 'evaluation.customerFacing.noCycle', { name: target.displayName }));
    return this.openForm(me, 'customer', found.participant.id, new Date(0));
  }

  /** `eval link @member "customer"`: a one-time web link, for whoever may record the customer's answers themselves. */
  private async customerLink(me: Member, mention: string, customer: string, platform: Platform, now: Date): Promise<Reply> {
    const l = me.locale;
    const target = await this.d.org.resolveMention(platform, mention);
    if (!target) return say(t(l, 'member.unknownMention', { mention: `<@${mention}>` }));
    const found = await this.annualParticipant(target.id);
    if (!found) return say(t(l, 'evaluation.customerFacing.noCycle', { name: target.displayName }));
    const p = found.participant;
    if (p.supervisorId !== me.id && !runsCycles(me)) return say(this.refusal(me, 'notAllowed', 'customer'));
    if (!this.d.links) return say(new CustomerLinkError('no-public-url').text(l));
    if (p.customerFacing && !ANSWERING.includes(p.stage)) return say(this.refusal(me, 'wrongStage', 'customer'));
    try {
      const link = await this.d.links.createCustomerLink(p.id, customer, me.id, now);
      const text = t(l, 'evaluation.link.done', {
        customer: customer.trim(),
        name: target.displayName,
        period: found.cycle.name,
        expires: formatDateTime(link.expiresAt, l, me.timeZone),
        url: link.url,
      });
      return say(text, 'success');
    } catch (e) {
      if (e instanceof CustomerLinkError) return say(e.text(l));
      throw e;
    }
  }

  /** `eval summary [cycle]`: HR's cycle summary (summary.ts), with where the export files come from. */
  private async summary(me: Member, name?: string): Promise<Reply> {
    const l = me.locale;
    if (!runsCycles(me)) return this.denied(me, ['hr', 'admin']);
    const cycle = await this.findCycle(name);
    if (!cycle) return say(name ? t(l, 'evaluation.cycle.unknown', { name }) : t(l, 'evaluation.cycle.none'));
    if (!this.d.summaries) return say(t(l, 'evaluation.summary.files', { cycle: cycle.name }));
    const input = await this.d.summaries.summaryInput(cycle.id);
    const message = cycleSummaryMessage(computeCycleSummary(input), input.config, l);
    const files = t(l, 'evaluation.summary.files', { cycle: cycle.name });
    return { kind: 'message', visibility: 'private', message: { ...message, blocks: [...message.blocks, { kind: 'divider' }, { kind: 'context', text: files }] } };
  }

  // ---- reading results (privacy.ts) ------------------------------------------------------------------

  private accessContext(s: ParticipantState, deptManagerId: number | null): EvaluationAccessContext {
    const raters = [
      ...s.submissions.flatMap((x) => (x.raterMemberId !== null ? [{ memberId: x.raterMemberId, kind: x.raterKind }] : [])),
      ...approvedPeers(s).map((id) => ({ memberId: id, kind: 'peer' as const })),
    ];
    const supervisorIds = [s.participant.supervisorId, deptManagerId].filter((x): x is number => x !== null && x !== s.participant.memberId);
    return { memberId: s.participant.memberId, supervisorIds, raters, reviewRecorded: s.participant.reviewedAt !== null };
  }

  private async may(me: Member, s: ParticipantState, part: EvaluationPart) {
    const dept = s.participant.departmentId ? await this.d.org.departmentById(s.participant.departmentId) : null;
    const viewer: EvaluationViewer = { memberId: me.id, admin: me.role === 'admin', hr: me.role === 'hr' };
    return mayView(viewer, this.accessContext(s, dept?.managerId ?? null), part);
  }

  private async resultOf(me: Member, platform: Platform, mention?: string, cycleName?: string): Promise<Reply> {
    const l = me.locale;
    const target = mention ? await this.d.org.resolveMention(platform, mention) : me;
    if (!target) return say(t(l, 'member.unknownMention', { mention: `<@${mention}>` }));
    const cycle = cycleName ? await this.findCycle(cycleName) : null;
    if (cycleName && !cycle) return say(t(l, 'evaluation.cycle.unknown', { name: cycleName }));
    const list = await this.d.repo.participantsOfMember(target.id);
    const p = cycle ? list.find((x) => x.cycleId === cycle.id) : list[0];
    if (!p) return say(t(l, 'evaluation.result.none', { name: target.displayName }));
    return this.showResult(me, p);
  }

  private async showResult(me: Member, p: ParticipantRecord): Promise<Reply> {
    const l = me.locale;
    const s = await this.state(p);
    const ok = await this.may(me, s, 'result');
    if (ok !== true) return say(t(l, ok));
    if (!p.result) return say(t(l, 'evaluation.result.notYet'));
    const config = await this.config(s.cycle.configVersionId);
    const member = await this.d.org.memberById(p.memberId);
    const msg = evaluationResultMessage(config, p.result, { memberName: member?.displayName ?? `#${p.memberId}`, period: s.cycle.name }, l);
    const extra: Block[] = [];
    if (p.reviewedAt && (await this.may(me, s, 'review')) === true)
      extra.push({ kind: 'divider' }, { kind: 'text', text: `*${t(l, 'evaluation.form.plan')}*\n${p.reviewPlan ?? ''}\n*${t(l, 'evaluation.form.goals')}*\n${p.nextGoals ?? ''}` });
    if (mayAct('ack', s, { member: me }, s.cycle.openedAt) === true)
      extra.push({ kind: 'actions', buttons: [{ actionId: 'eval.ack', label: t(l, 'evaluation.action.ack'), value: String(p.id), style: 'primary' }] });
    return { kind: 'message', visibility: 'private', message: { ...msg, blocks: [...msg.blocks, ...extra] } };
  }

  // ---- buttons and forms ----------------------------------------------------------------------------

  private async state(p: ParticipantRecord, cycle?: CycleRecord | null): Promise<ParticipantState> {
    const [c, submissions, nominations] = await Promise.all([cycle ? Promise.resolve(cycle) : this.d.repo.cycleById(p.cycleId), this.d.repo.submissions(p.id), this.d.repo.nominations(p.id)]);
    if (!c) throw new Error(`cycle ${p.cycleId} is missing`);
    return { cycle: c, participant: p, submissions, nominations };
  }

  async action(me: Member, actionId: string, value: string, platform: Platform, now: Date): Promise<Reply | null> {
    const action = actionId.slice('eval.'.length);
    if (!isEvalAction(action)) return null;
    if (action === 'approve' || action === 'decline') {
      const m = /^(\d{1,9}):(\d{1,9})$/.exec(value);
      return m ? this.decide(me, action, Number(m[1]), Number(m[2]), platform, now) : null;
    }
    if (!/^\d{1,9}$/.test(value)) return null;
    const id = Number(value);
    if (action === 'result') {
      const p = await this.d.repo.participantById(id);
      return p ? this.showResult(me, p) : say(t(me.locale, 'evaluation.unknown'));
    }
    if (action === 'ack' || action === 'finalize') return this.quickStep(me, action, id, platform, now);
    if (action === 'nominate') return this.peers.open(me, id, platform, now);
    return this.openForm(me, action, id, now);
  }

  private async openForm(me: Member, action: Exclude<EvalAction, 'approve' | 'decline' | 'result' | 'ack' | 'finalize' | 'nominate'>, id: number, now: Date): Promise<Reply> {
    const p = await this.d.repo.participantById(id);
    if (!p) return say(t(me.locale, 'evaluation.unknown'));
    const s = await this.state(p);
    const ok = mayAct(action, s, { member: me }, now);
    if (ok !== true) return say(this.refusal(me, ok, action));
    const member = await this.d.org.memberById(p.memberId);
    const name = member?.displayName ?? `#${p.memberId}`;
    if (action === 'review') return { kind: 'form', form: reviewForm(p, name, s.cycle.name, me.locale) };
    const config = await this.config(s.cycle.configVersionId);
    const self = action === 'supervisor' ? (s.submissions.find((x) => x.raterKind === 'self') ?? null) : undefined;
    return { kind: 'form', form: ratingForm({ config, kind: action, participant: p, memberName: name, period: s.cycle.name, locale: me.locale, self }) };
  }

  async submit(me: Member, formType: string, formId: string, raw: Record<string, string | undefined>, platform: Platform, now: Date): Promise<FormOutcome> {
    if (formType === PEERS_FORM) return this.peers.submit(me, formId, raw, platform, now);
    const kind = formType.slice(EVAL_FORM_PREFIX.length);
    const ref = parseFormId(formId);
    const refused = (message: string): FormOutcome => ({ kind: 'refused', message });
    if (!ref || !['self', 'supervisor', 'peer', 'customer', 'review'].includes(kind)) return refused(t(me.locale, 'inspect.err.expired', { dept: '…' }));
    const action = kind as 'self' | 'supervisor' | 'peer' | 'customer' | 'review';
    const p = await this.d.repo.participantById(ref.id);
    if (!p) return refused(t(me.locale, 'evaluation.unknown'));
    const s = await this.state(p);
    const ok = mayAct(action, s, { member: me }, now);
    if (ok !== true) return refused(this.refusal(me, ok, action));
    // Self, supervisor and review are one-off steps decided on the state the form was opened at.
    if ((action === 'self' || action === 'supervisor' || action === 'review') && p.version !== ref.version) return refused(t(me.locale, 'evaluation.refuse.stale'));
    const member = await this.d.org.memberById(p.memberId);
    const name = member?.displayName ?? `#${p.memberId}`;
    const kept = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));

    if (action === 'review') {
      const { clean, errors } = validateReview(me.locale, raw);
      const n = Object.keys(errors).length;
      if (n > 0) return { kind: 'errors', errors, summary: t(me.locale, 'inspect.err.summary', { n }), form: reviewForm(p, name, s.cycle.name, me.locale, kept, errors) };
      const patch: ParticipantPatch = { stage: 'acknowledge', reviewedAt: now, reviewPlan: clean.plan, nextGoals: clean.goals, nextReminderAt: now };
      return this.apply(me, s, { participantId: p.id, expectedVersion: p.version, patch }, platform, now, 'review');
    }

    const config = await this.config(s.cycle.configVersionId);
    const { clean, errors } = validateRating({ config, kind: action, locale: me.locale }, raw);
    const n = Object.keys(errors).length;
    if (n > 0) {
      const self = action === 'supervisor' ? (s.submissions.find((x) => x.raterKind === 'self') ?? null) : undefined;
      return { kind: 'errors', errors, summary: t(me.locale, 'inspect.err.summary', { n }), form: ratingForm({ config, kind: action, participant: p, memberName: name, period: s.cycle.name, locale: me.locale, self }, kept, errors) };
    }
    return this.rate(me, s, action, clean, platform, now);
  }

  /** Records one rater's answers and moves the participant on (scoring when everything needed is in). */
  private async rate(me: Member | null, s: ParticipantState, kind: RaterKind, clean: CleanRating, platform: Platform, now: Date, raterKey?: string, inviteId?: number): Promise<FormOutcome> {
    const p = s.participant;
    const submission: Omit<SubmissionRecord, 'id' | 'participantId'> = {
      raterKind: kind,
      raterKey: raterKey ?? (kind === 'customer' ? customerKey(clean.customer ?? '') : `m:${me!.id}`),
      raterMemberId: kind === 'customer' ? null : (me?.id ?? null),
      raterLabel: kind === 'customer' ? (clean.customer ?? null) : null,
      scores: clean.scores,
      comments: clean.comments,
      submittedAt: now,
    };
    const withIt: ParticipantState = { ...s, submissions: [...s.submissions, { ...submission, id: 0, participantId: p.id }] };
    let patch: ParticipantPatch = {};
    if (kind === 'self') patch = { stage: 'supervisor', selfAt: now, nextReminderAt: now };
    if (kind === 'supervisor') patch = { supervisorAt: now, nextReminderAt: now };
    const moved: ParticipantState = { ...withIt, participant: { ...p, ...patch } };
    if (kind !== 'self' && moved.participant.stage === 'supervisor' && readyToScore(moved)) patch = { ...patch, ...(await this.score(moved)) };
    const input: Omit<ParticipantTransition, 'outbox'> =
      kind === 'self' || kind === 'supervisor'
        ? { participantId: p.id, expectedVersion: p.version, patch, submission }
        : { participantId: p.id, expectedStages: ANSWERING, patch, submission, ...(inviteId !== undefined ? { spendInvite: { id: inviteId } } : {}) };
    return this.apply(me, withIt, input, platform, now, kind);
  }

  private async score(s: ParticipantState): Promise<ParticipantPatch> {
    const config = await this.config(s.cycle.configVersionId);
    const by: Submissions = {};
    for (const x of s.submissions) {
      const list = (by[x.raterKind] ?? []) as RaterSubmission[];
      list.push({ ...(x.raterMemberId !== null ? { raterId: x.raterMemberId } : {}), scores: x.scores, comments: x.comments });
      by[x.raterKind] = list;
    }
    const record = config.supervision && s.participant.departmentId !== null ? await this.d.repo.supervisionRecord(s.participant.departmentId, s.cycle.periodStart, s.cycle.periodEnd) : null;
    const result = scoreEvaluation(config, s.cycle.kind, by, record);
    return { stage: 'review', overallScore: result.overall, grade: result.grade.label, result };
  }

  /** Acknowledge (member) and score-now (annual, after the deadline): buttons without a form. */
  private async quickStep(me: Member, action: 'ack' | 'finalize', id: number, platform: Platform, now: Date): Promise<Reply> {
    const p = await this.d.repo.participantById(id);
    if (!p) return say(t(me.locale, 'evaluation.unknown'));
    const s = await this.state(p);
    const ok = mayAct(action, s, { member: me }, now);
    if (ok !== true) return say(this.refusal(me, ok, action));
    const patch: ParticipantPatch = action === 'ack' ? { stage: 'done', acknowledgedAt: now, nextReminderAt: null } : await this.score(s);
    const out = await this.apply(me, s, { participantId: p.id, expectedVersion: p.version, patch }, platform, now, action);
    if (out.kind === 'refused') return say(out.message);
    return out.kind === 'done' ? { kind: 'message', visibility: 'private', message: out.message } : say('');
  }

  private async decide(me: Member, action: 'approve' | 'decline', participantId: number, peerId: number, platform: Platform, now: Date): Promise<Reply> {
    const p = await this.d.repo.participantById(participantId);
    if (!p) return say(t(me.locale, 'evaluation.unknown'));
    const s = await this.state(p);
    const ok = mayAct(action, s, { member: me }, now);
    if (ok !== true) return say(this.refusal(me, ok, action));
    const nomination = s.nominations.find((n) => n.peerId === peerId);
    if (!nomination || nomination.status !== 'proposed') return say(t(me.locale, 'evaluation.refuse.stale'));
    const status = action === 'approve' ? 'approved' : 'declined';
    const projected: ParticipantState = { ...s, nominations: s.nominations.map((n): NominationRecord => (n.id === nomination.id ? { ...n, status, decidedById: me.id, decidedAt: now } : n)) };
    const [member, peer] = await Promise.all([this.d.org.memberById(p.memberId), this.d.org.memberById(peerId)]);
    const outbox = await this.notifications(projected, me, platform, { tag: `nom${peerId}${status}`, now });
    const where = platformFor(me, platform);
    if (where && member && peer)
      outbox.push({
        ...where,
        message: nominationCard({ participantId: p.id, peerId, memberName: member.displayName, peerName: peer.displayName, status, period: s.cycle.name }, me),
        dedupeKey: `eval:${p.id}:nom:${peerId}:${status}`,
        refKey: `eval:${p.id}:nom:${peerId}`,
        updateOnly: true,
      });
    const r = await this.d.repo.transition({ participantId: p.id, expectedStages: ANSWERING, patch: {}, decide: { nominationId: nomination.id, status, decidedById: me.id, decidedAt: now }, outbox }, now);
    if (!r.ok) return say(this.failure(me, r.reason, action));
    return say(t(me.locale, `evaluation.nomination.${status}`, { member: member?.displayName ?? '', peer: peer?.displayName ?? '', period: s.cycle.name }), 'success');
  }

  private failure(me: Member, reason: TransitionFailure, action: EvalAction): string {
    if (reason === 'closed') return this.refusal(me, 'closed', action);
    if (reason === 'duplicate') return this.refusal(me, 'already', action);
    return t(me.locale, 'evaluation.refuse.stale');
  }

  /** Applies a step with its notifications; answers the actor with their card. */
  private async apply(me: Member | null, s: ParticipantState, input: Omit<ParticipantTransition, 'outbox'>, platform: Platform, now: Date, step: EvalAction | 'customer'): Promise<FormOutcome> {
    const projected: ParticipantState = { ...s, participant: { ...s.participant, ...input.patch, version: s.participant.version + (bumpsVersion(input) ? 1 : 0) } };
    const outbox = await this.notifications(projected, me, platform, { step, previous: s.participant.stage, tag: `${step}${input.submission?.raterKey ?? ''}`, now });
    const r = await this.d.repo.transition({ ...input, outbox }, now);
    const l = me?.locale ?? 'en';
    if (!r.ok) return { kind: 'refused', message: me ? this.failure(me, r.reason, step) : r.reason };
    const text = t(l, 'evaluation.saved', { stage: t(l, `evaluation.stage.${r.participant.stage}` as MessageKey) });
    return { kind: 'done', message: { text, tone: 'success', blocks: [{ kind: 'text', text }] } };
  }

  /**
   * The member's and the supervisor's cards (and the peers' after a decision), brought up to date; a notice to
   * whoever must act next, and the result to the member once the review is recorded.
   */
  private async notifications(s: ParticipantState, actor: Member | null, platform: Platform, o: { step?: EvalAction | 'customer'; previous?: Stage; tag: string; now: Date }): Promise<OutboxItem[]> {
    const p = s.participant;
    const peers = approvedPeers(s);
    const ids = [p.memberId, p.supervisorId, ...peers].filter((x): x is number => x !== null);
    const people = new Map((await this.d.org.membersByIds([...new Set(ids)])).map((m) => [m.id, m]));
    const out: OutboxItem[] = [];
    const memberName = people.get(p.memberId)?.displayName ?? `#${p.memberId}`;
    const moved = o.previous !== undefined && o.previous !== p.stage;
    const next = new Map<number, string>();
    const lead = (reader: Member, key: MessageKey) => t(reader.locale, key, { name: memberName, actor: actor?.displayName ?? '', period: s.cycle.name });
    if (moved && p.stage === 'supervisor' && p.supervisorId) next.set(p.supervisorId, 'evaluation.notice.selfDone');
    if (moved && p.stage === 'review' && p.supervisorId) next.set(p.supervisorId, 'evaluation.notice.scored');
    if (moved && p.stage === 'acknowledge') next.set(p.memberId, 'evaluation.notice.reviewed');
    for (const [id, key] of next) {
      const reader = people.get(id);
      const where = reader ? platformFor(reader, platform) : null;
      if (!reader || !where || id === actor?.id) continue;
      const text = lead(reader, key as MessageKey);
      out.push({ ...where, message: { text, blocks: [{ kind: 'text', text }] }, dedupeKey: `eval:${p.id}:v${p.version}:${o.tag}:notice:${id}` });
    }
    for (const id of [p.memberId, p.supervisorId]) {
      if (id === null) continue;
      const reader = people.get(id);
      if (!reader) continue;
      // The supervisor's card is posted when their part begins (or for a nomination); before, there is nothing to show them.
      const post = id === p.memberId || p.stage !== 'self' || s.nominations.length > 0;
      out.push(...this.cardItems(s, reader, people, platform, { post, tag: o.tag, actorId: actor?.id, now: o.now }));
    }
    for (const id of peers) {
      const reader = people.get(id);
      if (!reader) continue;
      out.push(...this.cardItems(s, reader, people, platform, { post: true, tag: o.tag, actorId: actor?.id, peer: true, now: o.now }));
    }
    return out;
  }

  /** One person's card of a participant (refKey per participant per person). */
  private cardItems(s: ParticipantState, reader: Member, people: Map<number, Member>, platform: Platform, o: { post: boolean; tag: string; lead?: string; actorId?: number; peer?: boolean; now: Date }): OutboxItem[] {
    const where = platformFor(reader, platform);
    if (!where) return [];
    const p = s.participant;
    const viewer: EvaluationViewer = { memberId: reader.id, admin: reader.role === 'admin', hr: reader.role === 'hr' };
    const showResult = mayView(viewer, this.accessContext(s, null), 'result') === true;
    const peers = approvedPeers(s);
    const message = participantCard(
      {
        cycle: s.cycle,
        participant: p,
        memberName: people.get(p.memberId)?.displayName ?? `#${p.memberId}`,
        supervisorName: p.supervisorId ? (people.get(p.supervisorId)?.displayName ?? `#${p.supervisorId}`) : null,
        actions: o.peer ? cardActions(s, { member: reader }, o.now).filter((a) => a === 'peer') : cardActions(s, { member: reader }, o.now),
        showResult: !o.peer && showResult,
        peers: { approved: peers.length, answered: peers.length - peersPending(s).length },
        lead: o.lead,
      },
      reader,
    );
    const refKey = o.peer ? `eval:${p.id}:peer:${reader.id}` : `eval:${p.id}:card:${reader.id}`;
    return [{ ...where, message, dedupeKey: `eval:${p.id}:v${p.version}:${o.tag}:card:${refKey}`, refKey, updateOnly: !o.post || reader.id === o.actorId }];
  }

  // ---- for the other helpers --------------------------------------------------------------------------

  /**
   * A customer's answers (the signed web link, or an account owner on their behalf through recordOnBehalf):
   * scores by criterion key (1-5), comments by criterion key. Refused unless the cycle is annual and open, the
   * member is customer-facing and the participant still takes answers; one answer per customer name.
   * With `inviteId` (the web link) the answer is keyed `c:<invite id>` and the invite is marked used in the
   * same transaction, only if it is still unused and unexpired ('used' / 'expired' otherwise, nothing saved).
   */
  async recordCustomerSubmission(
    participantId: number,
    customerName: string,
    scores: Record<string, number>,
    comments: Record<string, string>,
    now: Date,
    o: { raterKey?: string; platform?: Platform; inviteId?: number } = {},
  ): Promise<{ ok: true } | { ok: false; reason: CustomerRefusal; detail?: string }> {
    const p = await this.d.repo.participantById(participantId);
    if (!p) return { ok: false, reason: 'unknown' };
    const s = await this.state(p);
    if (s.cycle.status !== 'open') return { ok: false, reason: 'closed' };
    if (s.cycle.kind !== 'annual' || !p.customerFacing || !ANSWERING.includes(p.stage)) return { ok: false, reason: 'wrongStage' };
    const config = await this.config(s.cycle.configVersionId);
    const raw: Record<string, string> = { customer: customerName };
    config.dimensions.flatMap((d) => d.criteria).forEach((c, i) => {
      if (scores[c.key] !== undefined) raw[`c${i}_score`] = String(scores[c.key]);
      if (comments[c.key] !== undefined) raw[`c${i}_note`] = comments[c.key]!;
    });
    const { clean, errors } = validateRating({ config, kind: 'customer', locale: 'en' }, raw);
    if (Object.keys(errors).length) return { ok: false, reason: 'invalid', detail: Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; ') };
    const raterKey = o.raterKey ?? (o.inviteId !== undefined ? `c:${o.inviteId}` : undefined);
    const out = await this.rate(null, s, 'customer', clean, o.platform ?? 'slack', now, raterKey, o.inviteId);
    if (out.kind === 'done') return { ok: true };
    const why = out.kind === 'refused' ? out.message : '';
    return { ok: false, reason: why === 'duplicate' ? 'already' : why === 'used' || why === 'expired' || why === 'closed' ? why : 'stale' };
  }

  /** "Evaluations waiting for me", for `eval mine` and the `my` command. */
  async pendingLines(me: Member): Promise<PendingLine[]> {
    const pending = await this.d.repo.pendingFor(me.id);
    const lines: PendingLine[] = [];
    const cycles = new Map<number, CycleRecord | null>();
    const cycleOf = async (id: number) => (cycles.has(id) ? cycles.get(id)! : cycles.set(id, await this.d.repo.cycleById(id)).get(id)!);
    const add = async (p: ParticipantRecord, kind: PendingLine['kind'], value?: string) => {
      const c = await cycleOf(p.cycleId);
      if (c) lines.push({ participantId: p.id, kind, memberName: '', period: c.name, deadline: c.deadline, ...(value ? { value } : {}) });
    };
    for (const p of pending.asMember) await add(p, p.stage === 'self' ? 'self' : 'ack');
    for (const p of pending.asSupervisor) await add(p, p.stage === 'review' ? 'review' : 'supervisor');
    for (const p of pending.asPeer) await add(p, 'peer');
    for (const n of pending.toDecide) {
      const p = await this.d.repo.participantById(n.participantId);
      if (p) await add(p, 'decide', `${p.id}:${n.peerId}`);
    }
    const ids = new Set<number>();
    const byId = new Map<number, ParticipantRecord>();
    for (const p of [...pending.asMember, ...pending.asSupervisor, ...pending.asPeer]) byId.set(p.id, p);
    for (const l of lines) ids.add(byId.get(l.participantId)?.memberId ?? (await this.d.repo.participantById(l.participantId))?.memberId ?? 0);
    const names = new Map((await this.d.org.membersByIds([...ids])).map((m) => [m.id, m.displayName]));
    for (const l of lines) {
      const p = byId.get(l.participantId) ?? (await this.d.repo.participantById(l.participantId));
      l.memberName = p ? (names.get(p.memberId) ?? `#${p.memberId}`) : '?';
    }
    return lines;
  }

  /** The section the `my` command appends, or nothing when no evaluation waits for the member. */
  async mySection(me: Member): Promise<MessageView['blocks']> {
    const lines = await this.pendingLines(me);
    if (lines.length === 0) return [];
    const msg = pendingMessage(lines, me);
    return [{ kind: 'text', text: `*${t(me.locale, 'evaluation.pending.title')}*` }, ...msg.blocks.slice(1)];
  }

  /** Pending steps of one participant (the reminder sweep). */
  async pendingState(p: ParticipantRecord, cycle: CycleRecord) {
    const s = await this.state(p, cycle);
    return { state: s, owners: pendingOwners(s) };
  }
}
