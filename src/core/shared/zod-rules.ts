// Checks shared by the documents operators write by hand (templates, the evaluation configuration, the
// reminder rules), so that each says the same thing about the same mistake.
import type { z } from 'zod';

/**
 * Error map for a strict object: a misspelt key must fail loudly, since an ignored key (a "perRejections" or a
 * "workinghours") would silently leave a rule out or the defaults in force.
 */
export const strictKeys = {
  error: (iss: z.core.$ZodRawIssue) =>
    iss.code === 'unrecognized_keys'
      ? `unknown key ${iss.keys.join(', ')}`
      : iss.code === 'invalid_type'
        ? 'expected an object'
        : undefined,
};

/** Collects keys that must be unique, reporting each repeat where it stands: a second entry would be unreachable. */
export function uniqueKeys(ctx: z.RefinementCtx, what = 'key') {
  const seen = new Set<string>();
  return {
    seen: seen as ReadonlySet<string>,
    add(key: string, path: PropertyKey[]): void {
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path, message: `duplicate ${what} ${key}` });
      seen.add(key);
    },
  };
}
