import { randomUUID } from 'node:crypto';
import { Core } from './app.js';
import { ApprovalService } from './approvals/service.js';
import { type CustomerLinkRepo, CustomerLinkService } from './evaluations/customer-link.js';
import { CustomerLinkIssuer } from './evaluations/customer-link-issuer.js';
import { EvaluationCycleService } from './evaluations/cycles/service.js';
import type { EvaluationRepo } from './evaluations/cycles/types.js';
import type { SummarySource } from './evaluations/summary.js';
import type { FlowItemStore } from './flows/items.js';
import { FlowRoutes } from './flows/registry.js';
import { DEFAULT_FORM_LIMITS, fitProblems } from './inspections/fit.js';
import { FollowUpQueue } from './inspections/follow-ups.js';
import type { FormLimits } from './inspections/form.js';
import { InspectionService } from './inspections/service.js';
import type { InspectionRepo } from './inspections/types.js';
import { type OrgDefaults, OrgService } from './org/service.js';
import type { Member, OrgRepo, OutboxRepo, Platform, ProfileLookup, TemplateRepo } from './ports.js';
import { RectificationService } from './rectification/service.js';
import type { FindingRecord, FindingRepo } from './rectification/types.js';
import { newFindingCard } from './rectification/views.js';
import { WorkCalendar } from './reminders/calendar.js';
import { DEFAULT_REMINDER_RULES, type ReminderRules } from './reminders/rules.js';
import { planDueAt as planDueAtRule } from './reminders/schedule.js';
import type { StatusRepo } from './status/types.js';
import { TemplateService } from './templates/service.js';

// The page budgets live with the check that templates fit them (templates/fit.ts); exported here as before.
export { DEFAULT_FORM_LIMITS };

export interface CoreRepos {
  org: OrgRepo;
  templates: TemplateRepo;
  inspections: InspectionRepo;
  status: StatusRepo;
  findings: FindingRepo;
  /** The store of declared flows without a table of their own (approvals); absent: no approvals. */
  flowItems?: FlowItemStore;
  evaluations?: EvaluationRepo;
  /** One-time customer links (with evaluations). */
  customerLinks?: CustomerLinkRepo;
  /** What `eval summary` reads (with evaluations). */
  evaluationSummaries?: SummarySource;
  /** Where `eval export` queues its file request (with evaluations). */
  outbox?: Pick<OutboxRepo, 'enqueue'>;
}

export interface RectificationOptions {
  /** Local time a deadline date ends (default 18:00, the end of working hours). */
  deadlineTime?: string;
  /**
   * The reminder rules: an open finding's plan is due their `plan.dueAfterWorkingDays` after it was found, at
   * the end of working hours in the owner's zone (by `calendar`). Without them no plan is ever late.
   */
  rules?: Pick<ReminderRules, 'plan' | 'workingHours'>;
  remindNow?: (now: Date) => Promise<{ reminders: number; digests: number }>;
  /** Working days for deadlines (the reminder calendar); findings use the default rules' calendar without it. */
  calendar?: WorkCalendar | null;
}

/** The core's own plan-due rule, bound to the operator's reminder rules and calendar (none without rules). */
function boundPlanDue(rules: RectificationOptions['rules'], calendar: WorkCalendar, defaultZone: string) {
  return rules
    ? (f: Pick<FindingRecord, 'createdAt'>, owner: Member | null) =>
        planDueAtRule(f.createdAt, owner?.timeZone ?? defaultZone, rules, calendar)
    : undefined;
}

export function createCore(
  repos: CoreRepos,
  opts: {
    profiles: Partial<Record<Platform, ProfileLookup>>;
    defaults: OrgDefaults;
    limits?: Record<Platform, FormLimits>;
    newId?: () => string;
    rectification?: RectificationOptions;
    /** DUDAO_PUBLIC_URL, for customer links; without it `eval link` says it is needed. */
    publicUrl?: string;
  },
) {
  const org = new OrgService(repos.org, opts.profiles, opts.defaults);
  const limits = opts.limits ?? DEFAULT_FORM_LIMITS;
  const templates = new TemplateService(repos.templates, (tpl) => fitProblems(tpl, limits));
  const calendar = opts.rectification?.calendar ?? new WorkCalendar(DEFAULT_REMINDER_RULES.calendar);
  const planDueAt = boundPlanDue(opts.rectification?.rules, calendar, opts.defaults.timeZone);
  // Work left for after an answer (a checklist's details) runs when no request is being answered.
  const followUps = new FollowUpQueue();
  const inspections = new InspectionService({
    repo: repos.inspections,
    org,
    templates,
    limits,
    newId: opts.newId ?? randomUUID,
    planDueAt: planDueAt ?? (() => null),
    findingCard: newFindingCard,
    followUps,
  });
  const rectification = new RectificationService({
    findings: repos.findings,
    org,
    templates,
    deadlineTime: opts.rectification?.deadlineTime ?? '18:00',
    planDueAt: planDueAt ?? (() => null),
    calendar,
  });
  const { evaluations, customerLinks, customerLinkIssuer } = evaluationServices(
    repos,
    org,
    opts.rectification,
    opts.publicUrl,
  );
  // Every form type and button, by name, to the feature that owns it.
  const routes = new FlowRoutes().form('inspection', (me, i) =>
    inspections.submit(me, i.formId, i.page, i.values, i.now),
  );
  rectification.register(routes);
  evaluations?.register(routes);
  const approvals = repos.flowItems ? new ApprovalService({ items: repos.flowItems, people: org }) : undefined;
  approvals?.register(routes);
  const core = new Core({
    routes,
    followUps,
    org,
    templates,
    inspections,
    status: repos.status,
    rectification,
    findings: repos.findings,
    remindNow: opts.rectification?.remindNow,
    evaluations,
    planDueAt,
  });
  return {
    core,
    org,
    templates,
    inspections,
    rectification,
    evaluations,
    customerLinks,
    customerLinkIssuer,
    approvals,
    routes,
    /** Declared flows with reminders of their own, for the reminder sweep. */
    flows: approvals ? [approvals.engine] : [],
  };
}

/**
 * Evaluation cycles and their one-time customer links, when the store has them: the cycles make links
 * (`eval link`), and a link's answers are recorded by the cycles.
 */
function evaluationServices(
  repos: CoreRepos,
  org: OrgService,
  rectification: RectificationOptions | undefined,
  publicUrl: string | undefined,
) {
  if (!repos.evaluations) return { evaluations: undefined, customerLinks: undefined, customerLinkIssuer: undefined };
  const customerLinkIssuer = repos.customerLinks
    ? new CustomerLinkIssuer({ repo: repos.customerLinks, publicUrl })
    : undefined;
  const evaluations = new EvaluationCycleService({
    repo: repos.evaluations,
    org,
    calendar: rectification?.calendar ?? null,
    endOfDay: rectification?.deadlineTime ?? '18:00',
    links: customerLinkIssuer,
    summaries: repos.evaluationSummaries,
    outbox: repos.outbox,
  });
  const customerLinks = repos.customerLinks
    ? new CustomerLinkService({
        repo: repos.customerLinks,
        record: (...a) => evaluations.recordCustomerSubmission(...a),
      })
    : undefined;
  return { evaluations, customerLinks, customerLinkIssuer };
}
