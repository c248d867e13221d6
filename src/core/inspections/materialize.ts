// The second half of a final submit: the submission (the draft's answers and the inspection's header) is saved
// before the ack; its details (dimension scores, item results, findings) and its messages (the channel summary,
// each responsible person's first card) are written after it, in one transaction claimed on the inspection, so a
// retry or two processes' recoveries write them once. A submission the process died before writing out is
// found again by `recover` (at start and on the outbox's timer).
import type { FindingRecord } from '../findings/record.js';
import { t } from '../i18n/t.js';
import type { OrgService } from '../org/service.js';
import { platformFor, platformIdOf } from '../org/service.js';
import type { Department, Member, OutboxItem } from '../ports.js';
import type { ChecklistTemplate } from '../templates/schema.js';
import type { TemplateService } from '../templates/service.js';
import { templateOf } from '../templates/service.js';
import { FollowUpQueue } from './follow-ups.js';
import { outcomes } from './form.js';
import { scoreInspection } from './scoring.js';
import type {
  InspectionDraft,
  InspectionRepo,
  ItemOutcome,
  NewFindingCard,
  SavedFinding,
  Submission,
} from './types.js';
import { itemText, summaryMessage } from './views.js';

export interface MaterializeDeps {
  repo: InspectionRepo;
  org: OrgService;
  templates: TemplateService;
  /** When a new finding's plan is due (reminder rules). */
  planDueAt: (f: Pick<FindingRecord, 'createdAt'>, owner: Member | null) => Date | null;
  /** A new finding's first card (rectification's, given by the composition). */
  findingCard: NewFindingCard;
  /** The process's queue of work after answers, which knows when a request is being answered (create-core.ts). */
  followUps?: FollowUpQueue;
}

/** What the submit had already read; the recovery reads it again. */
export interface Loaded {
  tpl: ChecklistTemplate;
  version: number;
  dept: Department;
  supervisor: Member;
}

/** Recovery batch: the outbox's timer comes back for the rest. */
const RECOVER_BATCH = 100;
/** A submission younger than this is left to the live queue that has it (here, or in a peer process). */
const RECOVER_AFTER_MS = 60_000;

export function scoresOf(tpl: ChecklistTemplate, items: ItemOutcome[]) {
  return scoreInspection(tpl, (dk, ik) => items.find((i) => i.dimensionKey === dk && i.itemKey === ik)?.answer ?? '');
}

export class Materializer {
  private readonly queue: FollowUpQueue;

  constructor(private readonly d: MaterializeDeps) {
    this.queue = d.followUps ?? new FollowUpQueue();
  }

  /** Queues writing out a saved submission; resolves when it is written (or was already). */
  later(sub: Submission, at: Date, loaded?: Loaded): Promise<void> {
    return this.queue.run(String(sub.inspectionId), () => this.write(sub, at, loaded));
  }

  /**
   * Writes out the submissions saved but not written (the process died after their ack): `all` at start, else
   * those saved over a minute ago. Every one is tried; the first failure is thrown after (the next sweep
   * tries it again). Returns how many this run wrote or found written.
   */
  async recover(now: Date, all: boolean): Promise<number> {
    const before = all ? now : new Date(now.getTime() - RECOVER_AFTER_MS);
    const subs = await this.d.repo.unmaterialized(before, RECOVER_BATCH);
    const results = await Promise.allSettled(subs.map((s) => this.later(s, now)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return subs.length;
  }

  private async load(draft: InspectionDraft): Promise<Loaded> {
    const [stored, dept, supervisor] = await Promise.all([
      this.d.templates.byId(draft.templateVersionId),
      this.d.org.departmentById(draft.departmentId),
      this.d.org.memberById(draft.supervisorId),
    ]);
    // Never deleted in practice; if one were, the submission stays unwritten and each sweep says so.
    if (!stored || !dept || !supervisor)
      throw new Error(`inspection draft ${draft.id}: its template, department or supervisor is gone`);
    return { tpl: templateOf(stored), version: stored.version, dept, supervisor };
  }

  private async write(sub: Submission, at: Date, loaded?: Loaded): Promise<void> {
    const { draft } = sub;
    const l = loaded ?? (await this.load(draft));
    const items = outcomes(l.tpl, draft.answers);
    const scores = scoresOf(l.tpl, items);
    const ownerIds = [...new Set(items.flatMap((i) => (i.finding ? [i.finding.responsibleMemberId] : [])))];
    const owners = await this.d.org.membersByIds(ownerIds);
    const now = sub.submittedAt;
    await this.d.repo.materialize(
      {
        inspectionId: sub.inspectionId,
        departmentId: draft.departmentId,
        supervisorId: draft.supervisorId,
        submittedAt: now,
        materializedAt: at,
        dimensionScores: scores.dimensions,
        items,
      },
      (findings): OutboxItem[] => {
        const { inspectionId } = sub;
        const actor = l.supervisor;
        const info = { inspectionId, dept: l.dept, supervisor: actor, tpl: l.tpl, version: l.version, at: now };
        const supervisorId = platformIdOf(actor, draft.platform);
        return [
          {
            platform: draft.platform,
            target: { kind: 'channel', id: draft.channelId },
            message: summaryMessage({ ...info, findings, owners, scores }, actor.locale, actor.timeZone),
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
          ...this.firstCards(sub, l, findings, owners),
        ];
      },
    );
  }

  /** Each responsible person gets one card per finding; later steps update that card in place. */
  private firstCards(sub: Submission, l: Loaded, findings: SavedFinding[], owners: Member[]): OutboxItem[] {
    const { draft, inspectionId, submittedAt: now } = sub;
    const out: OutboxItem[] = [];
    for (const f of findings) {
      const owner = owners.find((o) => o.id === f.responsibleMemberId);
      const where = owner ? platformFor(owner, draft.platform) : null;
      if (!owner || !where) continue;
      const record = newFindingRecord(f, inspectionId, draft, now);
      const it = itemText(l.tpl, f.dimensionKey, f.itemKey, owner.locale);
      out.push({
        ...where,
        message: this.d.findingCard(record, owner, {
          dept: l.dept,
          dimension: it.dimension,
          item: it.item,
          lead: t(owner.locale, 'dm.intro', {
            supervisor: l.supervisor.displayName,
            dept: l.dept.name,
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
