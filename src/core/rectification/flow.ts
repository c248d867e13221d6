// Rectification declared as a flow: open → planned → in progress → submitted → accepted, or rejected back to
// in progress (the rules in lifecycle.ts), each step a form (forms.ts), one card per concerned person
// (views.ts). The flow engine (src/core/flows/engine.ts) does the checking, saving and notifying.

import type { FlowDefinition, FlowRepo, NoticeInput } from '../flows/definition.js';
import type { MessageKey } from '../i18n/messages.js';
import { pick, t } from '../i18n/t.js';
import type { OrgService } from '../org/service.js';
import type { Department, Member } from '../ports.js';
import { formatDateTime } from '../shared/format.js';
import type { DayCalendar } from '../shared/working-day.js';
import { type TemplateService, templateOf } from '../templates/service.js';
import type { MessageView } from '../views/types.js';
import { type CleanStep, deadlineAt, type StepFormContext, stepForm, validateStep } from './forms.js';
import { availableActions, RECTIFICATION_RULES, type Viewer } from './lifecycle.js';
import {
  type FindingAction,
  type FindingPatch,
  type FindingRecord,
  type FindingRepo,
  type FindingStatus,
  ownerOf,
} from './types.js';
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

export type RectificationFlow = FlowDefinition<
  FindingRecord,
  FindingStatus,
  FindingAction,
  FindingPatch,
  CleanStep,
  Viewer,
  StepFormContext
>;

const MAX_PEOPLE = 100;

/** Supervisors and admins see every finding; others those of their department or their own. */
export function mayViewFinding(me: Member, f: FindingRecord): boolean {
  return (
    me.role === 'admin' ||
    me.role === 'supervisor' ||
    me.departmentId === f.departmentId ||
    me.id === ownerOf(f) ||
    me.id === f.responsibleMemberId
  );
}

/** Everyone a finding concerns: its owner, the responsible person, the supervisor who found it, the manager. */
export const concernedIn = (f: FindingRecord, dept: Department | null) =>
  [ownerOf(f), f.responsibleMemberId, f.createdById, dept?.managerId ?? null].filter((x): x is number => x !== null);

/** The card of a finding as `reader` sees it, with the buttons of the steps they may take. */
export async function drawFindingCard(
  d: RectificationDeps,
  f: FindingRecord,
  reader: Member,
  lead?: string,
  dept?: Department | null,
): Promise<MessageView> {
  const [department, stored, owner] = await Promise.all([
    dept === undefined ? d.org.departmentById(f.departmentId) : Promise.resolve(dept),
    d.templates.byId(f.templateVersionId),
    d.org.memberById(ownerOf(f)),
  ]);
  const tpl = stored ? templateOf(stored) : null;
  const dim = tpl?.dimensions.find((x) => x.key === f.dimensionKey);
  const item = dim?.items.find((i) => i.key === f.itemKey);
  const members = await d.org.membersByIds([...new Set([ownerOf(f), f.responsibleMemberId])]);
  const viewer: Viewer = { member: reader, departmentManagerId: department?.managerId ?? null };
  return findingCard(f, {
    locale: reader.locale,
    timeZone: reader.timeZone,
    deptName: department?.name ?? '?',
    dimension: dim ? pick(dim.name, reader.locale) : f.dimensionKey,
    item: item ? pick(item.text, reader.locale) : f.itemKey,
    names: new Map(members.map((m) => [m.id, m.displayName])),
    actions: availableActions(f, viewer),
    lead,
    planDueAt: f.status === 'open' ? d.planDueAt(f, owner) : null,
  });
}

export function rectificationFlow(d: RectificationDeps): RectificationFlow {
  return {
    ...RECTIFICATION_RULES,
    texts: {
      unknown: 'finding.unknown',
      viewNotAllowed: 'refuse.viewNotAllowed',
      stale: 'refuse.stale',
      wrongStatus: 'refuse.wrongStatus',
      notAllowed: 'refuse.notAllowed',
      saved: 'done.saved',
      status: (s) => `status.${s}` as MessageKey,
      step: (s) => `action.${s}`,
      role: (r) => `who.${r}` as MessageKey,
      or: 'who.or',
    },
    viewer: async (me, f) => ({
      member: me,
      departmentManagerId: (await d.org.departmentById(f.departmentId))?.managerId ?? null,
    }),
    mayView: mayViewFinding,
    formContext: (me, f) => formContext(d, me, f),
    form: stepForm,
    validate: validateStep,
    patch: (action, f, c, _me, now) => patchFor(d, action, f, c, now),
    apply: (f, patch, status) => ({ ...f, ...patch, status }),
    event: (_action, c) => ({ note: c.note ?? c.measures ?? null, data: eventData(c) }),
    cards: async (f) => {
      const dept = await d.org.departmentById(f.departmentId);
      return {
        concerned: (x) => concernedIn(x, dept),
        draw: (x, reader, lead) => drawFindingCard(d, x, reader, lead, dept),
      };
    },
    nextActors: (action, f) =>
      action === 'submit' || action === 'plan'
        ? [f.createdById]
        : action === 'reject' || action === 'extend' || action === 'accept' || action === 'reassign'
          ? [ownerOf(f)]
          : [],
    notice: noticeText,
    noticeTone: (action) => (action === 'reject' ? 'danger' : 'default'),
    // Any change may move reminders: the next sweep works out when (reminders/schedule.ts); accepted is done.
    due: (f, now) => (f.status === 'accepted' ? null : now),
    history: (f, events, names, reader) => historyMessage(f, events, names, reader),
  };
}

/** A local date becomes an instant: the end of working hours that day in the owner's zone. */
async function deadlineInstant(d: RectificationDeps, date: string, ownerId: number): Promise<Date> {
  const owner = await d.org.memberById(ownerId);
  return deadlineAt(date, owner?.timeZone ?? 'UTC', d.deadlineTime);
}

/** What each step changes besides the status (the rules) and the next reminder (the flow's due time). */
async function patchFor(
  d: RectificationDeps,
  action: FindingAction,
  f: FindingRecord,
  c: CleanStep,
  now: Date,
): Promise<FindingPatch> {
  switch (action) {
    case 'plan': {
      const ownerId = c.ownerId ?? ownerOf(f);
      return {
        planMeasures: c.measures,
        planSupport: c.support ?? null,
        ownerId: ownerId === f.responsibleMemberId ? null : ownerId,
        planSubmittedAt: now,
        deadline: await deadlineInstant(d, c.date!, ownerId),
      };
    }
    case 'progress':
      return { progressPercent: c.percent };
    case 'submit':
      return {
        acceptanceRequestedAt: now,
        ...(c.evidence?.length ? { evidenceUrls: [...f.evidenceUrls, ...c.evidence] } : {}),
      };
    case 'accept':
      return { closedAt: now, progressPercent: 100 };
    case 'reject':
      return {
        rejectionCount: f.rejectionCount + 1,
        acceptanceRequestedAt: null,
        deadline: await deadlineInstant(d, c.date!, ownerOf(f)),
      };
    case 'extend':
      return { deadline: await deadlineInstant(d, c.date!, ownerOf(f)) };
    case 'reassign':
      return { ownerId: c.ownerId === f.responsibleMemberId ? null : c.ownerId };
  }
}

/** The line saying what a step did, on top of a card or as the notice to whoever acts next. */
function noticeText({
  step,
  record: f,
  actor,
  clean,
  reader,
  people,
}: NoticeInput<FindingRecord, FindingAction, CleanStep>) {
  const owner = people.find((x) => x.id === ownerOf(f))?.displayName ?? `#${ownerOf(f)}`;
  const deadline = f.deadline
    ? formatDateTime(f.deadline, reader.locale, reader.timeZone)
    : t(reader.locale, 'finding.none');
  return t(reader.locale, `notice.${step}` as MessageKey, {
    actor: actor.displayName,
    id: f.id,
    deadline,
    percent: f.progressPercent,
    note: clean.note ?? '',
    owner,
  });
}

/** A step form's context: the people offered, and each one's zone, in which a deadline date is read. */
async function formContext(d: RectificationDeps, me: Member, f: FindingRecord): Promise<StepFormContext> {
  const list = (await d.org.pickable(f.departmentId, ownerOf(f), MAX_PEOPLE)).people;
  const byId = new Map(list.map((m) => [m.id, { name: m.displayName, timeZone: m.timeZone }]));
  return {
    finding: f,
    locale: me.locale,
    timeZone: me.timeZone,
    people: list.map((m) => ({ value: String(m.id), label: m.displayName })),
    deadline: { time: d.deadlineTime, owner: (id) => byId.get(id) },
    calendar: d.calendar,
  };
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

/** The findings' store seen through the flow port: the step's state and due time become finding columns. */
export function findingFlowRepo(findings: FindingRepo): FlowRepo<FindingRecord, FindingPatch, FindingStatus> {
  return {
    byId: (id) => findings.byId(id),
    events: async (id) =>
      (await findings.events(id)).map((e) => ({
        actorId: e.actorId,
        at: e.at,
        action: e.action,
        from: e.fromStatus,
        to: e.toStatus,
        note: e.note,
        data: e.data,
      })),
    transition: (input, now) =>
      findings.transition(
        {
          id: input.id,
          expectedVersion: input.expectedVersion,
          patch: {
            ...input.patch,
            status: input.state,
            ...(input.dueAt !== undefined ? { nextReminderAt: input.dueAt } : {}),
          },
          event: {
            actorId: input.event.actorId,
            at: input.event.at,
            action: input.event.action as FindingAction,
            fromStatus: input.event.from,
            toStatus: input.event.to,
            note: input.event.note,
            data: input.event.data,
          },
          outbox: input.outbox,
        },
        now,
      ),
  };
}
