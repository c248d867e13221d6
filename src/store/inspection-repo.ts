import type { OutboxItem, Platform } from '../core/ports.js';
import type { FinalizeInput, FinalizeResult, InspectionDraft, InspectionRepo, SavedFinding, Severity } from '../core/inspections/types.js';
import type { Db } from './database.js';
import type { Execute, Rows } from './hot-rows.js';
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
  ) {}

  async createDraft(d: Omit<InspectionDraft, 'answers' | 'page' | 'status' | 'inspectionId'>) {
    await this.db.inspectionDraft.create({
      data: { id: d.id, templateVersionId: d.templateVersionId, departmentId: d.departmentId, supervisorId: d.supervisorId, platform: d.platform, channelId: d.channelId, createdAt: d.createdAt },
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
    const count = await this.execute`UPDATE "InspectionDraft" SET "answers" = ${JSON.stringify(answers)}, "page" = ${nextPage}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "status" = 'open' AND "page" = ${expectedPage}`;
    return count === 1;
  }

  async finalize(input: FinalizeInput, compose: (inspectionId: number, findings: SavedFinding[]) => OutboxItem[]): Promise<FinalizeResult> {
    const result = await this.db.$transaction(async (tx) => {
      const claimed = await tx.inspectionDraft.updateMany({
        where: { id: input.draftId, status: 'open', page: input.expectedPage },
        data: { status: 'submitted', answers: JSON.stringify(input.answers) },
      });
      if (claimed.count !== 1) return null;
      const draft = await tx.inspectionDraft.findUniqueOrThrow({ where: { id: input.draftId } });
      const inspection = await tx.inspection.create({
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
      });
      await tx.inspectionDraft.update({ where: { id: draft.id }, data: { inspectionId: inspection.id } });
      await tx.inspectionDimensionScore.createMany({
        data: input.dimensionScores.map((d) => ({ inspectionId: inspection.id, departmentId: draft.departmentId, dimensionKey: d.dimensionKey, score: d.score })),
      });
      const findings: SavedFinding[] = [];
      for (const item of input.items) {
        const row = await tx.itemResult.create({
          data: { inspectionId: inspection.id, dimensionKey: item.dimensionKey, itemKey: item.itemKey, answer: item.answer, failed: item.failed, note: item.note, evidenceUrl: item.evidenceUrl },
        });
        if (!item.finding) continue;
        const f = await tx.finding.create({
          data: {
            inspectionId: inspection.id,
            itemResultId: row.id,
            dimensionKey: item.dimensionKey,
            itemKey: item.itemKey,
            departmentId: draft.departmentId,
            responsibleMemberId: item.finding.responsibleMemberId,
            description: item.finding.description,
            impact: item.finding.impact,
            severity: item.finding.severity,
            evidenceUrls: JSON.stringify(item.finding.evidenceUrls),
            createdById: draft.supervisorId,
            createdAt: input.submittedAt,
            // The reminder sweep works out when the plan is due.
            nextReminderAt: input.submittedAt,
          },
        });
        findings.push({ ...item.finding, id: f.id, severity: f.severity as Severity, dimensionKey: item.dimensionKey, itemKey: item.itemKey });
      }
      const messages = compose(inspection.id, findings);
      await enqueueInTx(tx, messages, input.submittedAt);
      return { kind: 'saved' as const, inspectionId: inspection.id, findings };
    });
    return result ?? { kind: 'stale', draft: await this.draft(input.draftId) };
  }
}
