// The neutral 'users' field on Slack: a multi_users_select in the modal (pre-filled, capped), and the ids
// Slack submits in selected_users read back comma-separated.
import { describe, expect, it } from 'vitest';
import type { FormView } from '../../../src/core/views/types.js';
import { readModalValues, renderModal } from '../../../src/platforms/slack/render.js';
import { peerPickerForm } from '../../support/forms.js';
import { modalState } from '../../support/slack-requests.js';

const form = (initial?: string): FormView =>
  peerPickerForm({
    options: [{ value: 'UBOB', label: 'Bob' }],
    maxItems: 9,
    ...(initial !== undefined ? { initial } : {}),
  });

describe('user pickers on Slack', () => {
  it('renders a multi_users_select with the people chosen so far and the limit, and without a directory of its own', () => {
    const [block] = renderModal(form('UBOB,UANN')).blocks;
    expect(block).toEqual({
      type: 'input',
      block_id: 'peers',
      label: { type: 'plain_text', text: 'Peer raters', emoji: true },
      optional: false,
      element: {
        type: 'multi_users_select',
        action_id: 'peers',
        placeholder: { type: 'plain_text', text: 'Choose colleagues', emoji: true },
        initial_users: ['UBOB', 'UANN'],
        max_selected_items: 9,
      },
    });
    expect((renderModal(form('')).blocks[0] as { element: object }).element).not.toHaveProperty('initial_users');
  });

  it('reads selected_users back as comma-separated ids; an emptied picker is empty', () => {
    const view = renderModal(form('UBOB'));
    expect(readModalValues(modalState(view, {}))).toEqual({ peers: 'UBOB' });
    expect(readModalValues(modalState(view, { peers: 'UANN,UBOB' }))).toEqual({ peers: 'UANN,UBOB' });
    expect(readModalValues(modalState(view, { peers: '' }))).toEqual({ peers: '' });
    // As Slack sends it (view.state.values), anything that is not a user id is dropped.
    expect(
      readModalValues({
        peers: { peers: { type: 'multi_users_select', selected_users: ['U012AB3CD', 'not an id', 42] } },
      }),
    ).toEqual({ peers: 'U012AB3CD' });
  });
});
