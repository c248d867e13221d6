import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM_LIMITS } from '../../../src/core/create-core.js';
import { buildPage, type FormContext, paginate } from '../../../src/core/inspections/form.js';
import type { Locale } from '../../../src/core/ports.js';
import { DEFAULT_TEMPLATE } from '../../../src/core/templates/default-template.js';
import type { ChecklistTemplate } from '../../../src/core/templates/schema.js';
import type { FormView, MessageView } from '../../../src/core/views/types.js';
import { fieldsOf } from '../../../src/core/views/types.js';
import {
  FORM_CALLBACK_ID,
  readModalValues,
  readPrivateMetadata,
  renderFieldErrors,
  renderMessage,
  renderModal,
  toMrkdwn,
} from '../../../src/platforms/slack/render.js';
import { modalState } from '../../support/slack-requests.js';

/** A one-page form holding these elements. */
const oneFieldForm = (elements: FormView['elements']): FormView => ({
  formType: 'x',
  formId: 'f',
  page: 0,
  pageCount: 1,
  title: 'T',
  submitLabel: 'OK',
  closeLabel: 'Cancel',
  elements,
});

const people = Array.from({ length: 130 }, (_, i) => ({ value: String(i + 1), label: `Person ${i + 1}` }));
const ctx = (tpl: ChecklistTemplate, locale: Locale): FormContext => ({
  tpl,
  locale,
  formId: '6f1c2a3b-0000-4000-8000-000000000001',
  deptName: '华东区第一门店（旗舰店）North Flagship Store',
  people: people.slice(0, 100),
  defaultOwner: '1',
  limits: DEFAULT_FORM_LIMITS.slack,
});
const pagesOf = (tpl: ChecklistTemplate, locale: Locale): FormView[] =>
  paginate(tpl, DEFAULT_FORM_LIMITS.slack).map((_, i) => buildPage(ctx(tpl, locale), i));

/** Worst cases for the block budget: many one-item dimensions (many headers) and one huge dimension. */
const item = (k: number) => ({
  key: `i${k}`,
  text: { 'zh-CN': `检查项 ${k}`, en: `Item ${k}` },
  weight: 1,
  scoring: 'scale_0_5' as const,
  noteRequiredOnFail: true,
});
const MANY_DIMENSIONS: ChecklistTemplate = {
  key: 'many',
  name: { 'zh-CN': '多', en: 'many' },
  failAtOrBelow: 2,
  dimensions: Array.from({ length: 12 }, (_, d) => ({
    key: `d${d}`,
    name: { 'zh-CN': `维度${d}`, en: `Dim ${d}` },
    items: [item(d)],
  })),
};
const ONE_BIG_DIMENSION: ChecklistTemplate = {
  key: 'big',
  name: { 'zh-CN': '大', en: 'big' },
  failAtOrBelow: 2,
  dimensions: [
    { key: 'd', name: { 'zh-CN': '维度', en: 'Dim' }, items: Array.from({ length: 30 }, (_, i) => item(i)) },
  ],
};

describe('renderModal', () => {
  it.each(['en', 'zh-CN'] as const)(
    'renders every page of the default checklist within Slack limits (%s)',
    (locale) => {
      const pages = pagesOf(DEFAULT_TEMPLATE, locale);
      expect(pages).toHaveLength(2);
      for (const form of pages) {
        const view = renderModal(form);
        expect(view.blocks.length).toBeLessThanOrEqual(100);
        expect(view.callback_id).toBe(FORM_CALLBACK_ID);
        expect(view.title.text.length).toBeLessThanOrEqual(24);
        expect(view.submit!.text.length).toBeLessThanOrEqual(24);
        expect(view.close!.text.length).toBeLessThanOrEqual(24);
        expect(JSON.parse(view.private_metadata!)).toEqual({ t: 'inspection', id: form.formId, p: form.page });
        const inputs = view.blocks.filter((b) => b.type === 'input') as Array<{
          block_id: string;
          optional: boolean;
          element: any;
        }>;
        expect(inputs.map((b) => b.block_id)).toEqual(fieldsOf(form).map((f) => f.id));
        expect(new Set(view.blocks.map((b) => b.block_id).filter(Boolean)).size).toBe(inputs.length);
        for (const b of inputs) {
          expect(b.element.action_id).toBe(b.block_id);
          if (b.element.type === 'static_select') expect(b.element.options.length).toBeLessThanOrEqual(100);
        }
        // Scores are required; the finding fields only matter when the item fails.
        expect(inputs.find((b) => b.block_id.endsWith('_score'))!.optional).toBe(false);
        expect(inputs.find((b) => b.block_id.endsWith('_desc'))!.optional).toBe(true);
        expect(view.blocks[0]).toMatchObject({
          type: 'context',
          elements: [{ text: locale === 'en' ? `Page ${form.page + 1} of 2` : `第 ${form.page + 1}/2 页` }],
        });
      }
    },
  );

  it('maps field kinds to Slack elements with their limits and pre-filled values', () => {
    const form = buildPage(ctx(DEFAULT_TEMPLATE, 'en'), 0, {
      d0i0_score: 'fail',
      d0i0_note: 'dusty',
      d0i0_impact: 'whole store',
    });
    const view = renderModal(form);
    const byId = (id: string) => (view.blocks.find((b) => b.block_id === id) as any).element;
    expect(byId('d0i0_score')).toMatchObject({ type: 'static_select', initial_option: { value: 'fail' } });
    expect(byId('d0i0_score').options.map((o: any) => o.value)).toEqual(['pass', 'fail', 'na']);
    expect(byId('d0i0_note')).toMatchObject({
      type: 'plain_text_input',
      multiline: true,
      max_length: 1000,
      initial_value: 'dusty',
    });
    expect(byId('d0i0_ev')).toMatchObject({ type: 'plain_text_input', multiline: false });
    expect(byId('d0i0_impact')).toMatchObject({
      type: 'plain_text_input',
      multiline: false,
      max_length: 500,
      initial_value: 'whole store',
    });
    expect(byId('d0i0_sev').initial_option.value).toBe('medium');
    expect(byId('d0i0_owner').initial_option.value).toBe('1');
    // The title is cut to Slack's 24 characters.
    expect(view.title.text).toHaveLength(24);
    expect(view.title.text.endsWith('…')).toBe(true);
    // A dimension opens with a header; 0-5 items explain the fail threshold in the hint.
    expect(view.blocks[1]).toMatchObject({ type: 'header', text: { text: '1. Business process' } });
    expect((view.blocks.find((b) => b.block_id === 'd1i0_score') as any).hint.text).toContain('2');
  });

  it.each([
    ['many one-item dimensions', MANY_DIMENSIONS],
    ['one dimension of 30 items', ONE_BIG_DIMENSION],
  ] as const)('stays within 100 blocks for %s', (_name, tpl) => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const form of pagesOf(tpl, locale)) expect(renderModal(form).blocks.length).toBeLessThanOrEqual(100);
    }
  });

  it('renders date fields as date pickers and reads the picked date', () => {
    const form = oneFieldForm([
      { kind: 'field', field: { id: 'due', label: 'Due', kind: 'date', required: true, initial: '2026-12-01' } },
    ]);
    const view = renderModal(form);
    expect(view.blocks[0]).toMatchObject({
      type: 'input',
      block_id: 'due',
      element: { type: 'datepicker', action_id: 'due', initial_date: '2026-12-01' },
    });
    expect(readModalValues(modalState(view, {}))).toEqual({ due: '2026-12-01' });
    expect(readModalValues(modalState(view, { due: '2027-01-15' }))).toEqual({ due: '2027-01-15' });
    expect(readModalValues(modalState(view, { due: '' }))).toEqual({ due: '' });
  });

  it('renders sections with text as one bold section, and refuses a page Slack would reject', () => {
    const form = oneFieldForm([{ kind: 'section', title: 'Scope', text: 'Only <the> store & office' }]);
    expect(renderModal(form).blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Scope*\nOnly &lt;the&gt; store &amp; office' } },
    ]);
    const huge: FormView = {
      ...form,
      elements: Array.from({ length: 101 }, (_, i) => ({
        kind: 'field' as const,
        field: { id: `f${i}`, label: 'x', kind: 'text' as const, required: false },
      })),
    };
    expect(() => renderModal(huge)).toThrow(/101 blocks/);
  });
});

describe('reading submissions', () => {
  it('reads selected options and typed values by block id, empty as ""', () => {
    const view = renderModal(buildPage(ctx(DEFAULT_TEMPLATE, 'en'), 0));
    const values = readModalValues(modalState(view, { d0i0_score: 'fail', d0i0_note: 'broken', d0i0_sev: '' }));
    expect(values).toMatchObject({
      d0i0_score: 'fail',
      d0i0_note: 'broken',
      d0i0_sev: '',
      d0i0_owner: '1',
      d0i1_score: '',
      d0i0_ev: '',
    });
  });

  it('accepts only the private_metadata dudao writes', () => {
    expect(readPrivateMetadata(JSON.stringify({ t: 'inspection', id: 'abc', p: 1 }))).toEqual({
      formType: 'inspection',
      formId: 'abc',
      page: 1,
    });
    for (const bad of [
      '',
      'not json',
      '{}',
      '[1]',
      JSON.stringify({ t: 'inspection', id: 'abc', p: -1 }),
      JSON.stringify({ t: 'inspection', id: 'abc', p: '1' }),
      JSON.stringify({ t: '', id: 'abc', p: 0 }),
    ])
      expect(readPrivateMetadata(bad)).toBeNull();
    expect(readPrivateMetadata(undefined)).toBeNull();
  });

  it('keys field errors by block id', () => {
    expect(renderFieldErrors({ d0i0_score: 'Required.' })).toEqual({ d0i0_score: 'Required.' });
  });
});

describe('renderMessage', () => {
  it('maps neutral blocks to Block Kit and keeps mrkdwn, mentions and links', () => {
    const view: MessageView = {
      text: 'Inspection #3 — 门店A',
      blocks: [
        { kind: 'header', text: 'Inspection #3 — 门店A' },
        { kind: 'context', text: 'by Sam' },
        { kind: 'fields', fields: [{ label: 'Overall', value: '93.3' }] },
        { kind: 'divider' },
        {
          kind: 'text',
          text: '*Findings (1)*\n- _high_ `#1` ask <@UMGR> or see <https://example.com|the photo>; use `dept add <name>` & more',
        },
        {
          kind: 'actions',
          buttons: [
            { actionId: 'finding.open', label: 'Open', value: '1', style: 'primary' },
            { actionId: 'finding.open', label: 'Open', value: '2' },
          ],
        },
      ],
    };
    const { text, blocks } = renderMessage(view);
    expect(text).toBe('Inspection #3 — 门店A');
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'divider', 'section', 'actions']);
    expect((blocks[2] as any).fields[0].text).toBe('*Overall*\n93.3');
    expect((blocks[4] as any).text.text).toBe(
      '*Findings (1)*\n- _high_ `#1` ask <@UMGR> or see <https://example.com|the photo>; use `dept add &lt;name&gt;` &amp; more',
    );
    expect((blocks[5] as any).elements.map((e: any) => e.action_id)).toEqual(['finding.open:0', 'finding.open:1']);
    expect((blocks[5] as any).elements[0]).toMatchObject({ type: 'button', style: 'primary', value: '1' });
  });

  it('respects Slack limits: 50 blocks, 3000-char sections, 150-char headers, 10 fields', () => {
    const long = Array.from({ length: 400 }, (_, i) => `- line ${i} ${'x'.repeat(20)}`).join('\n');
    const view: MessageView = {
      text: 'x',
      blocks: [
        { kind: 'header', text: 'H'.repeat(200) },
        { kind: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(2500) })) },
        { kind: 'text', text: long },
        ...Array.from({ length: 60 }, () => ({ kind: 'divider' as const })),
      ],
    };
    const { blocks } = renderMessage(view);
    expect(blocks).toHaveLength(50);
    expect((blocks[0] as any).text.text.length).toBe(150);
    const fieldSections = blocks.filter((b: any) => b.fields);
    expect(fieldSections.map((b: any) => b.fields.length)).toEqual([10, 10, 3]);
    for (const b of fieldSections as any[]) for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    const textSections = blocks.filter((b: any) => b.type === 'section' && b.text) as any[];
    expect(textSections.length).toBeGreaterThan(1);
    for (const b of textSections) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    // Split at line breaks, nothing lost.
    expect(textSections.map((b) => b.text.text).join('\n')).toBe(long);
    expect(blocks[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] });
  });

  it('escapes only what is not Slack syntax dudao writes', () => {
    expect(toMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(toMrkdwn('<@U012AB3CD> <#C123ABC> <mailto:a@b.c|mail>')).toBe('<@U012AB3CD> <#C123ABC> <mailto:a@b.c|mail>');
    // dudao never pings a whole channel, whoever wrote the text.
    expect(toMrkdwn('<!here> <!channel>')).toBe('&lt;!here&gt; &lt;!channel&gt;');
    expect(toMrkdwn('<@user>')).toBe('&lt;@user&gt;');
  });
});
