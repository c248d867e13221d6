// The flow item store in memory, for testing declared flows on the core without a database: the same
// version check as the Prisma store, and every outbox row it would have written, in order.
import type { DueRecord, FlowEvent, FlowRemind, FlowTransition } from '../../src/core/flows/definition.js';
import type { FlowItem, FlowItemPatch, FlowItemStore, NewFlowItem } from '../../src/core/flows/items.js';
import type { OutboxItem } from '../../src/core/ports.js';

export class MemoryFlowItems implements FlowItemStore {
  readonly items = new Map<number, FlowItem<unknown>>();
  readonly history = new Map<number, FlowEvent[]>();
  /** Every outbox row written, in order. */
  readonly outbox: OutboxItem[] = [];
  private nextId = 1;

  async create<D, S extends string>(input: NewFlowItem<D, S>, now: Date): Promise<FlowItem<D, S>> {
    const item: FlowItem<D, S> = {
      id: this.nextId++,
      flow: input.flow,
      state: input.state,
      version: 0,
      data: structuredClone(input.data),
      dueAt: input.dueAt,
      createdAt: now,
      updatedAt: now,
    };
    const outbox = await input.outbox(item);
    this.items.set(item.id, item as FlowItem<unknown>);
    this.history.set(item.id, [input.event]);
    this.outbox.push(...outbox);
    return structuredClone(item);
  }

  async byId<D, S extends string>(flow: string, id: number): Promise<FlowItem<D, S> | null> {
    const item = this.items.get(id);
    return item && item.flow === flow ? (structuredClone(item) as FlowItem<D, S>) : null;
  }

  async events<S extends string>(flow: string, id: number): Promise<Array<FlowEvent<S>>> {
    const item = this.items.get(id);
    return item && item.flow === flow ? (structuredClone(this.history.get(id) ?? []) as Array<FlowEvent<S>>) : [];
  }

  async transition<D, S extends string>(
    flow: string,
    input: FlowTransition<FlowItemPatch<D>, S>,
    now: Date,
  ): Promise<FlowItem<D, S> | null> {
    const item = this.items.get(input.id);
    if (!item || item.flow !== flow || item.version !== input.expectedVersion) return null;
    const next: FlowItem<unknown> = {
      ...item,
      state: input.state,
      data: structuredClone(input.patch.data),
      version: item.version + 1,
      updatedAt: now,
      ...(input.dueAt !== undefined ? { dueAt: input.dueAt } : {}),
    };
    this.items.set(item.id, next);
    this.history.get(item.id)?.push(input.event);
    this.outbox.push(...input.outbox);
    return structuredClone(next) as FlowItem<D, S>;
  }

  async due<D, S extends string>(flow: string, now: Date, limit: number): Promise<Array<DueRecord<FlowItem<D, S>>>> {
    return [...this.items.values()]
      .filter((i) => i.flow === flow && i.dueAt !== null && i.dueAt <= now)
      .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || a.id - b.id)
      .slice(0, limit)
      .map((i) => ({ record: structuredClone(i) as FlowItem<D, S>, dueAt: new Date(i.dueAt!) }));
  }

  async remind<S extends string>(flow: string, input: FlowRemind<S>): Promise<boolean> {
    const item = this.items.get(input.id);
    if (!item || item.flow !== flow || item.dueAt?.getTime() !== input.expectedDueAt.getTime()) return false;
    this.items.set(item.id, { ...item, dueAt: input.nextDueAt });
    this.history.get(item.id)?.push(input.event);
    this.outbox.push(...input.outbox);
    return true;
  }

  async list<D, S extends string>(flow: string, filter: { states?: S[]; limit: number }) {
    return [...this.items.values()]
      .filter((i) => i.flow === flow && (!filter.states || (filter.states as string[]).includes(i.state)))
      .slice(0, filter.limit)
      .map((i) => structuredClone(i) as FlowItem<D, S>);
  }
}
