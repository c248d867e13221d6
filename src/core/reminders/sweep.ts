// One reminder sweep: findings whose check time has come → due occurrences (plan.ts) → unclaimed ones
// grouped into one digest per person → claimed and queued in one transaction per person → next check
// times. The claim is what makes a reminder exactly-once across overlapping sweeps and bot processes; the
// outbox then delivers the digest, retrying platform errors, and marks it sent only when accepted.
import type { Member, OrgRepo, Platform } from '../ports.js';
import { ACTIVE_STATUSES, ownerOf, type FindingRecord, type ReminderRepo } from '../rectification/types.js';
import { platformFor } from '../rectification/service.js';
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
  batchSize?: number;
}

export interface SweepResult {
  findings: number;
  reminders: number;
  digests: number;
  /** What each person gets, for `dudao sweep --dry-run`. */
  planned: Array<{ recipient: Member; intents: ReminderIntent[] }>;
}

const MAX_BATCHES = 1000;

export class ReminderSweeper {
  constructor(private readonly d: SweepDeps) {}

  async sweep(now: Date, opts: { dryRun?: boolean } = {}): Promise<SweepResult> {
    const result: SweepResult = { findings: 0, reminders: 0, digests: 0, planned: [] };
    const admins = (await this.d.org.listMembers()).filter((m) => m.role === 'admin');
    const managers = new Map((await this.d.org.listDepartments()).map((x) => [x.id, x.managerId]));
    const seen = new Set<number>();
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const findings = (await this.d.repo.dueFindings(now, this.d.batchSize ?? 2000)).filter((f) => !seen.has(f.id));
      if (findings.length === 0) break;
      for (const f of findings) seen.add(f.id);
      result.findings += findings.length;
      await this.sweepBatch(findings, now, admins, managers, result, opts.dryRun ?? false);
      // A dry run moves nothing, so the same rows would come back: one batch is all it can show.
      if (opts.dryRun) break;
    }
    return result;
  }

  private async sweepBatch(findings: FindingRecord[], now: Date, admins: Member[], managers: Map<number, number | null>, result: SweepResult, dryRun: boolean) {
    const byId = new Map(findings.map((f) => [f.id, f]));
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
    const ids = new Set<number>(admins.map((a) => a.id));
    for (const f of inputs) [f.ownerId, f.managerId, f.supervisorId].forEach((id) => id !== null && ids.add(id));
    const people = new Map((await this.d.org.membersByIds([...ids])).map((m) => [m.id, m]));

    const intents = dueReminders({ now, rules: this.d.rules, calendar: this.d.calendar, findings: inputs, members: people, adminIds: admins.map((a) => a.id) });
    const claimed = await this.d.repo.claimedKeys(intents.map((i) => i.key));
    const fresh = intents.filter((i) => !claimed.has(i.key));
    const names = new Map([...people.values()].map((m) => [m.id, m.displayName]));

    for (const [recipientId, list] of groupByRecipient(fresh)) {
      const recipient = people.get(recipientId);
      const where = recipient ? platformFor(recipient, this.d.preferredPlatform) : null;
      if (!recipient || !where) continue;
      if (dryRun) {
        result.planned.push({ recipient, intents: list });
        result.reminders += list.length;
        result.digests++;
        continue;
      }
      const ok = await this.d.repo.claim(
        {
          occurrences: list.map((i) => ({ key: i.key, findingId: i.findingId, recipientId, kind: i.kind, dueAt: i.dueAt, escalation: i.kind.startsWith('escalation') })),
          digest: {
            ...where,
            message: digestMessage(recipient, list, byId, names),
            // The same set of occurrences is the same digest, so a retried claim cannot queue it twice.
            dedupeKey: `digest:${recipientId}:${digestKey(list)}`,
          },
        },
        now,
      );
      if (ok) {
        result.reminders += list.length;
        result.digests++;
        result.planned.push({ recipient, intents: list });
      }
    }
    if (dryRun) return;
    await this.d.repo.reschedule(
      findings.map((f) => {
        const zones = [ownerOf(f), managers.get(f.departmentId) ?? null, f.createdById, ...admins.map((a) => a.id)].flatMap((id) => {
          const tz = id === null ? undefined : people.get(id)?.timeZone;
          return tz ? [tz] : [];
        });
        return { id: f.id, version: f.version, nextReminderAt: nextCheckAt(now, zones, this.d.rules, ACTIVE_STATUSES.includes(f.status)) };
      }),
    );
  }
}

/** A short stable fingerprint of a digest's occurrence keys (FNV-1a, hex). */
function digestKey(list: ReminderIntent[]): string {
  let h = 0x811c9dc5;
  for (const ch of list.map((i) => i.key).sort().join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${list.length}:${h.toString(16)}`;
}
