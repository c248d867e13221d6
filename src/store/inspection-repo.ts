import type {
  FinalizeInput,
  FinalizeResult,
  InspectionDraft,
  InspectionRepo,
  SavedFinding,
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

  async finalize(
    input: FinalizeInput,
    compose: (inspectionId: number, findings: SavedFinding[]) => OutboxItem[],
  ): Promise<FinalizeResult> {
    const result = await this.db.$transaction(async (tx) => {
      // Claimed and read in one statement: of two identical submits only one gets the row back.
      const [draft] = await tx.inspectionDraft.updateManyAndReturn({
        where: { id: input.draftId, status: 'open', page: input.expectedPage },
        data: { status: 'submitted', answers: JSON.stringify(input.answers) },
      });
      if (!draft) return null;
      const inspectionId = await saveInspection(tx, input, draft);
      const findings = await saveResults(tx, input, draft, inspectionId);
      await enqueueInTx(tx, compose(inspectionId, findings), input.submittedAt);
      return { kind: 'saved' as const, inspectionId, findings };
    });
    return result ?? { kind: 'stale', draft: await this.draft(input.draftId) };
  }
}

/** The inspection and its dimension scores; the draft is linked to it. */
async function saveInspection(tx: Tx, input: FinalizeInput, draft: DraftRow): Promise<number> {
  const { id: inspectionId } = await tx.inspection.create({
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
  await tx.inspectionDraft.update({ where: { id: draft.id }, data: { inspectionId }, select: { id: true } });
  if (input.dimensionScores.length > 0)
    await tx.inspectionDimensionScore.createMany({
      data: input.dimensionScores.map((d) => ({
        inspectionId,
        departmentId: draft.departmentId,
        dimensionKey: d.dimensionKey,
        score: d.score,
      })),
    });
  return inspectionId;
}

/** Every item's result, and a finding for each failed item that has one. */
async function saveResults(
  tx: Tx,
  input: FinalizeInput,
  draft: DraftRow,
  inspectionId: number,
): Promise<SavedFinding[]> {
  const at = input.submittedAt;
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
      departmentId: draft.departmentId,
      responsibleMemberId: finding.responsibleMemberId,
      description: finding.description,
      impact: finding.impact,
      severity: finding.severity,
      evidenceUrls: JSON.stringify(finding.evidenceUrls),
      createdById: draft.supervisorId,
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
