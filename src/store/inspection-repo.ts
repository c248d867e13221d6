import type {
  FinalizeInput,
  FinalizeResult,
  InspectionDraft,
  InspectionRepo,
  SavedFinding,
} from '../core/inspections/types.js';
import type { OutboxItem, Platform } from '../core/ports.js';
import type { Db } from './database.js';
import type { Execute, RawTransaction, Rows } from './hot-rows.js';
import { insertRows, insertRowsReturning } from './insert-rows.js';
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
  constructor(
    private readonly db: Db,
    private readonly rows: Rows,
    private readonly execute: Execute,
    private readonly transaction: RawTransaction,
  ) {}

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
    });
  }

  async draft(id: string) {
    // Read on every page submit: raw, as the org repo's hot reads are.
    const [r] = await this.rows<DraftRow>`SELECT * FROM "InspectionDraft" WHERE "id" = ${id}`;
    return r ? toDraft(r) : null;
  }

  async savePage(id: string, expectedPage: number, answers: Record<string, string>, nextPage: number) {
    // Conditional update: of two identical submits only one moves the draft on.
    // Raw, like the draft read (the client's updateMany costs several times the statement on this path);
    // updatedAt is set here as the client would.
    const count = await this
      .execute`UPDATE "InspectionDraft" SET "answers" = ${JSON.stringify(answers)}, "page" = ${nextPage}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "status" = 'open' AND "page" = ${expectedPage}`;
    return count === 1;
  }

  async finalize(
    input: FinalizeInput,
    compose: (inspectionId: number, findings: SavedFinding[]) => OutboxItem[],
  ): Promise<FinalizeResult> {
    // Plain statements, a few multi-row, in a transaction of plain statements (hot-rows.ts): through model
    // queries one submission cost about 7 ms of the client's CPU (one create per item result and finding), and
    // every other write waited for it (bench/ingress.ts, final submits).
    const at = input.submittedAt;
    const result = await this.transaction(async (tx) => {
      // Claimed and read in one statement: of two identical submits only one gets the row back.
      const [draft] = await tx.$queryRaw<
        DraftRow[]
      >`UPDATE "InspectionDraft" SET "status" = 'submitted', "answers" = ${JSON.stringify(input.answers)}, "updatedAt" = ${new Date()} WHERE "id" = ${input.draftId} AND "status" = 'open' AND "page" = ${input.expectedPage} RETURNING *`;
      if (!draft) return null;
      const [inspection] = await insertRowsReturning<{ id: number }>(
        tx,
        'Inspection',
        [
          {
            draftId: draft.id,
            templateVersionId: draft.templateVersionId,
            departmentId: draft.departmentId,
            supervisorId: draft.supervisorId,
            status: 'submitted',
            platform: draft.platform,
            channelId: draft.channelId,
            startedAt: draft.createdAt,
            submittedAt: at,
            overallScore: input.overallScore,
          },
        ],
        ['id'],
      );
      const inspectionId = inspection!.id;
      await tx.$executeRaw`UPDATE "InspectionDraft" SET "inspectionId" = ${inspectionId}, "updatedAt" = ${new Date()} WHERE "id" = ${draft.id}`;
      await insertRows(
        tx,
        'InspectionDimensionScore',
        input.dimensionScores.map((d) => ({
          inspectionId,
          departmentId: draft.departmentId,
          dimensionKey: d.dimensionKey,
          score: d.score,
        })),
      );
      const results = await insertRowsReturning<{ id: number; dimensionKey: string; itemKey: string }>(
        tx,
        'ItemResult',
        input.items.map((item) => ({
          inspectionId,
          dimensionKey: item.dimensionKey,
          itemKey: item.itemKey,
          answer: item.answer,
          failed: item.failed,
          note: item.note,
          evidenceUrl: item.evidenceUrl,
        })),
        ['id', 'dimensionKey', 'itemKey'],
      );
      const resultIds = new Map(results.map((r) => [`${r.dimensionKey}/${r.itemKey}`, r.id]));
      const failed = input.items.flatMap((item) =>
        item.finding
          ? [{ item, finding: item.finding, itemResultId: resultIds.get(`${item.dimensionKey}/${item.itemKey}`)! }]
          : [],
      );
      const created = await insertRowsReturning<{ id: number; itemResultId: number }>(
        tx,
        'Finding',
        failed.map(({ item, finding, itemResultId }) => ({
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
        ['id', 'itemResultId'],
      );
      const findingIds = new Map(created.map((f) => [f.itemResultId, f.id]));
      const findings: SavedFinding[] = failed.map(({ item, finding, itemResultId }) => ({
        ...finding,
        id: findingIds.get(itemResultId)!,
        dimensionKey: item.dimensionKey,
        itemKey: item.itemKey,
      }));
      await enqueueInTx(tx, compose(inspectionId, findings), at);
      return { kind: 'saved' as const, inspectionId, findings };
    });
    return result ?? { kind: 'stale', draft: await this.draft(input.draftId) };
  }
}
