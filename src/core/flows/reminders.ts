// Reminders of declared flows, from the due times stored on their records: each due record is claimed by
// moving its due time on (a conditional update, so two sweeps or two bot processes remind once), in the same
// transaction as its history line and the reminders themselves, queued in the outbox. Whoever must act gets
// the record's card again with the reminder on top (its buttons work); after enough reminders the flow's
// escalation goes to whoever it names.

import { platformFor } from '../org/service.js';
import type { Member, OutboxItem, Platform } from '../ports.js';
import type { FlowDefinition, FlowEvent, FlowRecord, FlowRepo } from './definition.js';

/** What the reminder sweep asks of each flow that declares reminders. */
export interface RemindingFlow {
  readonly key: string;
  remindDue(now: Date, platform: Platform, opts?: { dryRun?: boolean }): Promise<FlowReminderResult>;
}

export interface FlowReminderResult {
  /** Records reminded (claimed, or that would be on a dry run). */
  records: number;
  /** Messages queued: reminders and escalations. */
  messages: number;
}

const BATCH = 200;

/** The reminders due by `now` on one flow; `platform` is where people on both platforms are reached. */
export async function remindDue<R extends FlowRecord, S extends string>(
  def: Pick<
    FlowDefinition<R, S, string, unknown, unknown, unknown, unknown>,
    'key' | 'state' | 'due' | 'reminder' | 'cards'
  >,
  repo: Pick<FlowRepo<R, unknown, S>, 'due' | 'remind' | 'events'>,
  people: { membersByIds(ids: number[]): Promise<Member[]> },
  now: Date,
  platform: Platform,
  dryRun = false,
): Promise<FlowReminderResult> {
  const result: FlowReminderResult = { records: 0, messages: 0 };
  const { reminder } = def;
  if (!reminder || !repo.due || !repo.remind) return result;
  for (const { record, dueAt } of await repo.due(now, BATCH)) {
    const n = remindersSinceMoved(await repo.events(record.id)) + 1;
    const waiting = reminder.waitingOn(record);
    const escalate = reminder.escalateAfter !== undefined && n > reminder.escalateAfter;
    const toEscalate = escalate && reminder.escalateTo ? reminder.escalateTo(record) : [];
    const members = await people.membersByIds([...new Set([...waiting, ...toEscalate])]);
    const outbox = await messages(def, record, dueAt, n, members, waiting, toEscalate, platform);
    // Nobody left to act (they left the organisation): nothing more is due until a step moves the record.
    const nextDueAt = waiting.length > 0 && def.due ? def.due(record, now) : null;
    const state = def.state(record);
    const event: FlowEvent<S> = {
      actorId: null,
      at: now,
      action: 'remind',
      from: state,
      to: state,
      note: null,
      data: { n, waitingOn: waiting, ...(toEscalate.length ? { escalatedTo: toEscalate } : {}) },
    };
    if (!dryRun && !(await repo.remind({ id: record.id, expectedDueAt: dueAt, nextDueAt, event, outbox }, now)))
      continue;
    result.records++;
    result.messages += outbox.length;
  }
  return result;
}

async function messages<R extends FlowRecord>(
  def: Pick<FlowDefinition<R, string, string, unknown, unknown, unknown, unknown>, 'key' | 'reminder' | 'cards'>,
  r: R,
  dueAt: Date,
  n: number,
  members: Member[],
  waiting: number[],
  toEscalate: number[],
  platform: Platform,
): Promise<OutboxItem[]> {
  const reminder = def.reminder!;
  const set = await def.cards(r);
  const waitingPeople = members.filter((m) => waiting.includes(m.id));
  // Keyed by the due time claimed: a retried claim of the same reminder queues nothing new.
  const key = `${def.key}:${r.id}:remind:${dueAt.toISOString()}`;
  const out: OutboxItem[] = [];
  for (const p of members) {
    const where = platformFor(p, platform);
    if (!where) continue;
    if (waiting.includes(p.id))
      out.push({ ...where, message: await set.draw(r, p, reminder.lead(r, p, n)), dedupeKey: `${key}:${p.id}` });
    if (toEscalate.includes(p.id) && reminder.escalation) {
      const text = reminder.escalation(r, p, n, waitingPeople);
      out.push({
        ...where,
        message: { text, tone: 'warning', blocks: [{ kind: 'text', text }] },
        dedupeKey: `${key}:escalation:${p.id}`,
      });
    }
  }
  return out;
}

/** Reminders since the record last moved: they count up again after every step. */
function remindersSinceMoved(events: ReadonlyArray<Pick<FlowEvent, 'action'>>): number {
  let n = 0;
  for (let i = events.length - 1; i >= 0 && events[i]!.action === 'remind'; i--) n++;
  return n;
}

/** Reminds every flow that declares reminders; one flow's failure does not hold up the others. */
export async function remindFlows(
  flows: readonly RemindingFlow[],
  now: Date,
  platform: Platform,
  opts: { dryRun?: boolean } = {},
): Promise<FlowReminderResult & { errors: string[] }> {
  const total = { records: 0, messages: 0, errors: [] as string[] };
  for (const flow of flows) {
    try {
      const r = await flow.remindDue(now, platform, opts);
      total.records += r.records;
      total.messages += r.messages;
    } catch (e) {
      total.errors.push(`${flow.key}: ${String(e)}`);
    }
  }
  return total;
}
