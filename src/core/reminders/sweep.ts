// One reminder sweep: findings whose check time has come → due occurrences (plan.ts) → unclaimed ones
// grouped into one digest per person (over the whole sweep, not per batch) → claimed and queued, each
// person's digest all or nothing (many people per transaction when the store can) → next check times.
// The claim is what makes a reminder exactly-once across overlapping sweeps and bot processes; the outbox
// then delivers the digest, retrying platform errors, and marks it sent only when accepted.

import type { EvalReminderIntent, EvaluationReminderPlanner } from '../evaluations/cycles/reminders.js';
import { type RemindingFlow, remindFlows } from '../flows/reminders.js';
import { platformFor } from '../org/service.js';
import type { Member, OrgRepo, Platform } from '../ports.js';
import {
  ACTIVE_STATUSES,
  type DueCursor,
  type FindingRecord,
  ownerOf,
  type ReminderClaim,
  type ReminderRepo,
} from '../rectification/types.js';
import type { WorkCalendar } from './calendar.js';
import { digestMessage } from './digest.js';
import { dueReminders, groupByRecipient, type ReminderFinding, type ReminderIntent } from './plan.js';
import type { ReminderRules } from './rules.js';
import { nextCheckAt } from './schedule.js';

export interface SweepDeps {
  repo: ReminderRepo;
  org: OrgRepo;
  rules: ReminderRules;
  calendar: WorkCalendar;
  /** Platform to reach people on who use both (the first configured one). */
  preferredPlatform: Platform;
  /** Due findings read at a time. */
  batchSize?: number;
  /** Digests claimed per transaction, when the store can batch claims. */
  claimGroup?: number;
  /** Pending evaluation steps, reminded in the same digest (issue 4). */
  evaluations?: EvaluationReminderPlanner;
  /** Draws the cards of these findings again: their reminder and escalation counts changed. */
  redrawCards?: (findingIds: number[], now: Date) => Promise<void>;
  /** Declared flows with reminders of their own (approvals…), from the due times on their records. */
  flows?: readonly RemindingFlow[];
}

export interface SweepResult {
  findings: number;
  reminders: number;
  digests: number;
  /** What each person gets, for `dudao sweep --dry-run`. */
  planned: Array<{ recipient: Member; intents: ReminderIntent[]; evaluations?: EvalReminderIntent[] }>;
  /** Why the cards showing the new counts could not be drawn; the reminders themselves were queued. */
  redrawError?: string;
  /** Declared flows: records reminded and messages queued (on a dry run, what would be). */
  flows: { records: number; messages: number };
  /** Flows whose reminders failed this time (their due times stay, so the next sweep retries them). */
  flowErrors?: string[];
}

const MAX_BATCHES = 1000;
const CLAIM_GROUP = 100;

/** What one sweep knows about people, filled in as findings name them. */
interface SweepPeople {
  /** Every member, read only when evaluations are reminded too. */
  everyone: Member[] | null;
  admins: Member[];
  managers: Map<number, number | null>;
  people: Map<number, Member>;
  /** Members already fetched (or found missing), so no one is asked for twice. */
  asked: Set<number>;
}

type NextLook = (f: FindingRecord) => { id: number; version: number; nextReminderAt: Date | null };

interface Digest {
  recipient: Member;
  list: ReminderIntent[];
  evals: EvalReminderIntent[];
  where: NonNullable<ReturnType<typeof platformFor>>;
}

export class ReminderSweeper {
  constructor(private readonly d: SweepDeps) {}

  async sweep(now: Date, opts: { dryRun?: boolean } = {}): Promise<SweepResult> {
    const dryRun = opts.dryRun ?? false;
    const result: SweepResult = {
      findings: 0,
      reminders: 0,
      digests: 0,
      planned: [],
      flows: { records: 0, messages: 0 },
    };
    const everyone = this.d.evaluations ? await this.d.org.listMembers() : null;
    const admins = (everyone ?? (await this.d.org.listMembers())).filter((m) => m.role === 'admin');
    const managers = new Map((await this.d.org.listDepartments()).map((x) => [x.id, x.managerId]));
    const people = new Map<number, Member>(admins.map((a) => [a.id, a]));
    const who: SweepPeople = { everyone, admins, managers, people, asked: new Set<number>(people.keys()) };
    const nextLook = this.nextLook(now, admins, managers, people);

    const { fresh, byId } = await this.gatherFindingReminders(now, dryRun, who, nextLook, result);
    const { evalBy, evalLater } = await this.gatherEvaluationReminders(now, dryRun, who);
    const digests = this.digests(fresh, evalBy, people);
    await this.remindFlows(now, dryRun, result);
    if (dryRun) {
      for (const { recipient, list, evals } of digests) {
        result.planned.push({ recipient, intents: list, ...(evals.length ? { evaluations: evals } : {}) });
        result.reminders += list.length + evals.length;
        result.digests++;
      }
      return result;
    }

    const counted = await this.claimDigests(digests, byId, people, now, result);
    await this.d.repo.reschedule([...byId.values()].map(nextLook));
    if (this.d.evaluations) await this.d.evaluations.reschedule(evalLater);
    // Last, and never failing the sweep: a card that cannot be drawn must hold up no reminder.
    if (counted.size > 0 && this.d.redrawCards) {
      try {
        await this.d.redrawCards([...counted], now);
      } catch (e) {
        result.redrawError = String(e);
      }
    }
    return result;
  }

  private async remindFlows(now: Date, dryRun: boolean, result: SweepResult): Promise<void> {
    if (!this.d.flows?.length) return;
    const { errors, ...counts } = await remindFlows(this.d.flows, now, this.d.preferredPlatform, { dryRun });
    result.flows = counts;
    if (errors.length) result.flowErrors = errors;
  }

  /**
   * Everyone's reminders are gathered over all the due findings first, so that each person gets one digest
   * however the findings fall into batches. Findings with nothing to send are moved on batch by batch; the
   * others only once their reminders are claimed, so that a crash in between leaves them due.
   */
  private async gatherFindingReminders(
    now: Date,
    dryRun: boolean,
    who: SweepPeople,
    nextLook: NextLook,
    result: SweepResult,
  ) {
    const fresh: ReminderIntent[] = [];
    const byId = new Map<number, FindingRecord>();
    const seen = new Set<number>();
    let after: DueCursor | null = null;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const rows = await this.d.repo.dueFindings(now, this.d.batchSize ?? 2000, after);
      const findings = rows.filter((f) => !seen.has(f.id));
      const last = rows[rows.length - 1];
      if (!last || findings.length === 0) break;
      after = { nextReminderAt: last.nextReminderAt ?? now, id: last.id };
      for (const f of findings) seen.add(f.id);
      result.findings += findings.length;

      const intents = await this.plan(findings, now, who.admins, who.managers, who.people, who.asked);
      const claimed = await this.d.repo.claimedKeys(intents.map((i) => i.key));
      const inBatch = new Map(findings.map((f) => [f.id, f]));
      for (const i of intents) {
        if (claimed.has(i.key)) continue;
        fresh.push(i);
        byId.set(i.findingId, inBatch.get(i.findingId)!);
      }
      if (!dryRun) await this.d.repo.reschedule(findings.filter((f) => !byId.has(f.id)).map(nextLook));
    }
    return { fresh, byId };
  }

  /** Pending evaluation steps, to join the same digests; participants with nothing new are moved on now. */
  private async gatherEvaluationReminders(now: Date, dryRun: boolean, who: SweepPeople) {
    const evalBy = new Map<number, EvalReminderIntent[]>();
    let evalLater: Array<{ id: number; version: number; nextReminderAt: Date | null }> = [];
    const planner = this.d.evaluations;
    const { everyone, people } = who;
    if (!planner || !everyone) return { evalBy, evalLater };
    for (const m of everyone) people.set(m.id, m);
    const planned = await planner.plan({
      now,
      rules: this.d.rules,
      calendar: this.d.calendar,
      people,
      fetch: async (ids) => {
        for (const m of await this.d.org.membersByIds(ids)) people.set(m.id, m);
      },
      managers: who.managers,
      fallback: everyone.filter((m) => m.role === 'hr' || m.role === 'admin').map((m) => m.id),
    });
    const claimed = await this.d.repo.claimedKeys(planned.intents.map((i) => i.key));
    const withFresh = new Set<number>();
    for (const i of planned.intents) {
      if (claimed.has(i.key)) continue;
      withFresh.add(i.participantId);
      (evalBy.get(i.recipientId) ?? evalBy.set(i.recipientId, []).get(i.recipientId)!).push(i);
    }
    if (!dryRun) await planner.reschedule(planned.reschedule.filter((r) => !withFresh.has(r.id)));
    evalLater = planned.reschedule.filter((r) => withFresh.has(r.id));
    return { evalBy, evalLater };
  }

  /** One digest per reachable person, most urgent person first. */
  private digests(
    fresh: ReminderIntent[],
    evalBy: Map<number, EvalReminderIntent[]>,
    people: Map<number, Member>,
  ): Digest[] {
    const digests: Digest[] = [];
    const groups = groupByRecipient(fresh);
    for (const id of evalBy.keys()) if (!groups.has(id)) groups.set(id, []);
    for (const [recipientId, list] of groups) {
      const recipient = people.get(recipientId);
      const where = recipient ? platformFor(recipient, this.d.preferredPlatform) : null;
      if (recipient && where) digests.push({ recipient, list, evals: evalBy.get(recipientId) ?? [], where });
    }
    return digests;
  }

  /** Claims and queues the digests, a group per transaction when the store can; returns the findings counted. */
  private async claimDigests(
    digests: Digest[],
    byId: Map<number, FindingRecord>,
    people: Map<number, Member>,
    now: Date,
    result: SweepResult,
  ): Promise<Set<number>> {
    const names = new Map([...people.values()].map((m) => [m.id, m.displayName]));
    const counted = new Set<number>();
    const group = this.d.repo.claimMany ? (this.d.claimGroup ?? CLAIM_GROUP) : 1;
    for (let i = 0; i < digests.length; i += group) {
      const chunk = digests.slice(i, i + group);
      const claims = chunk.map((digest) => claimFor(digest, byId, names, this.d.evaluations));
      const ok = this.d.repo.claimMany
        ? await this.d.repo.claimMany(claims, now)
        : [await this.d.repo.claim(claims[0]!, now)];
      chunk.forEach(({ recipient, list, evals }, j) => {
        if (!ok[j]) return;
        result.reminders += list.length + evals.length;
        result.digests++;
        result.planned.push({ recipient, intents: list, ...(evals.length ? { evaluations: evals } : {}) });
        for (const i of list) counted.add(i.findingId);
      });
    }
    return counted;
  }

  /** The reminders due now on these findings; fetches the people they concern that are not known yet. */
  private async plan(
    findings: FindingRecord[],
    now: Date,
    admins: Member[],
    managers: Map<number, number | null>,
    people: Map<number, Member>,
    asked: Set<number>,
  ) {
    const inputs: ReminderFinding[] = findings.map((f) => ({
      id: f.id,
      status: f.status,
      createdAt: f.createdAt,
      deadline: f.deadline,
      submittedAt: f.acceptanceRequestedAt,
      ownerId: ownerOf(f),
      managerId: managers.get(f.departmentId) ?? null,
      supervisorId: f.createdById,
      rejectionCount: f.rejectionCount,
    }));
    const missing = new Set<number>();
    for (const f of inputs)
      for (const id of [f.ownerId, f.managerId, f.supervisorId]) if (id !== null && !asked.has(id)) missing.add(id);
    if (missing.size > 0) {
      for (const id of missing) asked.add(id);
      for (const m of await this.d.org.membersByIds([...missing])) people.set(m.id, m);
    }
    return dueReminders({
      now,
      rules: this.d.rules,
      calendar: this.d.calendar,
      findings: inputs,
      members: people,
      adminIds: admins.map((a) => a.id),
    });
  }

  /** When to look at a finding again: the next reminder time in the zone of any of its people. */
  private nextLook(now: Date, admins: Member[], managers: Map<number, number | null>, people: Map<number, Member>) {
    const moments = new Map<string, Date>();
    return (f: FindingRecord) => {
      const zones = [
        ownerOf(f),
        managers.get(f.departmentId) ?? null,
        f.createdById,
        ...admins.map((a) => a.id),
      ].flatMap((id) => {
        const tz = id === null ? undefined : people.get(id)?.timeZone;
        return tz ? [tz] : [];
      });
      return {
        id: f.id,
        version: f.version,
        nextReminderAt: nextCheckAt(now, zones, this.d.rules, ACTIVE_STATUSES.includes(f.status), moments),
      };
    };
  }
}

/** A digest's occurrences and the message that carries them, claimed together. */
function claimFor(
  { recipient, list, evals, where }: Digest,
  byId: Map<number, FindingRecord>,
  names: Map<number, string>,
  planner: EvaluationReminderPlanner | undefined,
): ReminderClaim {
  return {
    occurrences: [
      ...list.map((i) => ({
        key: i.key,
        findingId: i.findingId,
        recipientId: recipient.id,
        kind: i.kind,
        dueAt: i.dueAt,
        escalation: i.kind.includes('escalation'),
      })),
      ...evals.map((i) => ({
        key: i.key,
        findingId: null,
        participantId: i.participantId,
        recipientId: recipient.id,
        kind: i.kind,
        dueAt: i.dueAt,
        escalation: i.kind === 'evaluation_escalation',
      })),
    ],
    digest: {
      ...where,
      message: digestMessage(
        recipient,
        list,
        byId,
        names,
        evals.length && planner ? planner.digestPart(recipient, evals, names) : undefined,
      ),
      // The same set of occurrences is the same digest, so a retried claim cannot queue it twice.
      dedupeKey: `digest:${recipient.id}:${digestKey([...list, ...evals])}`,
    },
  };
}

/** A short stable fingerprint of a digest's occurrence keys (FNV-1a, hex). */
function digestKey(list: ReadonlyArray<{ key: string }>): string {
  let h = 0x811c9dc5;
  for (const ch of list
    .map((i) => i.key)
    .sort()
    .join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${list.length}:${h.toString(16)}`;
}
