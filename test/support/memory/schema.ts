// The tables' rules read from the Prisma schema itself (prisma/models.prisma): each model's key, its unique
// keys, and the value a column gets when a write leaves it out (@default, @updatedAt, null for an optional
// column). A column or a default the schema gains is the in-memory store's at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableSpec } from './table.js';

const SCHEMA = readFileSync(join(import.meta.dirname, '..', '..', '..', 'prisma', 'models.prisma'), 'utf8');

function defaultOf(value: string): () => unknown {
  if (value === 'now()') return () => new Date();
  const literal = JSON.parse(value) as unknown; // "open", 0, false, "[]"
  return () => literal;
}

function specOf(name: string, body: string, models: Set<string>): TableSpec<object> {
  const spec: TableSpec<Record<string, unknown>> = { name, key: 'id', unique: [], defaults: () => ({}) };
  const filled: Array<[string, () => unknown]> = [];
  for (const line of body.split('\n').map((l) => l.trim())) {
    const compound = /^@@unique\(\[(.+)\]\)/.exec(line);
    if (compound) spec.unique!.push(compound[1]!.split(',').map((c) => c.trim()));
    const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
    if (!field || models.has(field[2]!) || field[3]) continue; // a relation, not a column
    const [, column, , , optional, attrs] = field as unknown as [string, string, string, string, string, string];
    const given = /@default\((.+?\)?)\)/.exec(attrs)?.[1];
    if (attrs.includes('@id')) Object.assign(spec, { key: column, auto: given === 'autoincrement()' });
    if (attrs.includes('@unique')) spec.unique!.push([column]);
    if (attrs.includes('@updatedAt')) spec.touch = true;
    if (given && given !== 'autoincrement()') filled.push([column, defaultOf(given)]);
    else if (attrs.includes('@updatedAt')) filled.push([column, () => new Date()]);
    else if (optional) filled.push([column, () => null]);
  }
  spec.defaults = () => Object.fromEntries(filled.map(([c, value]) => [c, value()]));
  return spec as TableSpec<object>;
}

const models = [...SCHEMA.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)];
const names = new Set(models.map((m) => m[1]!));
const specs = new Map(models.map((m) => [m[1]!, specOf(m[1]!, m[2]!, names)]));

/** The rules of model `name`, as the schema declares them. */
export function specFor<R extends object>(name: string): TableSpec<R> {
  const spec = specs.get(name);
  if (!spec) throw new Error(`prisma/models.prisma has no model ${name}`);
  return spec as TableSpec<R>;
}
