import type { FindingRecord, FindingStatus } from '../findings/record.js';
import type { OutboxItem } from '../ports.js';

export {
  ACTIVE_STATUSES,
  FINDING_STATUSES,
  type FindingRecord,
  type FindingStatus,
  ownerOf,
} from '../findings/record.js';

export type FindingAction = 'plan' | 'progress' | 'submit' | 'accept' | 'reject' | 'extend' | 'reassign';

export interface FindingEventRecord {
  id: number;
  findingId: number;
  actorId: number | null;
  at: Date;
  action: FindingAction | 'created';
  fromStatus: FindingStatus;
  toStatus: FindingStatus;
  note: string | null;
  data: Record<string, unknown>;
}

export type FindingPatch = Partial<
  Pick<
    FindingRecord,
    | 'status'
    | 'ownerId'
    | 'planMeasures'
    | 'planSupport'
    | 'planSubmittedAt'
    | 'deadline'
    | 'progressPercent'
    | 'acceptanceRequestedAt'
    | 'rejectionCount'
    | 'closedAt'
    | 'nextReminderAt'
    | 'evidenceUrls'
  >
>;

export interface TransitionInput {
  id: number;
  /** The version the actor's decision was based on; a moved finding (double click, race) is left alone. */
  expectedVersion: number;
  patch: FindingPatch;
  event: Omit<FindingEventRecord, 'id' | 'findingId'>;
  /** Notifications, written in the same transaction. */
  outbox: OutboxItem[];
}

export interface FindingFilter {
  /** Findings this member owns or is responsible for. */
  memberId?: number;
  departmentId?: number | null;
  statuses?: FindingStatus[];
  /** Only findings whose deadline is before this instant. */
  deadlineBefore?: Date;
  limit: number;
}

export interface FindingRepo {
  byId(id: number): Promise<FindingRecord | null>;
  events(findingId: number): Promise<FindingEventRecord[]>;
  /** One transaction: patch (if the version still matches) + version bump + event + outbox. Null when stale. */
  transition(input: TransitionInput, now: Date): Promise<FindingRecord | null>;
  list(filter: FindingFilter): Promise<{ rows: FindingRecord[]; total: number }>;
  /**
   * Queues cards drawn again without a step (new reminder counts): each finding's only while it is still at
   * the version they were drawn from, so that they never replace the newer cards of a step taken meanwhile.
   */
  redraw(cards: Array<{ id: number; version: number; outbox: OutboxItem[] }>, now: Date): Promise<void>;
}

/** Where the previous page of due findings ended: pages are ordered by (nextReminderAt, id). */
export interface DueCursor {
  nextReminderAt: Date;
  id: number;
}

/** What the reminder sweep reads and writes. */
export interface ReminderRepo {
  /**
   * Findings whose nextReminderAt has come, oldest first, after `after` when given. Only active findings
   * carry a nextReminderAt; one that is not active any more is returned too, so that the sweep clears it.
   */
  dueFindings(now: Date, limit: number, after?: DueCursor | null): Promise<FindingRecord[]>;
  /** Which of these occurrence keys some sweep already claimed. */
  claimedKeys(keys: string[]): Promise<Set<string>>;
  /**
   * One transaction: records each occurrence under its unique key, counts it on its finding and enqueues
   * the digest that carries them. False (and nothing written) when another sweep claimed one of them first.
   */
  claim(input: ReminderClaim, now: Date): Promise<boolean>;
  /**
   * Many people's claims at once, each with the same all-or-nothing outcome as `claim` (true: written and
   * queued); a store that can batch them saves a transaction per person. Optional: `claim` each otherwise.
   */
  claimMany?(inputs: ReminderClaim[], now: Date): Promise<boolean[]>;
  /** Sets when to look at each finding again, unless a step changed it meanwhile (version). */
  reschedule(items: Array<{ id: number; version: number; nextReminderAt: Date | null }>): Promise<void>;
}

export interface ReminderClaim {
  /** Each occurrence is about a finding or an evaluation participant. */
  occurrences: Array<{
    key: string;
    findingId: number | null;
    participantId?: number;
    recipientId: number;
    kind: string;
    dueAt: Date;
    escalation: boolean;
  }>;
  digest: OutboxItem;
}
