// One table of the in-memory store: rows shaped like the Prisma model's, handed out as copies (a caller can
// never change a stored row or its dates), ids increasing, unique keys refused as the database refuses them.
// The repositories read and write it with predicates; tests query it with the few Prisma arguments they use
// (where, orderBy, select, take; data with increment), so a test reads the same rows it would from a database.

/** A write the table refused, like the database's unique index (Prisma P2002). */
export class UniqueViolation extends Error {
  constructor(table: string, columns: readonly PropertyKey[]) {
    super(`${table}: unique (${columns.map(String).join(', ')}) already taken`);
    this.name = 'UniqueViolation';
  }
}

type Scalar = string | number | boolean | Date | null;

/** A Prisma column filter. */
export interface Filter<V> {
  equals?: V | null;
  not?: V | null | Filter<V>;
  in?: readonly V[];
  notIn?: readonly V[];
  lt?: V;
  lte?: V;
  gt?: V;
  gte?: V;
  startsWith?: string;
  endsWith?: string;
  contains?: string;
}

/** A Prisma `where`: columns by value or filter, and OR / AND / NOT. */
export type Where<R> = { [K in keyof R]?: R[K] | Filter<NonNullable<R[K]>> } & {
  OR?: Array<Where<R>>;
  AND?: Array<Where<R>>;
  NOT?: Where<R>;
};
export type Match<R> = ((row: R) => boolean) | Where<R>;
type Order<R> = Partial<Record<keyof R, 'asc' | 'desc'>>;
type Select<R> = Partial<Record<keyof R, boolean>>;
type Picked<R, S> = S extends Select<R> ? Pick<R, Extract<keyof S, keyof R>> : R;
/** Prisma `data`: a value, or `{ increment }` / `{ decrement }` for a number. */
export type Data<R> = {
  [K in keyof R]?: R[K] | (R[K] extends number ? { increment: number } | { decrement: number } : never);
};
interface Query<R, S> {
  where?: Where<R>;
  orderBy?: Order<R> | Array<Order<R>>;
  take?: number;
  select?: S;
}

export interface TableSpec<R> {
  name: string;
  /** The primary key; numbered 1, 2, … when `auto`. */
  key: keyof R;
  auto?: boolean;
  unique?: Array<Array<keyof R>>;
  /** The columns the model defaults (now(), 0, "open", null…). */
  defaults: () => Partial<R>;
  /** The model has an @updatedAt column. */
  touch?: boolean;
}

const isScalar = (v: unknown): v is Scalar => v === null || v instanceof Date || typeof v !== 'object';
const plain = (v: unknown) => (v instanceof Date ? v.getTime() : v);
const same = (a: unknown, b: unknown) => plain(a) === plain(b);

/** SQL comparison: null below everything (SQLite's order: nulls first ascending). */
export function compare(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const x = plain(a) as number | string | boolean;
  const y = plain(b) as number | string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

function test(v: unknown, cond: unknown): boolean {
  if (isScalar(cond)) return same(v, cond);
  const f = cond as Filter<unknown>;
  // SQL: a comparison with NULL is never true (`not: x` leaves out nulls too, as Prisma does).
  const known = v !== null && v !== undefined;
  const text = typeof v === 'string' ? v : null;
  return (
    (f.equals === undefined || same(v, f.equals)) &&
    (f.not === undefined ||
      (isScalar(f.not) ? (f.not === null ? known : known && !same(v, f.not)) : !test(v, f.not))) &&
    (f.in === undefined || f.in.some((x) => same(v, x))) &&
    (f.notIn === undefined || (known && !f.notIn.some((x) => same(v, x)))) &&
    (f.lt === undefined || (known && compare(v, f.lt) < 0)) &&
    (f.lte === undefined || (known && compare(v, f.lte) <= 0)) &&
    (f.gt === undefined || (known && compare(v, f.gt) > 0)) &&
    (f.gte === undefined || (known && compare(v, f.gte) >= 0)) &&
    (f.startsWith === undefined || (text?.startsWith(f.startsWith) ?? false)) &&
    (f.endsWith === undefined || (text?.endsWith(f.endsWith) ?? false)) &&
    (f.contains === undefined || (text?.includes(f.contains) ?? false))
  );
}

export function matches<R>(row: R, where: Match<R> | undefined): boolean {
  if (!where) return true;
  if (typeof where === 'function') return where(row);
  return Object.entries(where).every(([k, cond]) => {
    if (cond === undefined) return true;
    if (k === 'OR') return (cond as Array<Where<R>>).some((w) => matches(row, w));
    if (k === 'AND') return (cond as Array<Where<R>>).every((w) => matches(row, w));
    if (k === 'NOT') return !matches(row, cond as Where<R>);
    return test(row[k as keyof R], cond);
  });
}

/** Rows sorted by `orderBy` (stable: ties keep their order, by key). */
export function ordered<R>(rows: R[], orderBy: Order<R> | Array<Order<R>> | undefined): R[] {
  const list: Array<Order<R>> = Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : [];
  const keys = list.flatMap((o) => Object.entries(o) as Array<[keyof R, 'asc' | 'desc']>);
  return keys.length === 0
    ? rows
    : [...rows].sort((a, b) => {
        for (const [k, dir] of keys) {
          const c = compare(a[k], b[k]);
          if (c !== 0) return dir === 'asc' ? c : -c;
        }
        return 0;
      });
}

function pick<R, S extends Select<R> | undefined>(row: R, select: S): Picked<R, S> {
  if (!select) return row as Picked<R, S>;
  return Object.fromEntries(Object.keys(select).map((k) => [k, row[k as keyof R]])) as Picked<R, S>;
}

function apply<R>(row: R, data: Data<R>): R {
  const out = { ...row };
  for (const [k, v] of Object.entries(data) as Array<[keyof R, unknown]>) {
    if (v === undefined) continue;
    if (isScalar(v)) out[k] = v as R[keyof R];
    else if ('increment' in (v as object))
      out[k] = ((row[k] as number) + (v as { increment: number }).increment) as R[keyof R];
    else if ('decrement' in (v as object))
      out[k] = ((row[k] as number) - (v as { decrement: number }).decrement) as R[keyof R];
    else out[k] = structuredClone(v) as R[keyof R];
  }
  return out;
}

export class Table<R extends object> {
  private byKey = new Map<unknown, R>();
  private nextId = 1;

  constructor(private readonly spec: TableSpec<R>) {}

  /** The rows as they are now, for a transaction to put back (rows are replaced on write, never changed). */
  snapshot(): Map<unknown, R> {
    return new Map(this.byKey);
  }
  restore(saved: Map<unknown, R>): void {
    this.byKey = saved;
  }

  // The repositories' reads and writes: synchronous, so that a repository method is one atomic step.

  /** Copies of the matching rows, by key. */
  rows(match?: Match<R>): R[] {
    return [...this.byKey.values()].filter((r) => matches(r, match)).map((r) => structuredClone(r));
  }
  one(match: Match<R>): R | null {
    for (const r of this.byKey.values()) if (matches(r, match)) return structuredClone(r);
    return null;
  }
  add(data: Partial<R>): R {
    const row = { ...this.spec.defaults(), ...structuredClone(data) } as R;
    if (this.spec.auto && row[this.spec.key] === undefined) row[this.spec.key] = this.nextId as R[keyof R];
    const key = row[this.spec.key];
    if (this.byKey.has(key)) throw new UniqueViolation(this.spec.name, [this.spec.key]);
    this.checkUnique(row, key);
    if (typeof key === 'number') this.nextId = Math.max(this.nextId, key + 1);
    this.byKey.set(key, row);
    return structuredClone(row);
  }
  /** Changes the matching rows; copies of them as changed. */
  set(match: Match<R>, patch: Data<R> | ((row: R) => Data<R>)): R[] {
    const changed: R[] = [];
    for (const [key, row] of this.byKey) {
      if (!matches(row, match)) continue;
      const data = typeof patch === 'function' ? patch(structuredClone(row)) : patch;
      const next = apply(row, data);
      // @updatedAt: set by every update that does not set it.
      if (this.spec.touch && !('updatedAt' in data)) Object.assign(next, { updatedAt: new Date() });
      this.checkUnique(next, key);
      this.byKey.set(key, next);
      changed.push(structuredClone(next));
    }
    return changed;
  }
  drop(match?: Match<R>): number {
    let n = 0;
    for (const [key, row] of this.byKey) if (matches(row, match) && this.byKey.delete(key)) n++;
    return n;
  }

  private checkUnique(row: R, key: unknown): void {
    for (const cols of this.spec.unique ?? []) {
      if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
      for (const [k, other] of this.byKey)
        if (k !== key && cols.every((c) => same(other[c], row[c]))) throw new UniqueViolation(this.spec.name, cols);
    }
  }

  // Prisma's arguments, for tests (and for store code shared with the Prisma repositories).

  findMany<S extends Select<R> | undefined = undefined>(q: Query<R, S> = {}): Array<Picked<R, S>> {
    const rows = ordered(this.rows(q.where), q.orderBy);
    return rows.slice(0, q.take ?? rows.length).map((r) => pick(r, q.select as S));
  }
  findFirst<S extends Select<R> | undefined = undefined>(q: Query<R, S> = {}): Picked<R, S> | null {
    return this.findMany({ ...q, take: 1 })[0] ?? null;
  }
  findFirstOrThrow<S extends Select<R> | undefined = undefined>(q: Query<R, S> = {}): Picked<R, S> {
    const r = this.findFirst(q);
    if (!r) throw new Error(`${this.spec.name}: no row matches ${JSON.stringify(q.where ?? {})}`);
    return r;
  }
  findUnique<S extends Select<R> | undefined = undefined>(q: Query<R, S> & { where: Where<R> }) {
    return this.findFirst(q);
  }
  findUniqueOrThrow<S extends Select<R> | undefined = undefined>(q: Query<R, S> & { where: Where<R> }) {
    return this.findFirstOrThrow(q);
  }
  count(q: { where?: Where<R> } = {}): number {
    return this.rows(q.where).length;
  }
  create(q: { data: Partial<R> }): R {
    return this.add(q.data);
  }
  createMany(q: { data: Array<Partial<R>> }): { count: number } {
    for (const d of q.data) this.add(d);
    return { count: q.data.length };
  }
  update(q: { where: Where<R>; data: Data<R> }): R {
    const target = this.one(q.where);
    if (!target) throw new Error(`${this.spec.name}: no row to update for ${JSON.stringify(q.where)}`);
    return this.set((r) => same(r[this.spec.key], target[this.spec.key]), q.data)[0]!;
  }
  updateMany(q: { where?: Where<R>; data: Data<R> }): { count: number } {
    return { count: this.set(q.where ?? {}, q.data).length };
  }
  upsert(q: { where: Where<R>; create: Partial<R>; update: Data<R> }): R {
    return this.one(q.where) ? this.update({ where: q.where, data: q.update }) : this.add(q.create);
  }
  deleteMany(q: { where?: Where<R> } = {}): { count: number } {
    return { count: this.drop(q.where) };
  }
}
