// The neutral 'users' field on Feishu: a multi_select_person inside the card's form, listing the candidates
// the core offers (without options Feishu offers only the members of the chat) with the chosen people always
// among them; the form_value array of open_ids is read back comma-separated.
import { describe, expect, it } from 'vitest';
import type { FormView } from '../../../src/core/views/types.js';
import { readCardAction, renderFormCard } from '../../../src/platforms/feishu/render.js';
import { cardElements, formOfCard, formSubmit } from '../../support/feishu-requests.js';
import { peerPickerForm } from '../../support/forms.js';

const form = (initial: string, error?: string): FormView =>
  peerPickerForm(
    {
      options: [
        { value: 'ou_bob', label: 'Bob' },
        { value: 'ou_cat', label: 'Cat' },
      ],
      initial,
      ...(error ? { error } : {}),
    },
    [{ kind: 'section', title: 'Ann · 2026', text: 'Choose colleagues' }],
  );
const flat = (payload: Record<string, unknown>) => ({ ...(payload.header as object), ...(payload.event as object) });

describe('user pickers on Feishu', () => {
  it('renders a multi_select_person in the form with the candidates and the people chosen', () => {
    const card = renderFormCard(form('ou_cat,ou_zed', 'Zed cannot be chosen.'));
    const [picker] = cardElements(card, 'multi_select_person');
    expect(picker).toEqual({
      tag: 'multi_select_person',
      name: 'peers',
      required: true,
      width: 'fill',
      placeholder: { tag: 'plain_text', content: 'Choose colleagues' },
      // A chosen person the candidates lack (a card kept as submitted) stays selectable: Feishu rejects a
      // selected value that is not an option.
      options: [{ value: 'ou_bob' }, { value: 'ou_cat' }, { value: 'ou_zed' }],
      selected_values: ['ou_cat', 'ou_zed'],
    });
    expect(formOfCard(card).elements[0]).toMatchObject({
      kind: 'field',
      field: { id: 'peers', kind: 'users', initial: 'ou_cat,ou_zed', error: 'Zed cannot be chosen.' },
    });
    expect(cardElements(renderFormCard(form('')), 'multi_select_person')[0]).not.toHaveProperty('selected_values');
  });

  it('reads the open_ids Feishu submits as a comma-separated value', () => {
    const card = renderFormCard(form(''));
    const action = readCardAction(
      flat(formSubmit(card, { peers: 'ou_bob,ou_cat' }, { openId: 'ou_ann', withValue: false })),
    );
    expect(action).toEqual({
      kind: 'form',
      formType: 'eval.peers',
      formId: '7:2:1',
      page: 0,
      values: { peers: 'ou_bob,ou_cat' },
    });
    expect(
      readCardAction({
        action: {
          tag: 'button',
          name: (cardElements(card, 'button')[0] as { name: string }).name,
          value: {},
          form_value: { peers: [] },
        },
      }),
    ).toMatchObject({ values: { peers: '' } });
  });
});
