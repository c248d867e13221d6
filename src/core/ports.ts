// Interfaces the core depends on. Implementations live in src/store (Prisma) and src/platforms/*.
import type { MessageView } from './views/types.js';

export type Platform = 'slack' | 'feishu';
export type Locale = 'zh-CN' | 'en';
/** hr: runs evaluation cycles and sees every result (issue 4). */
export type Role = 'admin' | 'supervisor' | 'manager' | 'member' | 'hr';
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'manager', 'member', 'hr'];

export interface ActorRef {
  platform: Platform;
  /** Slack user id (U…) or Feishu open_id (ou_…). */
  userId: string;
}

export interface Member {
  id: number;
  displayName: string;
  slackUserId: string | null;
  feishuOpenId: string | null;
  role: Role;
  departmentId: number | null;
  locale: Locale;
  timeZone: string;
  /** Configured supervisor (org import `supervisor`); null or absent: the department-manager rule. */
  supervisorId?: number | null;
}

export interface Department {
  id: number;
  name: string;
  parentId: number | null;
  managerId: number | null;
}

export interface NewMember {
  displayName: string;
  slackUserId?: string | null;
  feishuOpenId?: string | null;
  role: Role;
  departmentId?: number | null;
  locale: Locale;
  timeZone: string;
}

export interface OrgRepo {
  memberByPlatform(platform: Platform, userId: string): Promise<Member | null>;
  memberById(id: number): Promise<Member | null>;
  membersByIds(ids: number[]): Promise<Member[]>;
  /** Creates the member, or returns the existing one when a concurrent first contact won the race. */
  createMember(input: NewMember): Promise<Member>;
  updateMember(id: number, patch: Partial<Omit<Member, 'id'>>): Promise<Member>;
  /** By id; `limit` takes the first so many. */
  listMembers(filter?: { departmentId?: number; limit?: number }): Promise<Member[]>;
  departmentByName(name: string): Promise<Department | null>;
  departmentById(id: number): Promise<Department | null>;
  createDepartment(input: { name: string; parentId?: number | null; managerId?: number | null }): Promise<Department>;
  updateDepartment(id: number, patch: Partial<Omit<Department, 'id'>>): Promise<Department>;
  listDepartments(): Promise<Department[]>;
  /** Applies a whole org import in one transaction. */
  /**
   * Upserts departments and members, all or nothing. Fields a member leaves undefined keep their stored
   * value on update; new members get `defaults` (the configured locale and zone). Refuses (ValidationError,
   * nothing changed) ids that belong to two different members and unknown or ambiguous supervisors.
   */
  importOrg(
    plan: OrgImportPlan,
    defaults?: { locale: Locale; timeZone: string },
  ): Promise<{ departments: number; members: number }>;
}

export interface OrgImportMember {
  displayName: string;
  slackUserId?: string | null;
  feishuOpenId?: string | null;
  /** undefined: keep the stored value (new members: member / the configured defaults). */
  role?: Role;
  locale?: Locale;
  timeZone?: string;
  /** undefined: keep; null: no department. */
  departmentName?: string | null;
  /** A member's name, Slack id or Feishu open_id (in the file or already stored); undefined: keep; null: none. */
  supervisor?: string | null;
  managerOf?: string[];
}

export interface OrgImportPlan {
  departments: Array<{ name: string; parent?: string | null }>;
  members: OrgImportMember[];
}

export interface ProfileLookup {
  /** Reads the platform profile; null when it is not readable (missing scope, unknown user). */
  lookup(userId: string): Promise<{ displayName: string; locale?: Locale; timeZone?: string } | null>;
}

export interface StoredTemplateVersion {
  id: number;
  key: string;
  version: number;
  /** Validated template content (see core/templates/schema.ts). */
  content: unknown;
  createdAt: Date;
}

export interface TemplateRepo {
  latest(key: string): Promise<StoredTemplateVersion | null>;
  /** The id of the newest version of `key`, without its content. */
  latestId(key: string): Promise<number | null>;
  byId(id: number): Promise<StoredTemplateVersion | null>;
  byKeyVersion(key: string, version: number): Promise<StoredTemplateVersion | null>;
  listLatest(): Promise<StoredTemplateVersion[]>;
  /** Adds version max+1 of `key`; older versions are never touched. */
  addVersion(key: string, content: unknown, now: Date): Promise<StoredTemplateVersion>;
}

export type OutboxTarget = { kind: 'channel'; id: string } | { kind: 'user'; id: string };

export interface OutboxItem {
  platform: Platform;
  target: OutboxTarget;
  message: MessageView;
  /** Same key = same message; a second enqueue with it is ignored. */
  dedupeKey: string;
  /** The card this message is a version of: posted the first time, updated in place afterwards. */
  refKey?: string;
  /** With refKey: only update an existing card, never post a new one. */
  updateOnly?: boolean;
  /** Where to send it instead when the platform refuses the target for good (the bot is not in that channel). */
  fallback?: { target: OutboxTarget; lead: string };
  /**
   * A file to make when the row is sent (the request, not the bytes): the dispatcher asks the runner of
   * `job.kind` for the file, then the sender's sendFile delivers it with `message` as its one-line caption.
   */
  job?: OutboxJob;
}

/** A request for a file, kept in the outbox until the file is delivered (JSON: plain values only). */
export interface OutboxJob {
  kind: string;
  params: Record<string, string | number | boolean | null>;
}

/** A file made for a person, to go to them with a caption. */
export interface OutboxFile {
  /** With its extension, e.g. "2026-11.xlsx". */
  filename: string;
  title: string;
  mimeType: string;
  bytes: Buffer;
}

/** Makes the file an outbox job asks for (see OutboxDispatcher's `jobs`). */
export interface OutboxJobRunner {
  readonly kind: string;
  /** Attempts before the job is given up (rate limits do not count); the dispatcher's default otherwise. */
  readonly maxAttempts?: number;
  /** Throws DeliveryError(retryable: false) when the request can never succeed (the cycle is gone). */
  run(job: OutboxJob): Promise<OutboxFile>;
  /** What the requester reads when the job is given up for good, in their language. */
  failed(job: OutboxJob): MessageView;
}

export interface ClaimedOutboxItem extends OutboxItem {
  id: number;
  attempts: number;
  /**
   * The lease this claim holds (the row's leaseUntil as claimed or last renewed): the row's later writes are
   * conditional on it, so a process whose lease expired and was taken over cannot mark or send the row.
   */
  lease?: Date;
  /**
   * When an earlier post of this row began whose outcome is unknown (the process died during it, or it timed
   * out): the message may be out already, so it is looked for before being posted again (MessageSender.findSent).
   */
  attemptStartedAt?: Date;
}

/**
 * The process claiming rows: its claims name it, and a row whose claimant has not beaten since `staleBefore`
 * (it died) is claimable at once, before its lease runs out.
 */
export interface OutboxClaimant {
  id: string;
  staleBefore: Date;
}

/** A process sending the outbox, as its heartbeat row records it. */
export interface OutboxInstanceRow {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
}

export interface OutboxInstanceRepo {
  /** Writes the instance's heartbeat (creating its row if it is new or was removed as dead). */
  beat(row: OutboxInstanceRow): Promise<void>;
  list(): Promise<OutboxInstanceRow[]>;
  /** Forgets instances known dead (with `staleBefore`: only those that have not beaten since); rows they claimed become claimable at once. */
  remove(ids: string[], staleBefore?: Date): Promise<number>;
}

/** A row given up for good, for `dudao outbox list-failed`. */
export interface FailedOutboxRow {
  id: number;
  dedupeKey: string;
  platform: Platform;
  target: OutboxTarget;
  attempts: number;
  createdAt: Date;
  lastError: string | null;
}

/**
 * The write methods taking `lease` change the row only while that lease is still the row's (a conditional
 * update) and answer whether they did; without `lease` they apply unconditionally.
 */
export interface OutboxRepo {
  enqueue(items: OutboxItem[], now: Date): Promise<void>;
  /** Atomically leases due items so that two sweepers never send the same one. */
  claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    platforms: Platform[],
    claimant?: OutboxClaimant,
  ): Promise<ClaimedOutboxItem[]>;
  /** Records that a post of the row begins now (kept if an earlier one's outcome is still unknown). */
  markAttempt(id: number, now: Date, lease?: Date): Promise<boolean>;
  /** Extends a held lease to now + leaseMs; the new lease, or null when the row is no longer held with `lease`. */
  renewLease(id: number, lease: Date, now: Date, leaseMs: number): Promise<Date | null>;
  markSent(id: number, now: Date, lease?: Date): Promise<boolean>;
  /** `notPosted`: the attempt is known not to have posted anything, so no lookup is needed before the next one. */
  markRetry(id: number, nextAttemptAt: Date, error: string, lease?: Date, notPosted?: boolean): Promise<boolean>;
  markFailed(id: number, error: string, lease?: Date): Promise<boolean>;
  /** Puts a claimed row back untouched (its attempt not counted), to be tried at `nextAttemptAt`. */
  release(id: number, nextAttemptAt: Date, note: string, lease?: Date, notPosted?: boolean): Promise<boolean>;
  /** Sends the row to its fallback target instead, with the fallback's lead line on top, at once. */
  redirect(id: number, target: OutboxTarget, message: MessageView, now: Date, lease?: Date): Promise<boolean>;
  /** Left unsent because a newer version of the same card will replace it. */
  markSuperseded(id: number, lease?: Date): Promise<boolean>;
  /** Whether a newer version of this card is waiting to be sent. */
  hasNewerVersion(refKey: string, id: number): Promise<boolean>;
  pendingCount(): Promise<number>;
  /** Rows given up for good (status failed). */
  failedCount(): Promise<number>;
  /** Failed rows, oldest first. */
  listFailed(limit: number): Promise<FailedOutboxRow[]>;
  /** Puts failed rows (these ids, or all when null) back in the queue, due now, attempts reset; how many. */
  retryFailed(ids: number[] | null, now: Date): Promise<number>;
}

export interface DeliveryLog {
  /** Records a platform delivery key; false when it was seen before (a retry or duplicate). */
  firstSeen(key: string, now: Date): Promise<boolean>;
  purgeBefore(cutoff: Date): Promise<number>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    /**
     * The platform refused the bot's credentials or setup (a revoked token, a missing scope), not this
     * message: every message would fail alike until an operator fixes it, so the outbox keeps retrying.
     */
    readonly setup = false,
    /** The request may have been carried out though no answer said so (a timeout, a dropped connection, a 5xx). */
    readonly outcomeUnknown = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Where a posted message lives: Slack channel + ts, Feishu chat + message_id. */
export interface SentRef {
  channelId: string;
  messageId: string;
}

export interface MessageSender {
  readonly platform: Platform;
  /** Throws DeliveryError; a retryable one (429, 5xx, timeout) is tried again later. */
  /** `key` is the outbox row's dedupe key, for platforms that can drop a repeated send (Feishu's uuid). */
  send(target: OutboxTarget, message: MessageView, key?: string): Promise<SentRef | void>;
  /** Least time between two calls, to stay under a documented rate limit (Feishu: 50 per second). */
  readonly minIntervalMs?: number;
  /** What a 429 holds back: every send ('platform', Feishu's per-app limit) or only the same channel or person ('target', Slack's per-channel limit). */
  readonly rateLimitScope?: 'platform' | 'target';
  /** Replaces a message this bot posted; throws DeliveryError like send. */
  update?(ref: SentRef, message: MessageView): Promise<void>;
  /**
   * Uploads a file into the target's conversation (a person: their direct message with the bot) with
   * `message` as its caption; throws DeliveryError like send. `key` as for send.
   */
  sendFile?(target: OutboxTarget, file: OutboxFile, message: MessageView, key?: string): Promise<void>;
  /**
   * For platforms with no idempotency key of their own (Slack): looks in the target's conversation, since
   * `since`, for a message `send` posted with this key. The dispatcher asks before posting a row again after
   * an attempt with no known outcome. Throws DeliveryError like send when the platform is unreachable.
   */
  findSent?(target: OutboxTarget, key: string, since: Date): Promise<SentLookup>;
}

/** Found (where), not found, or not checkable here (why: a scope the workspace did not grant…). */
export type SentLookup = { found: SentRef } | { found: null } | { unchecked: string; channel: string };

export interface MessageRefRepo {
  get(key: string): Promise<(SentRef & { platform: Platform }) | null>;
  put(key: string, platform: Platform, ref: SentRef, now: Date): Promise<void>;
}

export interface Clock {
  now(): Date;
}
