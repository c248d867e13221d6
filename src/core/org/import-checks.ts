// Checks across the entries of an org file: names that must be unique, references that must resolve, a
// department tree without loops. They read the file as given, before (and whatever) the per-field validation
// finds, so that one run lists every problem of the file.

type Entry = Record<string, unknown>;

const entries = (v: unknown): Entry[] =>
  Array.isArray(v) ? v.map((e) => (e && typeof e === 'object' ? (e as Entry) : {})) : [];
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const q = (s: string) => JSON.stringify(s);

/** Every cross-entry problem of a parsed org file (YAML, JSON or CSV after reading), as "path: message". */
export function crossProblems(raw: unknown): string[] {
  const org = raw && typeof raw === 'object' ? (raw as Entry) : {};
  const departments = entries(org.departments);
  const members = entries(org.members);
  const names = new Set<string>();
  for (const m of members) if (text(m.department)) names.add(text(m.department)!);
  for (const d of departments) if (text(d.name)) names.add(text(d.name)!);
  return [...departmentProblems(departments, members, names), ...memberProblems(members, names)];
}

function departmentProblems(departments: Entry[], members: Entry[], names: Set<string>): string[] {
  const out: string[] = [];
  const first = new Map<string, number>();
  const parentOf = new Map<string, string>();
  departments.forEach((d, i) => {
    const name = text(d.name);
    const parent = text(d.parent);
    const manager = text(d.manager);
    if (name && first.has(name))
      out.push(
        `departments[${i}].name: ${q(name)} is already departments[${first.get(name)}]; name each department once`,
      );
    else if (name) first.set(name, i);
    if (name && parent) parentOf.set(name, parent);
    if (parent && !names.has(parent))
      out.push(`departments[${i}].parent: ${q(parent)} is not a department in this file`);
    if (manager && !members.some((m) => [text(m.name), text(m.slack), text(m.feishu)].includes(manager)))
      out.push(`departments[${i}].manager: no member named or with id ${manager}`);
  });
  const reported = new Set<string>();
  departments.forEach((d, i) => {
    const name = text(d.name);
    if (!name || first.get(name) !== i || reported.has(name)) return;
    const loop = loopFrom(name, parentOf);
    if (!loop) return;
    for (const n of loop) reported.add(n);
    out.push(
      `departments[${i}].parent: ${loop.concat(name).map(q).join(' → ')} is a loop; a department cannot be inside itself`,
    );
  });
  return out;
}

/** The departments of the loop `name` starts, when following parents from it comes back to it. */
export function loopFrom(name: string, parentOf: ReadonlyMap<string, string>): string[] | null {
  const path = [name];
  for (let at = parentOf.get(name); at !== undefined; at = parentOf.get(at)) {
    if (at === name) return path;
    if (path.includes(at)) return null; // a loop further up, reported from one of its own departments
    path.push(at);
  }
  return null;
}

function memberProblems(members: Entry[], names: Set<string>): string[] {
  const out: string[] = [];
  const holder = new Map<string, number>();
  members.forEach((m, i) => {
    const ids = { slack: text(m.slack), feishu: text(m.feishu) };
    if (!ids.slack && !ids.feishu) out.push(`members[${i}]: expected a slack or feishu id`);
    for (const [field, id] of Object.entries(ids)) {
      if (!id) continue;
      const j = holder.get(id);
      if (j !== undefined) out.push(`members[${i}].${field}: ${id} is already members[${j}]'s; each person once`);
      else holder.set(id, i);
    }
    const sup = text(m.supervisor);
    if (sup && [text(m.name), ids.slack, ids.feishu].includes(sup))
      out.push(`members[${i}].supervisor: a member cannot be their own supervisor`);
    const manages = Array.isArray(m.manages) ? m.manages : [];
    manages.forEach((d, j) => {
      const name = text(d);
      if (name && !names.has(name))
        out.push(`members[${i}].manages[${j}]: ${q(name)} is not a department in this file`);
    });
  });
  return out;
}
