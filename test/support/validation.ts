import { ValidationError } from '../../src/core/shared/validation.js';

/** The "path: message" problems a validating call refused with; [] when it accepted. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}
