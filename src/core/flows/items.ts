// The store of declared flows that have no table of their own (approvals, and the flows to come until one
// needs its own columns): each record is a state, a version and the flow's data as JSON; each step an event.

import type { OutboxItem } from '../ports.js';
import type { DueRecord, FlowEvent, FlowRemind, FlowRepo, FlowTransition } from './definition.js';

export interface FlowItem<D, S extends string = string> {
  id: number;
  /** The flow's key: items of different flows never answer for one another. */
  flow: string;
  state: S;
  version: number;
  data: D;
  /** When to look at it again (reminders, escalation); null: nothing scheduled. */
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a step changes on an item besides its state: its data, whole. */
export interface FlowItemPatch<D> {
  data: D;
}

export interface NewFlowItem<D, S extends string = string> {
  flow: string;
  state: S;
  data: D;
  dueAt: Date | null;
  /** The first history line (the item's creation). */
  event: FlowEvent<S>;
  /** The cards and notices of the new item, once its id is known; written in the same transaction. */
  outbox: (item: FlowItem<D, S>) => OutboxItem[] | Promise<OutboxItem[]>;
}

/** The port: implemented by src/store/flow-repo.ts, and in memory by test/support/memory-flow-items.ts. */
export interface FlowItemStore {
  create<D, S extends string>(input: NewFlowItem<D, S>, now: Date): Promise<FlowItem<D, S>>;
  byId<D, S extends string>(flow: string, id: number): Promise<FlowItem<D, S> | null>;
  /** Oldest first. */
  events<S extends string>(flow: string, id: number): Promise<Array<FlowEvent<S>>>;
  /** One transaction: state, data, due time and version (if still `expectedVersion`), event, outbox. */
  transition<D, S extends string>(
    flow: string,
    input: FlowTransition<FlowItemPatch<D>, S>,
    now: Date,
  ): Promise<FlowItem<D, S> | null>;
  /** A flow's items due by `now`, earliest first. */
  due<D, S extends string>(flow: string, now: Date, limit: number): Promise<Array<DueRecord<FlowItem<D, S>>>>;
  /** One transaction, if the item is still due at `expectedDueAt`: the new due time, the event, the outbox. */
  remind<S extends string>(flow: string, input: FlowRemind<S>, now: Date): Promise<boolean>;
  /** A flow's items in the given states, oldest first. */
  list<D, S extends string>(flow: string, filter: { states?: S[]; limit: number }): Promise<Array<FlowItem<D, S>>>;
}

/** One flow's view of the shared store, as the engine's port. */
export function itemRepo<D, S extends string>(
  store: FlowItemStore,
  flow: string,
): FlowRepo<FlowItem<D, S>, FlowItemPatch<D>, S> {
  return {
    byId: (id) => store.byId<D, S>(flow, id),
    events: (id) => store.events<S>(flow, id),
    transition: (input, now) => store.transition<D, S>(flow, input, now),
    due: (now, limit) => store.due<D, S>(flow, now, limit),
    remind: (input, now) => store.remind<S>(flow, input, now),
  };
}
