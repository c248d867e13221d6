import type { FindingRecord, Severity } from '../findings/record.js';
import type { Department, Member, OutboxItem, Platform } from '../ports.js';
import type { MessageView } from '../views/types.js';

export { SEVERITIES, type Severity } from '../findings/record.js';

export interface InspectionDraft {
  id: string;
  templateVersionId: number;
  departmentId: number;
  supervisorId: number;
  platform: Platform;
  channelId: string;
  answers: Record<string, string>;
  page: number;
  status: 'open' | 'submitted';
  inspectionId: number | null;
  createdAt: Date;
}

export interface NewFinding {
  description: string;
  impact: string | null;
  severity: Severity;
  responsibleMemberId: number;
  evidenceUrls: string[];
}

export interface ItemOutcome {
  dimensionKey: string;
  itemKey: string;
  answer: string;
  failed: boolean;
  note: string | null;
  evidenceUrl: string | null;
  finding: NewFinding | null;
}

export interface FinalizeInput {
  draftId: string;
  /** The page the submitter saw; a stale or repeated submit does nothing. */
  expectedPage: number;
  answers: Record<string, string>;
  submittedAt: Date;
  overallScore: number | null;
  dimensionScores: Array<{ dimensionKey: string; score: number | null }>;
  items: ItemOutcome[];
}

export interface SavedFinding extends NewFinding {
  id: number;
  dimensionKey: string;
  itemKey: string;
}

export type FinalizeResult =
  | { kind: 'saved'; inspectionId: number; findings: SavedFinding[] }
  | { kind: 'stale'; draft: InspectionDraft | null };

export interface InspectionRepo {
  createDraft(draft: Omit<InspectionDraft, 'answers' | 'page' | 'status' | 'inspectionId'>): Promise<void>;
  draft(id: string): Promise<InspectionDraft | null>;
  /** Stores a page's answers only if the draft is open and still at `expectedPage`. */
  savePage(id: string, expectedPage: number, answers: Record<string, string>, nextPage: number): Promise<boolean>;
  /**
   * One transaction: marks the draft submitted (only if open at expectedPage), saves the inspection,
   * its scores, item results and findings, and enqueues the messages `compose` builds from the new ids.
   */
  finalize(
    input: FinalizeInput,
    compose: (inspectionId: number, findings: SavedFinding[]) => OutboxItem[],
  ): Promise<FinalizeResult>;
}

/** Draws a new finding's first card for its responsible person, with the steps they may take. */
export type NewFindingCard = (
  f: FindingRecord,
  reader: Member,
  c: { dept: Department; dimension: string; item: string; lead: string; planDueAt: Date | null },
) => MessageView;
