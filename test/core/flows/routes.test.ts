// The core's routing table: every form type and button its features draw is registered, each by one feature.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/create-core.js';
import { EVAL_ACTIONS } from '../../../src/core/evaluations/cycles/rules.js';
import { memoryRepos } from '../../support/memory/index.js';

describe('the core routes', () => {
  it('register inspections, rectification, evaluations and approvals by name', async () => {
    const { routes } = createCore(memoryRepos(), {
      profiles: {},
      defaults: { locale: 'en', timeZone: 'UTC', admins: [] },
    });
    const { forms, actions } = routes.names();
    const steps = ['plan', 'progress', 'submit', 'accept', 'reject', 'extend', 'reassign'];
    expect(forms).toEqual(
      expect.arrayContaining([
        'inspection',
        ...steps.map((s) => `finding.${s}`),
        ...['self', 'supervisor', 'peer', 'customer', 'review', 'peers'].map((k) => `eval.${k}`),
        'approval.approve',
        'approval.return',
        'approval.resubmit',
      ]),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        ...steps.map((s) => `finding.${s}`),
        'finding.history',
        ...EVAL_ACTIONS.map((a) => `eval.${a}`),
        'approval.approve',
        'approval.history',
      ]),
    );
  });
});
