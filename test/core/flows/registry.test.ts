// The routing table: every form type and action of the core's features is registered once, by name.
import { describe, expect, it } from 'vitest';
import { FlowRoutes } from '../../../src/core/flows/registry.js';

describe('flow routes', () => {
  it('refuses a name registered twice', () => {
    const routes = new FlowRoutes().form('a.b', async () => ({ kind: 'refused', message: '' }));
    expect(() => routes.form('a.b', async () => ({ kind: 'refused', message: '' }))).toThrow(/twice/);
    routes.action('a.b', async () => null);
    expect(() => routes.action('a.b', async () => null)).toThrow(/twice/);
    expect(routes.formHandler('a.c')).toBeUndefined();
  });
});
