import type { FindingRecord } from '../findings/record.js';
import { t } from '../i18n/t.js';
import type { OrgService } from '../org/service.js';
import type { Department, Member, Platform } from '../ports.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import type { TemplateService } from '../templates/service.js';
import { templateOf } from '../templates/service.js';
import type { FormOutcome, FormView, SelectOption } from '../views/types.js';
import type { FollowUpQueue } from './follow-ups.js';
import { buildPage, type FormContext, type FormLimits, outcomes, paginate, validatePage } from './form.js';
import { Materializer, scoresOf } from './materialize.js';
import type { InspectionDraft, InspectionRepo, NewFindingCard } from './types.js';

const MAX_PEOPLE = 100;

/** Who may inspect: asked when a checklist is opened and again when each page is submitted. */
export const INSPECTOR_ROLES = ['supervisor', 'admin'] as const;
export const mayInspect = (m: Pick<Member, 'role'>) => (INSPECTOR_ROLES as readonly string[]).includes(m.role);
const inspectorRoles = (locale: Member['locale']) => INSPECTOR_ROLES.map((r) => t(locale, `role.${r}`)).join(' / ');

export interface InspectionDeps {
  repo: InspectionRepo;
  org: OrgService;
  templates: TemplateService;
  limits: Record<Platform, FormLimits>;
  newId: () => string;
  /** When a new finding's plan is due (reminder rules). */
  planDueAt: (f: Pick<FindingRecord, 'createdAt'>, owner: Member | null) => Date | null;
  /** A new finding's first card (rectification's, given by the composition). */
  findingCard: NewFindingCard;
  /** Where a submission's details wait to be written after its answer (one queue per process, shared with Core). */
  followUps?: FollowUpQueue;
}

export class InspectionService {
  /** Writes a submission's details after its answer, one at a time (materialize.ts). */
  private readonly details: Materializer;

  constructor(private readonly d: InspectionDeps) {
    this.details = new Materializer(d);
  }

  /** People a finding can be assigned to: the department first, then everyone, at most 100 (Slack's limit). */
  private async people(dept: Department): Promise<{ options: SelectOption[]; defaultOwner: string | undefined }> {
    const { people, first: manager } = await this.d.org.pickable(dept.id, dept.managerId, MAX_PEOPLE);
    return {
      options: people.map((m) => ({ value: String(m.id), label: m.displayName })),
      defaultOwner: manager ? String(manager.id) : undefined,
    };
  }

  private async context(
    draft: InspectionDraft,
    reader: Member,
  ): Promise<{ ctx: FormContext; dept: Department; tpl: ChecklistTemplate; version: number; key: string } | null> {
    const [stored, dept] = await Promise.all([
      this.d.templates.byId(draft.templateVersionId),
      this.d.org.departmentById(draft.departmentId),
    ]);
    if (!stored || !dept) return null;
    const tpl = templateOf(stored);
    const people = await this.people(dept);
    return {
      dept,
      tpl,
      version: stored.version,
      key: stored.key,
      ctx: {
        tpl,
        locale: reader.locale,
        formId: draft.id,
        deptName: dept.name,
        people: people.options,
        defaultOwner: people.defaultOwner,
        limits: this.d.limits[draft.platform],
      },
    };
  }

  /** Creates a draft and returns the first page of the checklist. */
  async start(
    supervisor: Member,
    dept: Department,
    platform: Platform,
    channelId: string,
    now: Date,
  ): Promise<FormView | 'noTemplate'> {
    const stored = await this.d.templates.current();
    if (!stored) return 'noTemplate';
    const draft: InspectionDraft = {
      id: this.d.newId(),
      templateVersionId: stored.id,
      departmentId: dept.id,
      supervisorId: supervisor.id,
      platform,
      channelId,
      answers: {},
      page: 0,
      status: 'open',
      inspectionId: null,
      createdAt: now,
    };
    await this.d.repo.createDraft(draft);
    const c = await this.context(draft, supervisor);
    if (!c) return 'noTemplate';
    return buildPage(c.ctx, 0);
  }

  async submit(
    actor: Member,
    formId: string,
    page: number,
    raw: Record<string, string | undefined>,
    now: Date,
  ): Promise<FormOutcome> {
    const draft = await this.d.repo.draft(formId);
    const expired = (deptName: string): FormOutcome => ({
      kind: 'refused',
      message: t(actor.locale, 'inspect.err.expired', { dept: deptName }),
    });
    if (!draft) return expired('…');
    const c = await this.context(draft, actor);
    if (!c) return expired('…');
    if (draft.supervisorId !== actor.id) {
      const owner = await this.d.org.memberById(draft.supervisorId);
      return { kind: 'refused', message: t(actor.locale, 'perm.notYourForm', { name: owner?.displayName ?? '?' }) };
    }
    // Checked again at every submit: a supervisor demoted while the checklist was open saves nothing more.
    if (!mayInspect(actor))
      return { kind: 'refused', message: t(actor.locale, 'perm.denied', { roles: inspectorRoles(actor.locale) }) };
    if (draft.status === 'submitted') return this.alreadySaved(actor, draft, c.dept);
    if (page !== draft.page) return { kind: 'refused', message: t(actor.locale, 'inspect.err.stalePage') };

    const { values, errors } = validatePage(c.ctx, page, raw);
    const errorCount = Object.keys(errors).length;
    if (errorCount > 0) {
      return {
        kind: 'errors',
        errors,
        summary: t(actor.locale, 'inspect.err.summary', { n: errorCount }),
        form: buildPage(c.ctx, page, { ...pickPage(raw) }, errors),
      };
    }
    const answers = { ...draft.answers, ...values };
    const pageCount = paginate(c.tpl, c.ctx.limits).length;
    if (page + 1 < pageCount) {
      // A lost race (double click) leaves the draft as the winner saved it.
      if (!(await this.d.repo.savePage(draft.id, page, answers, page + 1))) return this.resubmitted(actor, draft.id);
      return { kind: 'next', form: buildPage(c.ctx, page + 1, answers) };
    }
    return this.finalize(actor, draft, c, answers, now);
  }

  /**
   * Saves the submission (the draft's answers, the inspection's header) in one short transaction and answers
   * with the confirmation; the details and messages are written after the answer is sent (`afterAnswer`).
   */
  private async finalize(
    actor: Member,
    draft: InspectionDraft,
    c: NonNullable<Awaited<ReturnType<InspectionService['context']>>>,
    answers: Record<string, string>,
    now: Date,
  ): Promise<FormOutcome> {
    const items = outcomes(c.tpl, answers);
    const scores = scoresOf(c.tpl, items);
    const result = await this.d.repo.submit({
      draft,
      expectedPage: draft.page,
      answers,
      submittedAt: now,
      overallScore: scores.overall,
    });
    if (result.kind === 'stale') return this.resubmitted(actor, draft.id);
    const { inspectionId } = result;
    const submission = { inspectionId, submittedAt: now, draft: { ...draft, answers } };
    const loaded = { tpl: c.tpl, version: c.version, dept: c.dept, supervisor: actor };
    return {
      kind: 'done',
      message: {
        text: t(actor.locale, 'inspect.saved', {
          id: inspectionId,
          dept: c.dept.name,
          score: scores.overall === null ? t(actor.locale, 'common.none') : scores.overall.toFixed(1),
          findings: items.filter((i) => i.finding).length,
        }),
        tone: 'success',
        blocks: [],
      },
      afterAnswer: () => this.details.later(submission, now, loaded),
    };
  }

  /**
   * Writes out the submissions saved before an ack but never written (the process died in between): every one
   * at start (`all`), else those saved over a minute ago. Returns how many were found.
   */
  recover(now: Date, all = false): Promise<number> {
    return this.details.recover(now, all);
  }

  private async resubmitted(actor: Member, draftId: string): Promise<FormOutcome> {
    const fresh = await this.d.repo.draft(draftId);
    const dept = fresh ? await this.d.org.departmentById(fresh.departmentId) : null;
    if (fresh?.status === 'submitted' && dept) return this.alreadySaved(actor, fresh, dept);
    return { kind: 'refused', message: t(actor.locale, 'inspect.err.stalePage') };
  }

  /** A repeated final submit (double click, retried delivery) answers as the first one did. */
  private alreadySaved(actor: Member, draft: InspectionDraft, dept: Department): FormOutcome {
    return {
      kind: 'done',
      message: {
        text: t(actor.locale, 'inspect.saved', {
          id: draft.inspectionId ?? '?',
          dept: dept.name,
          score: '—',
          findings: '—',
        }),
        tone: 'success',
        blocks: [],
      },
    };
  }
}

function pickPage(raw: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}
