// The flow item store (src/core/flows/items.ts) on Prisma: the items of declared flows without a table of
// their own, their history, and each step with its outbox rows in one transaction, conditional on the version.
import type { DueRecord, FlowEvent, FlowRemind, FlowTransition } from '../core/flows/definition.js';
import type { FlowItem, FlowItemPatch, FlowItemStore, NewFlowItem } from '../core/flows/items.js';
import type { Db } from './database.js';
import { enqueueInTx } from './outbox-repo.js';

type Row = Awaited<ReturnType<Db['flowItem']['findFirstOrThrow']>>;

function toItem<D, S extends string>(r: Row): FlowItem<D, S> {
  return {
    id: r.id,
    flow: r.flow,
    state: r.state as S,
    version: r.version,
    data: JSON.parse(r.data) as D,
    dueAt: r.dueAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const eventRow = (itemId: number, e: FlowEvent) => ({
  itemId,
  actorId: e.actorId,
  at: e.at,
  action: e.action,
  fromState: e.from,
  toState: e.to,
  note: e.note,
  data: JSON.stringify(e.data),
});

export class PrismaFlowItemRepo implements FlowItemStore {
  constructor(private readonly db: Db) {}

  async create<D, S extends string>(input: NewFlowItem<D, S>, now: Date): Promise<FlowItem<D, S>> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.flowItem.create({
        data: {
          flow: input.flow,
          state: input.state,
          data: JSON.stringify(input.data),
          dueAt: input.dueAt,
          createdAt: now,
          updatedAt: now,
        },
      });
      const item = toItem<D, S>(row);
      await tx.flowEvent.create({ data: eventRow(item.id, input.event) });
      // The cards name the item, so they are drawn once its id is known (from what was loaded before).
      await enqueueInTx(tx, await input.outbox(item), now);
      return item;
    });
  }

  async byId<D, S extends string>(flow: string, id: number): Promise<FlowItem<D, S> | null> {
    const r = await this.db.flowItem.findFirst({ where: { id, flow } });
    return r ? toItem<D, S>(r) : null;
  }

  async events<S extends string>(flow: string, id: number): Promise<Array<FlowEvent<S>>> {
    if (!(await this.db.flowItem.count({ where: { id, flow } }))) return [];
    const rows = await this.db.flowEvent.findMany({ where: { itemId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return rows.map((e) => ({
      actorId: e.actorId,
      at: e.at,
      action: e.action,
      from: e.fromState as S,
      to: e.toState as S,
      note: e.note,
      data: JSON.parse(e.data) as Record<string, unknown>,
    }));
  }

  async transition<D, S extends string>(
    flow: string,
    input: FlowTransition<FlowItemPatch<D>, S>,
    now: Date,
  ): Promise<FlowItem<D, S> | null> {
    const applied = await this.db.$transaction(async (tx) => {
      // Conditional on the version the actor saw: of two racing steps only one applies.
      const { count } = await tx.flowItem.updateMany({
        where: { id: input.id, flow, version: input.expectedVersion },
        data: {
          state: input.state,
          data: JSON.stringify(input.patch.data),
          ...(input.dueAt !== undefined ? { dueAt: input.dueAt } : {}),
          updatedAt: now,
          version: { increment: 1 },
        },
      });
      if (count !== 1) return false;
      await tx.flowEvent.create({ data: eventRow(input.id, input.event) });
      await enqueueInTx(tx, input.outbox, now);
      return true;
    });
    return applied ? this.byId<D, S>(flow, input.id) : null;
  }

  async due<D, S extends string>(flow: string, now: Date, limit: number): Promise<Array<DueRecord<FlowItem<D, S>>>> {
    const rows = await this.db.flowItem.findMany({
      where: { flow, dueAt: { lte: now } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map((r) => ({ record: toItem<D, S>(r), dueAt: r.dueAt! }));
  }

  async remind<S extends string>(flow: string, input: FlowRemind<S>, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      // The claim: of two sweeps (or bot processes) that saw the same due time, only one moves it on. The
      // version stays: a reminder changes nothing a form was opened on.
      const { count } = await tx.flowItem.updateMany({
        where: { id: input.id, flow, dueAt: input.expectedDueAt },
        data: { dueAt: input.nextDueAt },
      });
      if (count !== 1) return false;
      await tx.flowEvent.create({ data: eventRow(input.id, input.event) });
      await enqueueInTx(tx, input.outbox, now);
      return true;
    });
  }

  async list<D, S extends string>(flow: string, filter: { states?: S[]; limit: number }) {
    const rows = await this.db.flowItem.findMany({
      where: { flow, ...(filter.states ? { state: { in: filter.states } } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit,
    });
    return rows.map((r) => toItem<D, S>(r));
  }
}
