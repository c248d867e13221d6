// Checklist drafts and submitted inspections in memory (src/store/inspection-repo.ts): a page or a submit
// applies only at the page the submitter saw, and an inspection's details are written once.
import type * as insp from '../../../src/core/inspections/types.js';
import type { OutboxItem, Platform } from '../../../src/core/ports.js';
import type { InspectionDraft as DraftRow } from '../../../src/generated/sqlite/client.js';
import type { MemoryDb } from './db.js';
import { queueInTx } from './outbox.js';

const toDraft = ({ updatedAt, answers, platform, status, ...d }: DraftRow): insp.InspectionDraft => ({
  ...d,
  answers: JSON.parse(answers) as Record<string, string>,
  platform: platform as Platform,
  status: status as insp.InspectionDraft['status'],
});

export class MemoryInspectionRepo implements insp.InspectionRepo {
  constructor(private readonly db: MemoryDb) {}

  async createDraft(d: Omit<insp.InspectionDraft, 'answers' | 'page' | 'status' | 'inspectionId'>) {
    const { id, templateVersionId, departmentId, supervisorId, platform, channelId, createdAt } = d;
    this.db.inspectionDraft.add({ id, templateVersionId, departmentId, supervisorId, platform, channelId, createdAt });
  }

  async draft(id: string) {
    const r = this.db.inspectionDraft.one((x) => x.id === id);
    return r && toDraft(r);
  }

  async savePage(id: string, expectedPage: number, answers: Record<string, string>, nextPage: number) {
    const open = (r: DraftRow) => r.id === id && r.status === 'open' && r.page === expectedPage;
    return this.db.inspectionDraft.set(open, { answers: JSON.stringify(answers), page: nextPage }).length === 1;
  }

  async submit({
    draft,
    expectedPage,
    answers,
    submittedAt,
    overallScore,
  }: insp.SubmitInput): Promise<insp.SubmitResult> {
    return this.db.atomically(() => {
      const open = (r: DraftRow) => r.id === draft.id && r.status === 'open' && r.page === expectedPage;
      if (this.db.inspectionDraft.set(open, { status: 'submitted', answers: JSON.stringify(answers) }).length !== 1)
        return { kind: 'stale' };
      const { templateVersionId, departmentId, supervisorId, platform, channelId, createdAt } = draft;
      const header = { templateVersionId, departmentId, supervisorId, platform, channelId, startedAt: createdAt };
      const { id } = this.db.inspection.add({
        ...header,
        draftId: draft.id,
        status: 'submitted',
        submittedAt,
        overallScore,
      });
      this.db.inspectionDraft.set((r) => r.id === draft.id, { inspectionId: id });
      return { kind: 'saved', inspectionId: id };
    });
  }

  async unmaterialized(before: Date, limit: number): Promise<insp.Submission[]> {
    const waiting = this.db.inspection
      .rows((i) => i.materializedAt === null && i.submittedAt <= before)
      .slice(0, limit);
    return waiting.flatMap((i) => {
      const draft = this.db.inspectionDraft.one((d) => d.id === i.draftId);
      return draft ? [{ inspectionId: i.id, submittedAt: i.submittedAt, draft: toDraft(draft) }] : [];
    });
  }

  async materialize(
    input: insp.MaterializeInput,
    compose: (findings: insp.SavedFinding[]) => OutboxItem[],
  ): Promise<insp.MaterializeResult> {
    const { inspectionId, departmentId, supervisorId, submittedAt: at } = input;
    return this.db.atomically(() => {
      // The claim: of two runs only the first writes anything.
      const mine = (i: { id: number; materializedAt: Date | null }) =>
        i.id === inspectionId && i.materializedAt === null;
      if (this.db.inspection.set(mine, { materializedAt: input.materializedAt }).length !== 1) return { kind: 'done' };
      for (const { dimensionKey, score } of input.dimensionScores)
        this.db.inspectionDimensionScore.add({ inspectionId, departmentId, dimensionKey, score });
      const results = input.items.map(({ finding, ...item }) => {
        const { id } = this.db.itemResult.add({ inspectionId, ...item });
        return { finding, item, itemResultId: id };
      });
      const findings = results.flatMap(({ finding, item, itemResultId }): insp.SavedFinding[] => {
        if (!finding) return [];
        const { dimensionKey, itemKey } = item;
        const row = this.db.finding.add({
          ...finding,
          evidenceUrls: JSON.stringify(finding.evidenceUrls),
          inspectionId,
          itemResultId,
          dimensionKey,
          itemKey,
          departmentId,
          createdById: supervisorId,
          createdAt: at,
          updatedAt: at,
          // The reminder sweep works out when the plan is due.
          nextReminderAt: at,
        });
        return [{ ...finding, id: row.id, dimensionKey, itemKey }];
      });
      queueInTx(this.db, compose(findings), at);
      return { kind: 'saved', findings };
    });
  }
}
