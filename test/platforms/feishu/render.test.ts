import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM_LIMITS } from '../../../src/core/create-core.js';
import { buildPage, type FormContext, fieldId, paginate } from '../../../src/core/inspections/form.js';
import type { Locale } from '../../../src/core/ports.js';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import type { FormView, MessageView } from '../../../src/core/views/types.js';
import {
  CARD_MAX_BYTES,
  cardBytes,
  errorDigest,
  fitFormCard,
  larkMarkdown,
  readCardAction,
  renderCard,
  renderFormCard,
  toast,
} from '../../../src/platforms/feishu/render.js';
import { cardAction, cardElements, cardText, formOfCard, formSubmit } from '../../support/feishu-requests.js';

const FORM_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function ctx(
  locale: Locale,
  people: number,
  nameOf = (i: number) => (locale === 'zh-CN' ? `欧阳晓梅${i}` : `Alexandra Montgomery ${i}`),
): FormContext {
  return {
    tpl: DEFAULT_TEMPLATE,
    locale,
    formId: FORM_ID,
    deptName: locale === 'zh-CN' ? '华东区第一门店' : 'East Region Store One',
    people: Array.from({ length: people }, (_, i) => ({ value: String(1000 + i), label: nameOf(i) })),
    defaultOwner: '1000',
    limits: DEFAULT_FORM_LIMITS.feishu,
  };
}

/** Every field of a page answered with `len` characters of text (a failed item, findings filled in). */
function answers(c: FormContext, page: number, len: { note: number; desc: number; impact: number; url: number }) {
  const ch = c.locale === 'zh-CN' ? '检' : 'w';
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const ref of paginate(c.tpl, c.limits)[page]!) {
    values[fieldId(ref, 'score')] = ref.item.scoring === 'pass_fail' ? 'fail' : '1';
    values[fieldId(ref, 'note')] = ch.repeat(len.note);
    values[fieldId(ref, 'desc')] = ch.repeat(len.desc);
    values[fieldId(ref, 'impact')] = ch.repeat(len.impact);
    values[fieldId(ref, 'ev')] = `https://example.com/${'p'.repeat(Math.max(0, len.url - 20))}`;
    errors[fieldId(ref, 'ev')] =
      c.locale === 'zh-CN'
        ? '请输入以 http:// 或 https:// 开头的链接。'
        : 'Enter a link starting with http:// or https://.';
  }
  return { values, errors };
}

describe('message cards', () => {
  const view: MessageView = {
    text: 'Inspection #7 — 门店A: overall 93.3',
    tone: 'warning',
    blocks: [
      { kind: 'header', text: 'Inspection #7 — 门店A' },
      { kind: 'context', text: 'by Sam' },
      { kind: 'fields', fields: [{ label: 'Overall', value: '93.3' }] },
      { kind: 'divider' },
      { kind: 'text', text: '*Findings (1)*\n- _high_ cash <@ou_mgr>' },
      { kind: 'actions', buttons: [{ actionId: 'finding.open', label: 'Open', value: '12', style: 'primary' }] },
    ],
  };

  it('is Card JSON 2.0 with the header block as a coloured header and the rest as components', () => {
    const card = renderCard(view);
    expect(card).toMatchObject({
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: 'Inspection #7 — 门店A' }, template: 'orange' },
    });
    const tags = (card.body as { elements: Array<{ tag: string }> }).elements.map((e) => e.tag);
    expect(tags).toEqual(['markdown', 'markdown', 'hr', 'markdown', 'button']);
    expect(cardText(card)).toContain('**Overall**: 93.3');
    expect(cardText(card)).toContain('**Findings (1)**');
    expect(cardText(card)).toContain('<at id=ou_mgr></at>');
    expect(cardElements(card, 'button')[0]).toMatchObject({
      type: 'primary',
      behaviors: [{ type: 'callback', value: { a: 'finding.open', v: '12' } }],
    });
  });

  it('colours by tone and leaves out the header when there is no header block', () => {
    expect(renderCard({ ...view, tone: 'danger' }).header).toMatchObject({ template: 'red' });
    expect(renderCard({ ...view, tone: undefined }).header).toMatchObject({ template: 'blue' });
    const plain = renderCard({ text: 'Done', tone: 'success', blocks: [{ kind: 'text', text: 'Done' }] });
    expect(plain.header).toBeUndefined();
    expect(cardText(plain)).toBe('Done');
  });

  it('converts the core markdown and neutralises tags people typed', () => {
    expect(larkMarkdown('*bold* and _it_ and a_b_c and 2*3*4')).toBe('**bold** and *it* and a_b_c and 2*3*4');
    expect(larkMarkdown('<at id=all></at> <b>x</b>')).toBe('&lt;at id=all&gt;&lt;/at&gt; &lt;b&gt;x&lt;/b&gt;');
  });

  it('makes toasts', () => {
    expect(toast('error', 'Nope')).toEqual({ toast: { type: 'error', content: 'Nope' } });
  });
});

describe('form cards', () => {
  it('hold one form with titled sections, selects, inputs, inline errors, the page and a submit button', () => {
    const c = ctx('en', 3);
    const form = buildPage(c, 1, { d1i0_note: 'kept' }, { d1i0_note: 'A failed item needs a note.' });
    const card = renderFormCard(form);
    expect(card).toMatchObject({
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { content: form.title }, subtitle: { content: 'Page 2 of 5' } },
    });
    const forms = cardElements(card, 'form');
    expect(forms).toHaveLength(1);
    expect(forms[0]!.name).toBe('dudao_form_1');
    const selects = cardElements(card, 'select_static');
    const score = selects.find((s) => s.name === 'd1i0_score')!;
    expect(score).toMatchObject({ required: true });
    expect(score.initial_option).toBeUndefined();
    expect(selects.find((s) => s.name === 'd1i0_sev')).toMatchObject({ initial_option: 'medium', required: false });
    expect(selects.find((s) => s.name === 'd1i0_owner')).toMatchObject({ initial_option: '1000' });
    const note = cardElements(card, 'input').find((i) => i.name === 'd1i0_note')!;
    expect(note).toMatchObject({ input_type: 'multiline_text', max_length: 1000, default_value: 'kept' });
    expect(cardElements(card, 'input').find((i) => i.name === 'd1i0_ev')?.input_type).toBeUndefined();
    // The error sits right under its field, in red.
    const els = forms[0]!.elements as Array<{ tag: string; name?: string; content?: string }>;
    const at = els.findIndex((e) => e.name === 'd1i0_note');
    expect(els[at + 1]).toEqual({ tag: 'markdown', content: "<font color='red'>A failed item needs a note.</font>" });
    expect(cardText(card)).toContain('**2. Service quality**');
    const submit = cardElements(card, 'button').find((b) => b.form_action_type === 'submit')!;
    expect(submit).toMatchObject({
      type: 'primary',
      behaviors: [{ type: 'callback', value: { t: 'inspection', id: FORM_ID, p: 1 } }],
    });
    expect((submit.text as { content: string }).content).toBe('Next');
  });

  it('never pre-selects an option the select does not hold', () => {
    const form = buildPage(ctx('en', 3), 0, { d0i0_score: 'bogus', d0i0_owner: '99999' });
    const selects = cardElements(renderFormCard(form), 'select_static');
    expect(selects.find((s) => s.name === 'd0i0_score')?.initial_option).toBeUndefined();
    expect(selects.find((s) => s.name === 'd0i0_owner')?.initial_option).toBeUndefined();
  });

  it('reads back as the same form (what the tests fill in)', () => {
    const form = buildPage(ctx('zh-CN', 3), 0);
    const back = formOfCard(renderFormCard(form));
    expect(back).toMatchObject({
      formType: 'inspection',
      formId: FORM_ID,
      page: 0,
      title: form.title,
      pageLabel: '第 1/5 页',
    });
    expect(back.elements.map((e) => (e.kind === 'field' ? e.field.id : ''))).toEqual(
      form.elements.flatMap((e) => (e.kind === 'field' ? [e.field.id] : [])),
    );
  });
});

describe('form cards stay under Feishu’s 30 KB', () => {
  const pages = paginate(DEFAULT_TEMPLATE, DEFAULT_FORM_LIMITS.feishu);

  it.each(['zh-CN', 'en'] as const)(
    '%s: every page of the default template, 100 people to choose from (the most the core offers)',
    (locale) => {
      const c = ctx(locale, 100);
      for (let p = 0; p < pages.length; p++) {
        const card = renderFormCard(buildPage(c, p));
        expect(cardBytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
        // The default owner stays selectable even when a long list is shortened.
        const owner = cardElements(card, 'select_static').find((s) => String(s.name).endsWith('_owner'))!;
        expect(owner.initial_option).toBe('1000');
        expect((owner.options as unknown[]).length).toBeGreaterThanOrEqual(10);
      }
    },
  );

  it.each(['zh-CN', 'en'] as const)('%s: every page refilled with long answers and errors, 30 people', (locale) => {
    const c = ctx(locale, 30);
    for (let p = 0; p < pages.length; p++) {
      const { values, errors } = answers(c, p, { note: 400, desc: 400, impact: 200, url: 300 });
      const card = fitFormCard(buildPage(c, p, values, errors));
      expect(card).not.toBeNull();
      expect(cardBytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    }
  });

  it('en: every page refilled with max-length answers still fits', () => {
    const c = ctx('en', 30);
    for (let p = 0; p < pages.length; p++) {
      const { values, errors } = answers(c, p, { note: 1000, desc: 1000, impact: 500, url: 1000 });
      const card = fitFormCard(buildPage(c, p, values, errors));
      expect(card && cardBytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    }
  });

  it('zh-CN: max-length Chinese answers on three items cannot fit, so the page is answered with a toast naming the fields', () => {
    // 3 items × 2,500 characters × 3 UTF-8 bytes is 22.5 KB of answers before any markup.
    const c = ctx('zh-CN', 5);
    const { values, errors } = answers(c, 0, { note: 1000, desc: 1000, impact: 500, url: 1000 });
    const form = buildPage(c, 0, values, errors);
    expect(cardBytes(renderFormCard(form))).toBeGreaterThan(CARD_MAX_BYTES);
    expect(fitFormCard(form)).toBeNull();
    const digest = errorDigest('有 3 处需要修改。', form);
    expect(digest.split('\n')[0]).toBe('有 3 处需要修改。');
    expect(digest).toContain('1.1 证据链接: 请输入以 http:// 或 https:// 开头的链接。');
  });
});

describe('reading card callbacks', () => {
  const form = buildPage(ctx('en', 3), 2);
  const card = renderFormCard(form);
  const flat = (payload: Record<string, unknown>) => ({ ...(payload.header as object), ...(payload.event as object) });

  it('reads a form submission from the submit button’s callback value', () => {
    const action = readCardAction(flat(formSubmit(card, { d2i0_score: '5', d2i0_note: 'ok' }, { openId: 'ou_sup' })));
    expect(action).toEqual({
      kind: 'form',
      formType: 'inspection',
      formId: FORM_ID,
      page: 2,
      values: { d2i0_score: '5', d2i0_note: 'ok' },
    });
  });

  it('reads it from the button name when Feishu sends the value empty, as in larksuite/cli’s fixture', () => {
    const action = readCardAction(flat(formSubmit(card, { d2i0_score: '5' }, { openId: 'ou_sup', withValue: false })));
    expect(action).toEqual({
      kind: 'form',
      formType: 'inspection',
      formId: FORM_ID,
      page: 2,
      values: { d2i0_score: '5' },
    });
  });

  it('routes a rectification step’s form by its button name too, although its type and id hold . and :', () => {
    const step: FormView = {
      formType: 'finding.reassign',
      formId: '1234567:89',
      page: 0,
      pageCount: 1,
      title: 'Reassign #1234567',
      submitLabel: 'Submit',
      closeLabel: 'Cancel',
      elements: [],
    };
    const stepCard = renderFormCard(step);
    const name = String(cardElements(stepCard, 'button')[0]!.name);
    expect(name).toMatch(/^dudao_x_0_[0-9a-f]+$/);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(readCardAction(flat(formSubmit(stepCard, { owner: '7' }, { openId: 'ou_sup', withValue: false })))).toEqual({
      kind: 'form',
      formType: 'finding.reassign',
      formId: '1234567:89',
      page: 0,
      values: { owner: '7' },
    });
    // A name that does not decode to a type and an id routes nothing.
    expect(
      readCardAction({
        action: { tag: 'button', name: `dudao_x_0_${Buffer.from('finding.plan').toString('hex')}`, value: {} },
      }),
    ).toBeNull();
  });

  it('reads buttons, string values and date pickers', () => {
    expect(readCardAction({ action: { tag: 'button', value: { a: 'finding.open', v: '12' } } })).toEqual({
      kind: 'button',
      actionId: 'finding.open',
      value: '12',
    });
    expect(readCardAction({ action: { tag: 'button', value: '{"a":"x","v":""}' } })).toEqual({
      kind: 'button',
      actionId: 'x',
      value: '',
    });
    const dated = readCardAction({
      action: {
        tag: 'button',
        value: { t: 'rect', id: 'f1', p: 0 },
        form_value: { due: '2026-12-01 +0800', n: 3, tags: ['a', 'b'] },
      },
    });
    expect(dated).toMatchObject({ kind: 'form', values: { due: '2026-12-01', n: '3', tags: 'a,b' } });
  });

  it('returns null for anything malformed or foreign', () => {
    expect(readCardAction(null)).toBeNull();
    expect(readCardAction({})).toBeNull();
    expect(readCardAction({ action: 'click' })).toBeNull();
    expect(
      readCardAction({ action: { tag: 'button', value: { key: 'approve' }, name: 'approve_btn', form_value: {} } }),
    ).toBeNull();
    expect(readCardAction({ action: { tag: 'button', value: { t: 'inspection', id: '', p: 0 } } })).toBeNull();
    expect(readCardAction({ action: { tag: 'button', value: { t: 'inspection', id: 'x', p: -1 } } })).toBeNull();
    expect(readCardAction({ action: { tag: 'button', value: '{not json' } })).toBeNull();
    expect(
      readCardAction(cardAction({ openId: 'ou_x', action: { tag: 'input', input_value: 'hi' } }).event),
    ).toBeNull();
  });
});

describe('a FormView without pageLabel', () => {
  it('still shows where the reader is', () => {
    const f: FormView = {
      formType: 'inspection',
      formId: 'x',
      page: 0,
      pageCount: 3,
      title: 'T',
      submitLabel: 'Go',
      closeLabel: 'No',
      elements: [],
    };
    expect((renderFormCard(f).header as { subtitle?: { content: string } }).subtitle?.content).toBe('1/3');
  });
});
