import type { FindingRecord } from '../findings/record.js';
import { t } from '../i18n/t.js';
import type { OrgService } from '../org/service.js';
import { platformFor, platformIdOf } from '../org/service.js';
import type { Department, Member, OutboxItem, Platform } from '../ports.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import type { TemplateService } from '../templates/service.js';
import { templateOf } from '../templates/service.js';
import type { FormOutcome, FormView, SelectOption } from '../views/types.js';
import { buildPage, type FormContext, type FormLimits, outcomes, paginate, validatePage } from './form.js';
import { scoreInspection } from './scoring.js';
import type { InspectionDraft, InspectionRepo, NewFindingCard, SavedFinding } from './types.js';
import { itemText, summaryMessage } from './views.js';

const MAX_PEOPLE = 100;

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
}

export class InspectionService {
  constructor(private readonly d: InspectionDeps) {}

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

  private async finalize(
    actor: Member,
    draft: InspectionDraft,
    c: NonNullable<Awaited<ReturnType<InspectionService['context']>>>,
    answers: Record<string, string>,
    now: Date,
  ): Promise<FormOutcome> {
    const items = outcomes(c.tpl, answers);
    const scores = scoreInspection(
      c.tpl,
      (dk, ik) => items.find((i) => i.dimensionKey === dk && i.itemKey === ik)?.answer ?? '',
    );
    const ownerIds = [...new Set(items.flatMap((i) => (i.finding ? [i.finding.responsibleMemberId] : [])))];
    const owners = await this.d.org.membersByIds(ownerIds);
    const result = await this.d.repo.finalize(
      {
        draftId: draft.id,
        expectedPage: draft.page,
        answers,
        submittedAt: now,
        overallScore: scores.overall,
        dimensionScores: scores.dimensions,
        items,
      },
      (inspectionId, findings): OutboxItem[] => {
        const info = {
          inspectionId,
          dept: c.dept,
          supervisor: actor,
          tpl: c.tpl,
          version: c.version,
          at: now,
          findings,
          owners,
          scores,
        };
        const supervisorId = platformIdOf(actor, draft.platform);
        const out: OutboxItem[] = [
          {
            platform: draft.platform,
            target: { kind: 'channel', id: draft.channelId },
            message: summaryMessage(info, actor.locale, actor.timeZone),
            dedupeKey: `inspection:${inspectionId}:summary`,
            // Started somewhere the bot cannot post (a private channel or a DM it is not in): the supervisor gets it.
            ...(supervisorId
              ? {
                  fallback: {
                    target: { kind: 'user' as const, id: supervisorId },
                    lead: t(actor.locale, 'summary.fallback'),
                  },
                }
              : {}),
          },
        ];
        out.push(...this.firstCards(actor, draft, c, inspectionId, findings, owners, now));
        return out;
      },
    );
    if (result.kind === 'stale') return this.resubmitted(actor, draft.id);
    return {
      kind: 'done',
      message: {
        text: t(actor.locale, 'inspect.saved', {
          id: result.inspectionId,
          dept: c.dept.name,
          score: scores.overall === null ? t(actor.locale, 'common.none') : scores.overall.toFixed(1),
          findings: result.findings.length,
        }),
        tone: 'success',
        blocks: [],
      },
    };
  }

  /** Each responsible person gets one card per finding; later steps update that card in place. */
  private firstCards(
    actor: Member,
    draft: InspectionDraft,
    c: NonNullable<Awaited<ReturnType<InspectionService['context']>>>,
    inspectionId: number,
    findings: SavedFinding[],
    owners: Member[],
    now: Date,
  ): OutboxItem[] {
    const out: OutboxItem[] = [];
    for (const f of findings) {
      const owner = owners.find((o) => o.id === f.responsibleMemberId);
      const where = owner ? platformFor(owner, draft.platform) : null;
      if (!owner || !where) continue;
      const record = newFindingRecord(f, inspectionId, draft, now);
      const it = itemText(c.tpl, f.dimensionKey, f.itemKey, owner.locale);
      out.push({
        ...where,
        message: this.d.findingCard(record, owner, {
          dept: c.dept,
          dimension: it.dimension,
          item: it.item,
          lead: t(owner.locale, 'dm.intro', {
            supervisor: actor.displayName,
            dept: c.dept.name,
            inspection: inspectionId,
          }),
          planDueAt: this.d.planDueAt(record, owner),
        }),
        dedupeKey: `finding:${f.id}:v0:card:${owner.id}`,
        refKey: `finding:${f.id}:card:${owner.id}`,
      });
    }
    return out;
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

function newFindingRecord(f: SavedFinding, inspectionId: number, draft: InspectionDraft, now: Date): FindingRecord {
  return {
    ...f,
    inspectionId,
    templateVersionId: draft.templateVersionId,
    departmentId: draft.departmentId,
    status: 'open',
    ownerId: null,
    createdById: draft.supervisorId,
    createdAt: now,
    closedAt: null,
    planMeasures: null,
    planSupport: null,
    planSubmittedAt: null,
    deadline: null,
    progressPercent: 0,
    acceptanceRequestedAt: null,
    rejectionCount: 0,
    reminderCount: 0,
    escalationCount: 0,
    nextReminderAt: now,
    version: 0,
  };
}

function pickPage(raw: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}
