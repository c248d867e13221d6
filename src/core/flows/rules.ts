// The pure rules of any declared flow: which steps a person may take on a record, and where each leads.
import type { FlowRules, Refusal } from './definition.js';

export function stepsOf<Step extends string>(rules: { steps: Record<Step, unknown> }): Step[] {
  return Object.keys(rules.steps) as Step[];
}

export function isStepOf<Step extends string>(rules: { steps: Record<Step, unknown> }, s: string): s is Step {
  return Object.hasOwn(rules.steps, s);
}

export function mayTake<R, S extends string, Step extends string, V>(
  rules: FlowRules<R, S, Step, V>,
  step: Step,
  r: R,
  viewer: V,
): true | Refusal {
  const rule = rules.steps[step];
  if (!rule.from.includes(rules.state(r))) return 'wrongStatus';
  return rule.may(r, viewer) ? true : 'notAllowed';
}

export function availableSteps<R, S extends string, Step extends string, V>(
  rules: FlowRules<R, S, Step, V>,
  r: R,
  viewer: V,
): Step[] {
  return stepsOf(rules).filter((s) => mayTake(rules, s, r, viewer) === true);
}

export function nextState<R, S extends string, Step extends string, V>(
  rules: FlowRules<R, S, Step, V>,
  step: Step,
  r: R,
): S {
  const to = rules.steps[step].to;
  return typeof to === 'function' ? to(r) : to;
}

/** A form's id names the record and the version it was opened on, so that a later state refuses it. */
export const formIdOf = (r: { id: number; version: number }) => `${r.id}:${r.version}`;

export function parseFormId(formId: string): { id: number; version: number } | null {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(formId);
  return m ? { id: Number(m[1]), version: Number(m[2]) } : null;
}
