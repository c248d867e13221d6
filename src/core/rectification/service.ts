// The rectification loop: open → planned → in progress → submitted → accepted, or rejected back to in
// progress. Each step is a form; it applies only if the actor may take it and the finding has not moved
// since the form was opened, and it writes the history and the notifications in one transaction.

import type { MessageKey } from '../i18n/messages.js';
import { pick, t } from '../i18n/t.js';
import { type OrgService, platformIdOf } from '../org/service.js';
import type { Department, Member, OutboxItem, Platform } from '../ports.js';
import { formatDateTime } from '../shared/format.js';
import type { DayCalendar } from '../shared/working-day.js';
import { type TemplateService, templateOf } from '../templates/service.js';
import type { FormOutcome, MessageView, Reply } from '../views/types.js';
import {
  type CleanStep,
  deadlineAt,
  FORM_PREFIX,
  localDate,
  parseFormId,
  type StepFormContext,
  stepForm,
  validateStep,
} from './forms.js';
import { availableActions, mayTake, nextStatus, rolesFor, type Viewer } from './lifecycle.js';
import { type FindingAction, type FindingPatch, type FindingRecord, type FindingRepo, ownerOf } from './types.js';
import { findingCard, historyMessage } from './views.js';

export interface RectificationDeps {
  findings: FindingRepo;
  org: OrgService;
  templates: TemplateService;
  /** Local time of day a deadline date ends, in the owner's zone (the end of working hours). */
  deadlineTime: string;
  /** When the plan of an open finding is due (from the reminder rules); null when unknown. */
  planDueAt: (f: FindingRecord, owner: Member | null) => Date | null;
  /** Working days, for the deadlines people choose (the reminders' calendar). */
  calendar: DayCalendar;
}

const MAX_PEOPLE = 100;
const STEPS: FindingAction[] = ['plan', 'progress', 'submit', 'accept', 'reject', 'extend', 'reassign'];

const say = (text: string, tone: 'warning' | 'success' | 'danger' = 'warning'): Reply => ({
  kind: 'message',
  visibility: 'private',
  message: { text, tone, blocks: [{ kind: 'text', text }] },
});

export function isStep(s: string): s is FindingAction {
  return (STEPS as string[]).includes(s);
}

export class RectificationService {
  constructor(private readonly d: RectificationDeps) {}

  private async viewer(me: Member, f: FindingRecord): Promise<Viewer> {
    const dept = await this.d.org.departmentById(f.departmentId);
    return { member: me, departmentManagerId: dept?.managerId ?? null };
  }

  private async candidates(f: FindingRecord): Promise<Member[]> {
    return (await this.d.org.pickable(f.departmentId, ownerOf(f), MAX_PEOPLE)).people;
  }

  /** A step form's context: the people offered, and each one's zone, in which a deadline date is read. */
  private async formContext(me: Member, f: FindingRecord): Promise<StepFormContext> {
    const list = await this.candidates(f);
    const byId = new Map(list.map((m) => [m.id, { name: m.displayName, timeZone: m.timeZone }]));
    return {
      finding: f,
      locale: me.locale,
      timeZone: me.timeZone,
      people: list.map((m) => ({ value: String(m.id), label: m.displayName })),
      deadline: { time: this.d.deadlineTime, owner: (id) => byId.get(id) },
      calendar: this.d.calendar,
    };
  }

  /** Supervisors and admins see every finding; others those of their department or their own. */
  mayView(me: Member, f: FindingRecord): boolean {
    return (
      me.role === 'admin' ||
      me.role === 'supervisor' ||
      me.departmentId === f.departmentId ||
      me.id === ownerOf(f) ||
      me.id === f.responsibleMemberId
    );
  }

  /** The card of a finding as `reader` sees it, with the buttons of the steps they may take. */
  async card(f: FindingRecord, reader: Member, lead?: string, dept?: Department | null): Promise<MessageView> {
    const [department, stored, owner] = await Promise.all([
      dept === undefined ? this.d.org.departmentById(f.departmentId) : Promise.resolve(dept),
      this.d.templates.byId(f.templateVersionId),
      this.d.org.memberById(ownerOf(f)),
    ]);
    const tpl = stored ? templateOf(stored) : null;
    const dim = tpl?.dimensions.find((x) => x.key === f.dimensionKey);
    const item = dim?.items.find((i) => i.key === f.itemKey);
    const names = await this.names([ownerOf(f), f.responsibleMemberId]);
    const viewer: Viewer = { member: reader, departmentManagerId: department?.managerId ?? null };
    return findingCard(f, {
      locale: reader.locale,
      timeZone: reader.timeZone,
      deptName: department?.name ?? '?',
      dimension: dim ? pick(dim.name, reader.locale) : f.dimensionKey,
      item: item ? pick(item.text, reader.locale) : f.itemKey,
      names,
      actions: availableActions(f, viewer),
      lead,
      planDueAt: f.status === 'open' ? this.d.planDueAt(f, owner) : null,
    });
  }

  private async names(ids: number[]): Promise<Map<number, string>> {
    const members = await this.d.org.membersByIds([...new Set(ids)]);
    return new Map(members.map((m) => [m.id, m.displayName]));
  }

  /** `finding <id>`: the card and its history. */
  async show(me: Member, id: number): Promise<Reply> {
    const f = await this.d.findings.byId(id);
    if (!f) return say(t(me.locale, 'finding.unknown', { id }));
    if (!this.mayView(me, f)) return say(t(me.locale, 'refuse.viewNotAllowed'));
    const [card, events] = await Promise.all([this.card(f, me), this.d.findings.events(id)]);
    const history = historyMessage(
      f,
      events,
      await this.names(events.flatMap((e) => (e.actorId ? [e.actorId] : []))),
      me,
    );
    return {
      kind: 'message',
      visibility: 'private',
      message: { ...card, blocks: [...card.blocks, { kind: 'divider' }, ...history.blocks] },
    };
  }

  private refuse(me: Member, f: FindingRecord, action: FindingAction, why: 'wrongStatus' | 'notAllowed'): string {
    const l = me.locale;
    if (why === 'wrongStatus')
      return t(l, 'refuse.wrongStatus', {
        id: f.id,
        status: t(l, `status.${f.status}` as MessageKey),
        action: t(l, `action.${action}`),
      });
    const roles = rolesFor(action)
      .map((r) => t(l, `who.${r}`))
      .join(t(l, 'who.or'));
    return t(l, 'refuse.notAllowed', { roles, action: t(l, `action.${action}`), id: f.id });
  }

  /** A button: the step's form, or a clear refusal. */
  async open(me: Member, action: FindingAction | 'history', id: number, now: Date = new Date()): Promise<Reply> {
    const f = await this.d.findings.byId(id);
    if (!f) return say(t(me.locale, 'finding.unknown', { id }));
    if (action === 'history') return this.show(me, id);
    const ok = mayTake(action, f, await this.viewer(me, f));
    if (ok !== true) return say(this.refuse(me, f, action, ok));
    return { kind: 'form', form: stepForm(action, await this.formContext(me, f), now) };
  }

  async submit(
    me: Member,
    formType: string,
    formId: string,
    raw: Record<string, string | undefined>,
    platform: Platform,
    now: Date,
  ): Promise<FormOutcome> {
    const action = formType.slice(FORM_PREFIX.length);
    const ref = parseFormId(formId);
    if (!isStep(action) || !ref)
      return { kind: 'refused', message: t(me.locale, 'inspect.err.expired', { dept: '…' }) };
    const f = await this.d.findings.byId(ref.id);
    if (!f) return { kind: 'refused', message: t(me.locale, 'finding.unknown', { id: ref.id }) };
    const ok = mayTake(action, f, await this.viewer(me, f));
    if (f.version !== ref.version) return { kind: 'refused', message: t(me.locale, 'refuse.stale', { id: f.id }) };
    if (ok !== true) return { kind: 'refused', message: this.refuse(me, f, action, ok) };
    const ctx = await this.formContext(me, f);
    const { clean, errors } = validateStep(action, ctx, raw, now);
    const n = Object.keys(errors).length;
    if (n > 0) {
      const kept = Object.fromEntries(
        Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      return {
        kind: 'errors',
        errors,
        summary: t(me.locale, 'inspect.err.summary', { n }),
        form: stepForm(action, ctx, now, kept, errors),
      };
    }
    const patch = await this.patchFor(action, f, clean, now);
    // Notifications show the finding as it will be, and are written in the same transaction as the change.
    const projected: FindingRecord = { ...f, ...patch, version: f.version + 1 };
    const updated = await this.d.findings.transition(
      {
        id: f.id,
        expectedVersion: f.version,
        patch,
        event: {
          actorId: me.id,
          at: now,
          action,
          fromStatus: f.status,
          toStatus: projected.status,
          note: clean.note ?? clean.measures ?? null,
          data: eventData(clean),
        },
        outbox: await this.notifications(projected, me, action, clean, platform, ownerOf(f)),
      },
      now,
    );
    if (!updated) return { kind: 'refused', message: t(me.locale, 'refuse.stale', { id: f.id }) };
    const card = await this.card(updated, me);
    const text = t(me.locale, 'done.saved', {
      id: f.id,
      status: t(me.locale, `status.${updated.status}` as MessageKey),
    });
    return { kind: 'done', message: { text, tone: 'success', blocks: [{ kind: 'text', text }, ...card.blocks] } };
  }

  /** A local date becomes an instant: the end of working hours that day in the owner's zone. */
  private async deadlineInstant(date: string, ownerId: number): Promise<Date> {
    const owner = await this.d.org.memberById(ownerId);
    return deadlineAt(date, owner?.timeZone ?? 'UTC', this.d.deadlineTime);
  }

  private async patchFor(action: FindingAction, f: FindingRecord, c: CleanStep, now: Date): Promise<FindingPatch> {
    const status = nextStatus(action, f.status);
    // Any change may move reminders; the next sweep works out when.
    const base: FindingPatch = { status, nextReminderAt: now };
    switch (action) {
      case 'plan': {
        const ownerId = c.ownerId ?? ownerOf(f);
        return {
          ...base,
          planMeasures: c.measures,
          planSupport: c.support ?? null,
          ownerId: ownerId === f.responsibleMemberId ? null : ownerId,
          planSubmittedAt: now,
          deadline: await this.deadlineInstant(c.date!, ownerId),
        };
      }
      case 'progress':
        return { ...base, progressPercent: c.percent };
      case 'submit':
        return {
          ...base,
          acceptanceRequestedAt: now,
          ...(c.evidence?.length ? { evidenceUrls: [...f.evidenceUrls, ...c.evidence] } : {}),
        };
      case 'accept':
        return { ...base, closedAt: now, progressPercent: 100, nextReminderAt: null };
      case 'reject':
        return {
          ...base,
          rejectionCount: f.rejectionCount + 1,
          acceptanceRequestedAt: null,
          deadline: await this.deadlineInstant(c.date!, ownerOf(f)),
        };
      case 'extend':
        return { ...base, deadline: await this.deadlineInstant(c.date!, ownerOf(f)) };
      case 'reassign':
        return { ...base, ownerId: c.ownerId === f.responsibleMemberId ? null : c.ownerId };
    }
  }

  /**
   * Everyone the finding concerns has one card per finding, updated in place; whoever must act next also
   * gets a short notice, so a change that needs them is not only a silent edit.
   */
  async notifications(
    f: FindingRecord,
    actor: Member,
    action: FindingAction | 'created',
    c: CleanStep,
    platform: Platform,
    formerOwnerId?: number,
  ): Promise<OutboxItem[]> {
    const dept = await this.d.org.departmentById(f.departmentId);
    const concerned = [ownerOf(f), f.responsibleMemberId, f.createdById, dept?.managerId ?? null].filter(
      (x): x is number => x !== null,
    );
    // An owner replaced by this step still has a card saying they own it, with steps that are no longer theirs.
    const former = formerOwnerId !== undefined && !concerned.includes(formerOwnerId) ? [formerOwnerId] : [];
    const people = await this.d.org.membersByIds([...new Set([...concerned, ...former, actor.id])]);
    const nextActors = new Set<number>(
      action === 'submit'
        ? [f.createdById]
        : action === 'reject' || action === 'extend' || action === 'accept' || action === 'reassign'
          ? [ownerOf(f)]
          : action === 'plan'
            ? [f.createdById]
            : [],
    );
    const out: OutboxItem[] = [];
    for (const p of people) {
      const where = platformFor(p, platform);
      if (!where) continue;
      const isActorOnly = p.id === actor.id && !concerned.includes(p.id);
      const ownerName = people.find((x) => x.id === ownerOf(f))?.displayName ?? `#${ownerOf(f)}`;
      const lead =
        p.id !== actor.id && action !== 'created' ? this.noticeText(f, actor, action, c, p, ownerName) : undefined;
      out.push({
        ...where,
        // Whoever must act next reads the change in their notice; the others see it on top of their card.
        message: await this.card(f, p, nextActors.has(p.id) ? undefined : lead, dept),
        dedupeKey: `finding:${f.id}:v${f.version}:card:${p.id}`,
        refKey: `finding:${f.id}:card:${p.id}`,
        // The actor already sees the new state where they acted, and a former owner needs no new card: their
        // card is only brought up to date.
        updateOnly: isActorOnly || p.id === actor.id || former.includes(p.id),
      });
      if (nextActors.has(p.id) && p.id !== actor.id && lead) {
        out.push({
          ...where,
          message: {
            text: lead,
            tone: action === 'reject' ? 'danger' : 'default',
            blocks: [{ kind: 'text', text: lead }],
          },
          dedupeKey: `finding:${f.id}:v${f.version}:notice:${p.id}`,
        });
      }
    }
    return out;
  }

  /**
   * Everyone's card of these findings drawn again, as updates in place only: a reminder sweep changes the
   * reminder and escalation counts the cards show without any step that would redraw them.
   */
  async redrawCards(ids: number[], platform: Platform, now: Date): Promise<void> {
    const cards: Array<{ id: number; version: number; outbox: OutboxItem[] }> = [];
    for (const id of ids) {
      const f = await this.d.findings.byId(id);
      if (!f) continue;
      const dept = await this.d.org.departmentById(f.departmentId);
      const concerned = [ownerOf(f), f.responsibleMemberId, f.createdById, dept?.managerId ?? null].filter(
        (x): x is number => x !== null,
      );
      const people = await this.d.org.membersByIds([...new Set(concerned)]);
      const supervisor = people.find((p) => p.id === f.createdById)?.displayName ?? `#${f.createdById}`;
      const outbox: OutboxItem[] = [];
      for (const p of people) {
        const where = platformFor(p, platform);
        if (!where) continue;
        // A finding no step has touched yet still carries the introduction its owner's first card had.
        const lead =
          f.version === 0 && p.id === f.responsibleMemberId
            ? t(p.locale, 'dm.intro', { supervisor, dept: dept?.name ?? '?', inspection: f.inspectionId })
            : undefined;
        outbox.push({
          ...where,
          message: await this.card(f, p, lead, dept),
          dedupeKey: `finding:${f.id}:v${f.version}:r${f.reminderCount}:e${f.escalationCount}:card:${p.id}`,
          refKey: `finding:${f.id}:card:${p.id}`,
          updateOnly: true,
        });
      }
      cards.push({ id: f.id, version: f.version, outbox });
    }
    await this.d.findings.redraw(cards, now);
  }

  private noticeText(
    f: FindingRecord,
    actor: Member,
    action: FindingAction,
    c: CleanStep,
    reader: Member,
    owner: string,
  ): string {
    const deadline = f.deadline
      ? formatDateTime(f.deadline, reader.locale, reader.timeZone)
      : t(reader.locale, 'finding.none');
    return t(reader.locale, `notice.${action}` as MessageKey, {
      actor: actor.displayName,
      id: f.id,
      deadline,
      percent: f.progressPercent,
      note: c.note ?? '',
      owner,
    });
  }
}

/** Where to reach a member: on the platform of the action when they use it, else on the other. */
export function platformFor(m: Member, preferred: Platform): Pick<OutboxItem, 'platform' | 'target'> | null {
  const other: Platform = preferred === 'slack' ? 'feishu' : 'slack';
  const id = platformIdOf(m, preferred);
  if (id) return { platform: preferred, target: { kind: 'user', id } };
  const alt = platformIdOf(m, other);
  return alt ? { platform: other, target: { kind: 'user', id: alt } } : null;
}

function eventData(c: CleanStep): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.date) out.deadline = c.date;
  if (c.percent !== undefined) out.percent = c.percent;
  if (c.ownerId !== undefined) out.ownerId = c.ownerId;
  if (c.evidence?.length) out.evidence = c.evidence;
  if (c.support) out.support = c.support;
  return out;
}

export { localDate };
