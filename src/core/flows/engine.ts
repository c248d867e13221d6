// Runs any declared flow: a button opens a step's form or says why not; a submitted form applies only if the
// person may take the step and the record is still at the version the form was opened on, and then saves the
// change, its history, the new version of every concerned person's card (updated in place) and a notice to
// whoever acts next, in one transaction.

import { t } from '../i18n/t.js';
import { platformFor } from '../org/service.js';
import type { Member, OutboxItem, Platform } from '../ports.js';
import { keptAnswers, sentBack } from '../views/forms.js';
import type { FormOutcome, MessageView, Reply } from '../views/types.js';
import type { CardSet, FlowDefinition, FlowRecord, FlowRepo, Refusal } from './definition.js';
import type { FlowRoutes } from './registry.js';
import { type FlowReminderResult, type RemindingFlow, remindDue } from './reminders.js';
import { isStepOf, mayTake, nextState, parseFormId, stepsOf } from './rules.js';

export interface FlowEngineDeps<R, P, S extends string> {
  repo: FlowRepo<R, P, S>;
  people: { membersByIds(ids: number[]): Promise<Member[]> };
}

const say = (text: string): Reply => ({
  kind: 'message',
  visibility: 'private',
  message: { text, tone: 'warning', blocks: [{ kind: 'text', text }] },
});
const refused = (message: string): FormOutcome => ({ kind: 'refused', message });

/** The engine of a declared flow, typed from its definition. */
export type EngineOf<D> =
  D extends FlowDefinition<infer R, infer S, infer Step, infer P, infer Clean, infer V, infer FC>
    ? FlowEngine<R, S, Step, P, Clean, V, FC>
    : never;

export class FlowEngine<R extends FlowRecord, S extends string, Step extends string, P, Clean, V, FC>
  implements RemindingFlow
{
  constructor(
    readonly def: FlowDefinition<R, S, Step, P, Clean, V, FC>,
    private readonly d: FlowEngineDeps<R, P, S>,
  ) {}

  get key(): string {
    return this.def.key;
  }

  /** The flow's reminders due by `now` (reminders.ts); nothing when it declares none. */
  remindDue(now: Date, platform: Platform, opts: { dryRun?: boolean } = {}): Promise<FlowReminderResult> {
    return remindDue(this.def, this.d.repo, this.d.people, now, platform, opts.dryRun);
  }

  get historyAction(): string {
    return `${this.def.key}.history`;
  }

  /** The record's card as `me` sees it, with its history under it. */
  async show(me: Member, id: number): Promise<Reply> {
    const { def } = this;
    const r = await this.d.repo.byId(id);
    if (!r) return say(t(me.locale, def.texts.unknown, { id }));
    if (!def.mayView(me, r)) return say(t(me.locale, def.texts.viewNotAllowed));
    const [card, events] = await Promise.all([def.cards(r).then((set) => set.draw(r, me)), this.d.repo.events(id)]);
    const history = def.history(r, events, await this.names(events.flatMap((e) => (e.actorId ? [e.actorId] : []))), me);
    return {
      kind: 'message',
      visibility: 'private',
      message: { ...card, blocks: [...card.blocks, { kind: 'divider' }, ...history.blocks] },
    };
  }

  /** A button: the step's form, or a clear refusal. */
  async open(me: Member, step: Step | 'history', id: number, now: Date): Promise<Reply> {
    const r = await this.d.repo.byId(id);
    if (!r) return say(t(me.locale, this.def.texts.unknown, { id }));
    if (step === 'history') return this.show(me, id);
    const ok = mayTake(this.def, step, r, await this.def.viewer(me, r));
    if (ok !== true) return say(this.refusal(me, r, step, ok));
    return { kind: 'form', form: this.def.form(step, await this.def.formContext(me, r), now) };
  }

  async submit(
    me: Member,
    stepName: string,
    formId: string,
    raw: Record<string, string | undefined>,
    platform: Platform,
    now: Date,
  ): Promise<FormOutcome> {
    const { def } = this;
    const ref = parseFormId(formId);
    if (!isStepOf(def, stepName) || !ref) return refused(t(me.locale, 'inspect.err.expired', { dept: '…' }));
    const step = stepName;
    const r = await this.d.repo.byId(ref.id);
    if (!r) return refused(t(me.locale, def.texts.unknown, { id: ref.id }));
    const ok = mayTake(def, step, r, await def.viewer(me, r));
    if (r.version !== ref.version) return refused(t(me.locale, def.texts.stale, { id: r.id }));
    if (ok !== true) return refused(this.refusal(me, r, step, ok));
    const fc = await def.formContext(me, r);
    const { clean, errors } = def.validate(step, fc, raw, now);
    const back = sentBack(me.locale, errors, () => def.form(step, fc, now, keptAnswers(raw), errors));
    if (back) return back;
    const to = nextState(def, step, r);
    const patch = await def.patch(step, r, clean, me, now);
    // Notifications show the record as it will be, and are written in the same transaction as the change.
    const projected: R = { ...def.apply(r, patch, to), version: r.version + 1 };
    const updated = await this.d.repo.transition(
      {
        id: r.id,
        expectedVersion: r.version,
        patch,
        state: to,
        ...(def.due ? { dueAt: def.due(projected, now) } : {}),
        event: { actorId: me.id, at: now, action: step, from: def.state(r), to, ...def.event(step, clean) },
        outbox: await this.notifications(projected, r, me, step, clean, platform),
      },
      now,
    );
    if (!updated) return refused(t(me.locale, def.texts.stale, { id: r.id }));
    const card = await (await def.cards(updated)).draw(updated, me);
    const text = t(me.locale, def.texts.saved, {
      id: r.id,
      status: t(me.locale, def.texts.status(def.state(updated))),
    });
    return { kind: 'done', message: { text, tone: 'success', blocks: [{ kind: 'text', text }, ...card.blocks] } };
  }

  /**
   * Everyone the record concerns has one card of it, updated in place; whoever must act next also gets a short
   * notice, so a change that needs them is not only a silent edit. `before` is the record before the step:
   * someone it concerned and this step no longer does (a replaced owner) gets their card brought up to date.
   */
  async notifications(r: R, before: R, actor: Member, step: Step, clean: Clean, platform: Platform) {
    const { def } = this;
    const set = await def.cards(r);
    const concerned = set.concerned(r);
    const former = set.concerned(before).filter((id) => !concerned.includes(id));
    const people = await this.d.people.membersByIds([...new Set([...concerned, ...former, actor.id])]);
    return this.deliver(r, set, people, {
      actor,
      platform,
      former,
      next: new Set(def.nextActors(step, r)),
      lead: (p) => def.notice({ step, record: r, actor, clean, reader: p, people }),
      tone: def.noticeTone?.(step) ?? 'default',
    });
  }

  /**
   * The cards and notices of a record being made, as a function of the record once the store gave it its id:
   * everything is loaded now, so that the function only draws (the store calls it inside its transaction).
   */
  async opening(
    draft: R,
    actor: Member,
    platform: Platform,
    next: number[],
    lead: (reader: Member, r: R) => string,
  ): Promise<(r: R) => Promise<OutboxItem[]>> {
    const set = await this.def.cards(draft);
    const people = await this.d.people.membersByIds([...new Set([...set.concerned(draft), actor.id])]);
    return (r) =>
      this.deliver(r, set, people, {
        actor,
        platform,
        former: [],
        next: new Set(next),
        lead: (p) => lead(p, r),
        tone: 'default',
      });
  }

  private async deliver(
    r: R,
    set: CardSet<R>,
    people: Member[],
    c: {
      actor: Member;
      platform: Platform;
      former: number[];
      next: Set<number>;
      lead: (reader: Member) => string;
      tone: 'default' | 'danger';
    },
  ): Promise<OutboxItem[]> {
    const key = this.def.key;
    const out: OutboxItem[] = [];
    for (const p of people) {
      const where = platformFor(p, c.platform);
      if (!where) continue;
      const lead = p.id !== c.actor.id ? c.lead(p) : undefined;
      out.push({
        ...where,
        // Whoever must act next reads the change in their notice; the others see it on top of their card.
        message: await set.draw(r, p, c.next.has(p.id) ? undefined : lead),
        dedupeKey: `${key}:${r.id}:v${r.version}:card:${p.id}`,
        refKey: cardKey(key, r.id, p.id),
        // The actor already sees the new state where they acted, and someone no longer concerned needs no new
        // card: theirs is only brought up to date.
        updateOnly: p.id === c.actor.id || c.former.includes(p.id),
      });
      if (c.next.has(p.id) && p.id !== c.actor.id && lead) {
        out.push({
          ...where,
          message: notice(lead, c.tone),
          dedupeKey: `${key}:${r.id}:v${r.version}:notice:${p.id}`,
        });
      }
    }
    return out;
  }

  /** Registers the flow's forms (`<key>.<step>`) and buttons (`<key>.<step>`, `<key>.history`). */
  register(routes: FlowRoutes): void {
    for (const step of stepsOf(this.def)) {
      const name = `${this.def.key}.${step}`;
      routes.form(name, (me, i) => this.submit(me, step, i.formId, i.values, i.actor.platform, i.now));
      routes.action(name, async (me, i) => {
        const id = idOf(i.value);
        return id === null ? null : this.open(me, step, id, i.now);
      });
    }
    routes.action(this.historyAction, async (me, i) => {
      const id = idOf(i.value);
      return id === null ? null : this.open(me, 'history', id, i.now);
    });
  }

  private refusal(me: Member, r: R, step: Step, why: Refusal): string {
    const { texts } = this.def;
    const l = me.locale;
    if (why === 'wrongStatus')
      return t(l, texts.wrongStatus, {
        id: r.id,
        status: t(l, texts.status(this.def.state(r))),
        action: t(l, texts.step(step)),
      });
    const roles = this.def.steps[step].roles.map((x) => t(l, texts.role(x))).join(t(l, texts.or));
    return t(l, texts.notAllowed, { roles, action: t(l, texts.step(step)), id: r.id });
  }

  private async names(ids: number[]): Promise<Map<number, string>> {
    const members = await this.d.people.membersByIds([...new Set(ids)]);
    return new Map(members.map((m) => [m.id, m.displayName]));
  }
}

/** The key of the one card a person has of a record, which every later version updates in place. */
export const cardKey = (flow: string, id: number, memberId: number) => `${flow}:${id}:card:${memberId}`;

const idOf = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : null);

const notice = (text: string, tone: 'default' | 'danger'): MessageView => ({
  text,
  tone,
  blocks: [{ kind: 'text', text }],
});
