import type {
  InspectionDraft,
  InspectionRepo,
  MaterializeInput,
  MaterializeResult,
  SavedFinding,
  Submission,
  SubmitInput,
  SubmitResult,
} from '../core/inspections/types.js';
import type { OutboxItem, Platform } from '../core/ports.js';
import type { Db, Tx } from './database.js';
import { enqueueInTx } from './outbox-repo.js';

type DraftRow = Awaited<ReturnType<Db['inspectionDraft']['findFirstOrThrow']>>;
const toDraft = (r: DraftRow): InspectionDraft => ({
  id: r.id,
  templateVersionId: r.templateVersionId,
  departmentId: r.departmentId,
  supervisorId: r.supervisorId,
  platform: r.platform as Platform,
  channelId: r.channelId,
  answers: JSON.parse(r.answers) as Record<string, string>,
  page: r.page,
  status: r.status as InspectionDraft['status'],
  inspectionId: r.inspectionId,
  createdAt: r.createdAt,
});

export class PrismaInspectionRepo implements InspectionRepo {
  constructor(private readonly db: Db) {}

  async createDraft(d: Omit<InspectionDraft, 'answers' | 'page' | 'status' | 'inspectionId'>) {
    await this.db.inspectionDraft.create({
      data: {
        id: d.id,
        templateVersionId: d.templateVersionId,
        departmentId: d.departmentId,
        supervisorId: d.supervisorId,
        platform: d.platform,
        channelId: d.channelId,
        createdAt: d.createdAt,
      },
      select: { id: true },
    });
  }

  async draft(id: string) {
    const r = await this.db.inspectionDraft.findUnique({ where: { id } });
    return r ? toDraft(r) : null;
  }

  async savePage(id: string, expectedPage: number, answers: Record<string, string>, nextPage: number) {
    // Conditional update: of two identical submits only one moves the draft on.
    const { count } = await this.db.inspectionDraft.updateMany({
      where: { id, status: 'open', page: expectedPage },
      data: { answers: JSON.stringify(answers), page: nextPage },
    });
    return count === 1;
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const { draft } = input;
    const inspectionId = await this.db.$transaction(async (tx) => {
      // Conditional update: of two identical submits only one moves the draft on.
      const { count } = await tx.inspectionDraft.updateMany({
        where: { id: draft.id, status: 'open', page: input.expectedPage },
        data: { status: 'submitted', answers: JSON.stringify(input.answers) },
      });
      if (count !== 1) return null;
      const { id } = await tx.inspection.create({
        data: {
          draftId: draft.id,
          templateVersionId: draft.templateVersionId,
          departmentId: draft.departmentId,
          supervisorId: draft.supervisorId,
          status: 'submitted',
          platform: draft.platform,
          channelId: draft.channelId,
          startedAt: draft.createdAt,
          submittedAt: input.submittedAt,
          overallScore: input.overallScore,
        },
        select: { id: true },
      });
      await tx.inspectionDraft.update({ where: { id: draft.id }, data: { inspectionId: id }, select: { id: true } });
      return id;
    });
    return inspectionId === null ? { kind: 'stale' } : { kind: 'saved', inspectionId };
  }

  async unmaterialized(before: Date, limit: number): Promise<Submission[]> {
    const rows = await this.db.inspection.findMany({
      where: { materializedAt: null, submittedAt: { lte: before } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, draftId: true, submittedAt: true },
    });
    if (rows.length === 0) return [];
    const drafts = await this.db.inspectionDraft.findMany({ where: { id: { in: rows.map((r) => r.draftId) } } });
    const byId = new Map(drafts.map((d) => [d.id, toDraft(d)]));
    return rows.flatMap((r) => {
      const draft = byId.get(r.draftId);
      return draft ? [{ inspectionId: r.id, submittedAt: r.submittedAt, draft }] : [];
    });
  }

  async materialize(
    input: MaterializeInput,
    compose: (findings: SavedFinding[]) => OutboxItem[],
  ): Promise<MaterializeResult> {
    return this.db.$transaction(async (tx) => {
      // The claim: of two runs (a retry, two processes' recoveries) only the first writes anything.
      const { count } = await tx.inspection.updateMany({
        where: { id: input.inspectionId, materializedAt: null },
        data: { materializedAt: input.materializedAt },
      });
      if (count !== 1) return { kind: 'done' as const };
      if (input.dimensionScores.length > 0)
        await tx.inspectionDimensionScore.createMany({
          data: input.dimensionScores.map((d) => ({
            inspectionId: input.inspectionId,
            departmentId: input.departmentId,
            dimensionKey: d.dimensionKey,
            score: d.score,
          })),
        });
      const findings = await saveResults(tx, input);
      await enqueueInTx(tx, compose(findings), input.submittedAt);
      return { kind: 'saved' as const, findings };
    });
  }
}

/** Every item's result, and a finding for each failed item that has one. */
async function saveResults(tx: Tx, input: MaterializeInput): Promise<SavedFinding[]> {
  const { inspectionId, submittedAt: at } = input;
  const results = await tx.itemResult.createManyAndReturn({
    data: input.items.map((item) => ({
      inspectionId,
      dimensionKey: item.dimensionKey,
      itemKey: item.itemKey,
      answer: item.answer,
      failed: item.failed,
      note: item.note,
      evidenceUrl: item.evidenceUrl,
    })),
    select: { id: true, dimensionKey: true, itemKey: true },
  });
  const resultIds = new Map(results.map((r) => [`${r.dimensionKey}/${r.itemKey}`, r.id]));
  const failed = input.items.flatMap((item) =>
    item.finding
      ? [{ item, finding: item.finding, itemResultId: resultIds.get(`${item.dimensionKey}/${item.itemKey}`)! }]
      : [],
  );
  if (failed.length === 0) return [];
  const created = await tx.finding.createManyAndReturn({
    data: failed.map(({ item, finding, itemResultId }) => ({
      inspectionId,
      itemResultId,
      dimensionKey: item.dimensionKey,
      itemKey: item.itemKey,
      departmentId: input.departmentId,
      responsibleMemberId: finding.responsibleMemberId,
      description: finding.description,
      impact: finding.impact,
      severity: finding.severity,
      evidenceUrls: JSON.stringify(finding.evidenceUrls),
      createdById: input.supervisorId,
      createdAt: at,
      updatedAt: at,
      // The reminder sweep works out when the plan is due.
      nextReminderAt: at,
    })),
    select: { id: true, itemResultId: true },
  });
  const findingIds = new Map(created.map((f) => [f.itemResultId, f.id]));
  return failed.map(({ item, finding, itemResultId }) => ({
    ...finding,
    id: findingIds.get(itemResultId)!,
    dimensionKey: item.dimensionKey,
    itemKey: item.itemKey,
  }));
}
