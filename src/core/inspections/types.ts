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

/** A final submit: the answers and overall score are saved before the ack, as the inspection's header. */
export interface SubmitInput {
  /** The draft as read for this submit; its fields are copied onto the inspection. */
  draft: InspectionDraft;
  /** The page the submitter saw; a stale or repeated submit does nothing. */
  expectedPage: number;
  answers: Record<string, string>;
  submittedAt: Date;
  overallScore: number | null;
}

export type SubmitResult = { kind: 'saved'; inspectionId: number } | { kind: 'stale' };

/** A submission saved (draft submitted, inspection header written) whose details may not be written yet. */
export interface Submission {
  inspectionId: number;
  submittedAt: Date;
  draft: InspectionDraft;
}

/** The details of a saved submission, written after its ack. */
export interface MaterializeInput {
  inspectionId: number;
  departmentId: number;
  supervisorId: number;
  submittedAt: Date;
  /** When they are written (the inspection keeps it: written at most once). */
  materializedAt: Date;
  dimensionScores: Array<{ dimensionKey: string; score: number | null }>;
  items: ItemOutcome[];
}

export interface SavedFinding extends NewFinding {
  id: number;
  dimensionKey: string;
  itemKey: string;
}

/** 'done': another run (a retry, a peer's recovery) had already written them; nothing was written. */
export type MaterializeResult = { kind: 'saved'; findings: SavedFinding[] } | { kind: 'done' };

export interface InspectionRepo {
  createDraft(draft: Omit<InspectionDraft, 'answers' | 'page' | 'status' | 'inspectionId'>): Promise<void>;
  draft(id: string): Promise<InspectionDraft | null>;
  /** Stores a page's answers only if the draft is open and still at `expectedPage`. */
  savePage(id: string, expectedPage: number, answers: Record<string, string>, nextPage: number): Promise<boolean>;
  /**
   * One short transaction, before the ack: marks the draft submitted with its answers (only if open at
   * expectedPage) and writes the inspection's header, its details still to be written.
   */
  submit(input: SubmitInput): Promise<SubmitResult>;
  /** Submissions saved before `before` whose details are not written yet, oldest first. */
  unmaterialized(before: Date, limit: number): Promise<Submission[]>;
  /**
   * One transaction, after the ack: claims the inspection (only if its details are not written yet), writes
   * its dimension scores, item results and findings, and enqueues the messages `compose` builds from them.
   */
  materialize(input: MaterializeInput, compose: (findings: SavedFinding[]) => OutboxItem[]): Promise<MaterializeResult>;
}

/** Draws a new finding's first card for its responsible person, with the steps they may take. */
export type NewFindingCard = (
  f: FindingRecord,
  reader: Member,
  c: { dept: Department; dimension: string; item: string; lead: string; planDueAt: Date | null },
) => MessageView;
