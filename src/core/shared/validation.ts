import type { z } from 'zod';

/** Formats a zod path the way operators read it: dimensions[2].items[0].weight */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** Every problem of a file, each "path: what is wrong", so that one run shows all there is to fix. */
export class ValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ValidationError';
  }
}

/** Parses or throws a ValidationError listing every problem as "path: message". */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  throw new ValidationError(issueProblems(schema, r.error.issues));
}

/** The "path: message" lines of zod issues; unknown keys get a line each, with the key they may have meant. */
export function issueProblems(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      const known = knownKeys(schema, i.path);
      return i.keys.map((k) => `${formatPath([...i.path, k])}: ${unknownKeyMessage(k, known)}`);
    }
    return [`${formatPath(i.path)}: ${withActual(i)}`];
  });
}

/** "unknown key" and, when one known key is a near miss, which one was probably meant. */
export function unknownKeyMessage(key: string, known: readonly string[], what = 'key'): string {
  const near = closest(key, known);
  return near ? `unknown ${what} (did you mean "${near}"?)` : `unknown ${what}; expected one of ${known.join(', ')}`;
}

/** The known key within edit distance 2 (or differing only in case), if there is exactly one best. */
function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = 3;
  for (const k of known) {
    const d = distance(w, k.toLowerCase());
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return best;
}

/** Levenshtein distance, with a swap of neighbours counting as one edit (departmnet → department). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

type Def = { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } })?._zod?.def;

/** The keys the object schema at `path` accepts, found by walking the schema along the path. */
function knownKeys(schema: unknown, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  let rest = [...path];
  for (let guard = 0; guard < 100; guard++) {
    const def = defOf(s);
    if (!def) return [];
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (rest.length === 0) return def.shape ? Object.keys(def.shape) : [];
    else if (def.type === 'array') [s, rest] = [def.element, rest.slice(1)];
    else if (def.shape) [s, rest] = [def.shape[String(rest[0])], rest.slice(1)];
    else return [];
  }
  return [];
}

/**
 * The message, with the value that broke a limit next to the limit: "expected at most 300 characters, got 312".
 * zod's own wording for limits is replaced; a schema's own message keeps its words and gains the limit (when
 * it does not name it already) and what was given.
 */
function withActual(i: z.core.$ZodIssue): string {
  if (i.code !== 'too_big' && i.code !== 'too_small') return i.message;
  const input = (i as { input?: unknown }).input;
  const bound = String(i.code === 'too_big' ? i.maximum : i.minimum);
  const size =
    typeof input === 'string' ? input.length : Array.isArray(input) ? input.length : (input as number | undefined);
  const unit = i.origin === 'string' ? ' characters' : i.origin === 'array' ? ' entries' : '';
  const got = size === undefined ? '' : `, got ${size}${unit}`;
  const word =
    i.code === 'too_big'
      ? i.inclusive === false
        ? 'less than'
        : 'at most'
      : i.inclusive === false
        ? 'more than'
        : 'at least';
  const limit = `${word} ${bound}${unit}`;
  if (/^Too (big|small)/.test(i.message)) return `expected ${limit}${got}`;
  // "expected a positive number" says its bound (0) in words.
  return i.message.includes(bound) || bound === '0' ? `${i.message}${got}` : `${i.message}; ${limit}${got}`;
}
