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

export class ValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ValidationError';
  }
}

/** Parses or throws a ValidationError listing every problem as "path: message". */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
}
