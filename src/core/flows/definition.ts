// What a tracked flow declares: its states, its steps (from which states, who may take them and where they
// lead, each with its form), who its cards go to and what they show, whom a step hands the work to, and when
// the flow must be looked at again. The engine (engine.ts) does the rest the same way for every flow.

import type { MessageKey } from '../i18n/messages.js';
import type { Member, OutboxItem } from '../ports.js';
import type { FieldErrors, FormView, MessageView } from '../views/types.js';

/** What every record of a flow carries: the version is bumped by every step and checked by the next. */
export interface FlowRecord {
  id: number;
  version: number;
}

/** Why a step is refused before anything is checked on its form. */
export type Refusal = 'wrongStatus' | 'notAllowed';

/** One step: the states it may be taken from, who may take it (the state allowing) and where it leads. */
export interface StepRule<R, S extends string, V> {
  from: readonly S[];
  /** The state it leads to: a state, or worked out from the record (an approval's last approver approves). */
  to: S | ((r: R) => S);
  may: (r: R, viewer: V) => boolean;
  /** Who may, for the refusal: each a `who.<role>` message. */
  roles: readonly string[];
}

/** The pure part of a declaration, shared by the buttons, the forms and the engine. */
export interface FlowRules<R, S extends string, Step extends string, V> {
  /** Names the flow's form types and buttons (`<key>.<step>`, `<key>.history`) and its cards' keys. */
  key: string;
  state: (r: R) => S;
  /** In the order their buttons are shown. */
  steps: Record<Step, StepRule<R, S, V>>;
}

/** Every sentence the engine says about a flow, by message key (params: id, status, action, roles). */
export interface FlowTexts<S extends string, Step extends string> {
  /** {id} */
  unknown: MessageKey;
  viewNotAllowed: MessageKey;
  /** {id} */
  stale: MessageKey;
  /** {id, status, action} */
  wrongStatus: MessageKey;
  /** {roles, action, id} */
  notAllowed: MessageKey;
  /** {id, status} */
  saved: MessageKey;
  status: (s: S) => MessageKey;
  step: (s: Step) => MessageKey;
  role: (r: string) => MessageKey;
  /** Joins role names ("or"). */
  or: MessageKey;
}

/** A transition's history line. */
export interface FlowEvent<S extends string = string> {
  actorId: number | null;
  at: Date;
  action: string;
  from: S;
  to: S;
  note: string | null;
  data: Record<string, unknown>;
}

/** What the cards of one record share, loaded once per change (its department, its template…). */
export interface CardSet<R> {
  /** Everyone the record concerns (one card each); asked of the record and of its version before the step. */
  concerned: (r: R) => number[];
  /** The record as `reader` sees it, with the buttons of the steps they may take, and a lead line on top. */
  draw: (r: R, reader: Member, lead?: string) => Promise<MessageView>;
}

export interface NoticeInput<R, Step, Clean> {
  step: Step;
  /** The record as the step leaves it. */
  record: R;
  actor: Member;
  clean: Clean;
  reader: Member;
  /** Everyone getting a card or a notice for this step. */
  people: Member[];
}

/**
 * A tracked flow. `R` is its record, `S` its states, `Step` its steps, `P` what a step changes, `Clean` a
 * step's validated answers, `V` who is looking (what `may` needs), `FC` what its forms need.
 */
export interface FlowDefinition<R extends FlowRecord, S extends string, Step extends string, P, Clean, V, FC>
  extends FlowRules<R, S, Step, V> {
  texts: FlowTexts<S, Step>;
  viewer: (me: Member, r: R) => Promise<V>;
  /** Who may read the record and its history. */
  mayView: (me: Member, r: R) => boolean;
  formContext: (me: Member, r: R) => Promise<FC>;
  /** The step's form (form type `<key>.<step>`, form id `<id>:<version>`), with typed values and errors kept. */
  form: (step: Step, c: FC, now: Date, values?: Record<string, string>, errors?: FieldErrors) => FormView;
  validate: (
    step: Step,
    c: FC,
    raw: Record<string, string | undefined>,
    now: Date,
  ) => { clean: Clean; errors: FieldErrors };
  /** What the step changes (the state comes from the rules). */
  patch: (step: Step, r: R, clean: Clean, me: Member, now: Date) => Promise<P>;
  /** The record as the patch leaves it (before the version is bumped). */
  apply: (r: R, patch: P, state: S) => R;
  /** The step's history line: what the person said and the details of the step. */
  event: (step: Step, clean: Clean) => { note: string | null; data: Record<string, unknown> };
  cards: (r: R) => Promise<CardSet<R>>;
  /** Who must act after this step: they get a notice besides their card. */
  nextActors: (step: Step, r: R) => number[];
  /** The line saying what happened, on top of a card or as the notice. */
  notice: (n: NoticeInput<R, Step, Clean>) => string;
  noticeTone?: (step: Step) => 'default' | 'danger';
  /** When the flow must be looked at again (reminders, escalation) once the step is saved; null: never. */
  due?: (r: R, now: Date) => Date | null;
  /** What happens when that time comes (reminders.ts); without it a due time only orders the records. */
  reminder?: FlowReminder<R>;
  history: (r: R, events: Array<FlowEvent<S>>, names: Map<number, string>, reader: Member) => MessageView;
}

/**
 * A flow's reminders: when a record's due time comes, whoever must act gets its card again with a reminder
 * on top, and after `escalateAfter` reminders `escalateTo` hears that it is stuck. The next due time is the
 * flow's `due` again, from the moment of the reminder.
 */
export interface FlowReminder<R> {
  waitingOn: (r: R) => number[];
  /** The line on top of the card: `n` is the reminder's number since the record last moved (1, 2, …). */
  lead: (r: R, reader: Member, n: number) => string;
  escalateAfter?: number;
  escalateTo?: (r: R) => number[];
  /** What an escalation says; `waiting` are the people reminded. */
  escalation?: (r: R, reader: Member, n: number, waiting: Member[]) => string;
}

/** A record whose due time has come, with that time (the claim is conditional on it). */
export interface DueRecord<R> {
  record: R;
  dueAt: Date;
}

/** A reminder saved as one transaction: the due time moved on (if still `expectedDueAt`), its event, its rows. */
export interface FlowRemind<S extends string = string> {
  id: number;
  expectedDueAt: Date;
  nextDueAt: Date | null;
  event: FlowEvent<S>;
  outbox: OutboxItem[];
}

/** The port each flow's store implements: its records, its history, and a step saved as one transaction. */
export interface FlowRepo<R, P, S extends string = string> {
  byId(id: number): Promise<R | null>;
  events(id: number): Promise<Array<FlowEvent<S>>>;
  /**
   * One transaction: the patch and the version bump if the version is still `expectedVersion`, the event and
   * the outbox rows. Null (nothing written) when the record moved meanwhile.
   */
  transition(input: FlowTransition<P, S>, now: Date): Promise<R | null>;
  /** Records due by `now`, earliest first; for flows that declare reminders. */
  due?(now: Date, limit: number): Promise<Array<DueRecord<R>>>;
  /** False (nothing written) when another sweep or a step moved the due time first. */
  remind?(input: FlowRemind<S>, now: Date): Promise<boolean>;
}

export interface FlowTransition<P, S extends string = string> {
  id: number;
  expectedVersion: number;
  patch: P;
  /** The state the step leads to (from the rules). */
  state: S;
  /** When to look at the record again (`due`); undefined: the flow declares no due time. */
  dueAt?: Date | null;
  event: FlowEvent<S>;
  outbox: OutboxItem[];
}
